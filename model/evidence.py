"""Best evidence: the official text decides, the translation is shown beside it, labelled.

With the official (Russian) text and a translation (English) both ingested, ``as_of``:

- takes every unit's **status**, certainty, dates, basis and laws from the official text's newest
  edition (``status_from`` names it). A unit that only the translation has keeps the translation's
  own answer, labelled ``translation_only``;
- shows the **wording** in ``language`` (default: the official one) and the other language's wording
  beside it (``other_text``, ``other_language``). Shown in the translation, the wording's confidence is
  the weaker of the two texts' (an English wording is no surer than what the official notes allow);
- labels every unit with whether the translation **agrees** (``agreement``, ``agreement_note``):

  ================== ===========================================================================
  ``agrees``         same status on that date, and both texts' notes on the unit (and on the units
                     above it up to its article) name the same amending laws, with the same kind of
                     change and the same entry-into-force dates. The wordings themselves are not
                     compared word by word: one is a translation of the other.
  ``notes_differ``   same status, but the notes differ (a law named in one text only, another date,
                     another kind of change): the translation's wording may not be in step.
  ``differs``        the two texts give different statuses on that date.
  ``official_only``  the translation does not have the unit.
  ``translation_only`` the official text does not have it (its answer is the translation's).
  ================== ===========================================================================

With one language only, ``as_of`` is that edition's answer (``pointintime``) and ``agreement`` is None.
"""
from __future__ import annotations

import dataclasses
from bisect import bisect_right
from datetime import date

from sqlmodel import Session

from model import tables as t
from model.pointintime import LawIndex, UnitState, law_index, subtree
from model.unitstate import breakpoints, unit_state, with_fields
from model.queries import LANGUAGE_NAMES, OFFICIAL_LANGUAGE, get_law, languages

AGREEMENTS = ("agrees", "notes_differ", "differs", "official_only", "translation_only")
AGREEMENT_LABELS = {"agrees": "agrees with the official text", "notes_differ": "notes differ from the official text",
                    "differs": "differs from the official text", "official_only": "not in the translation",
                    "translation_only": "not in the official text"}
_STATUS = {"in_force": "in force", "excluded": "excluded", "not_yet_inserted": "not yet inserted",
           "not_yet_in_force": "not yet in force", "uncertain": "of uncertain status"}
_RANK = {"exact": 0, "later_amended": 1, "unknown": 2}


def as_of(*, session: Session, on: date, unit: str | None = None, law_id: int | None = None,
          language: str | None = None) -> list[UnitState]:
    """Every unit (or the subtree of ``unit``) as on ``on``, the official text deciding (see the module
    docstring); wording in ``language`` (default: the official text's language, else the only one).

    Raises ``LookupError`` for a unit neither text has, or a language with no edition ingested.
    """
    law = session.get(t.Law, law_id) if law_id else get_law(session=session)
    langs = languages(session=session, law_id=law.id)
    if language is not None and language not in langs:
        raise LookupError(f"no edition in {language!r} ingested (ingested: {', '.join(langs) or 'none'})")
    if OFFICIAL_LANGUAGE not in langs or len(langs) < 2:
        idx = law_index(session=session, law_id=law.id, language=language)
        return [unit_state(idx, eid, on) for eid in (subtree(idx, unit) if unit else idx.eids)]
    off = law_index(session=session, law_id=law.id, language=OFFICIAL_LANGUAGE)
    other = language if language not in (None, OFFICIAL_LANGUAGE) else next(x for x in langs if x != OFFICIAL_LANGUAGE)
    tr = law_index(session=session, law_id=law.id, language=other)
    show = language or OFFICIAL_LANGUAGE
    pair = _pair_memo(off, tr)
    combined = pair.combined
    out = []
    for eid, bps, in_off, in_tr in pair.rows(unit):
        # both texts' states are the same between two consecutive dates of ``bps``: combine them once there
        key = (eid, bisect_right(bps, on), show) if bps is not None else None
        state = combined.get(key) if key is not None else None
        if state is None:
            r = unit_state(off, eid, on) if in_off else None
            e = unit_state(tr, eid, on) if in_tr else None
            state = _combine(pair, r, e, pair.notes.get(eid, ()), show)
            if key is not None:
                combined[key] = state
        out.append(state)
    return out


def _order(off: LawIndex, tr: LawIndex, unit: str | None) -> list[str]:
    """The official text's units in its order; the translation's extra units after the unit they follow there."""
    if unit is None:
        base, extra = off.eids, tr.eids
    else:
        base = subtree(off, unit) if unit in off.by_eid else []
        extra = subtree(tr, unit) if unit in tr.by_eid else []
        if not base and not extra:
            raise LookupError(f"no unit {unit!r} in Law № {off.law.number}")
    have = set(base)
    after: dict[str | None, list[str]] = {}
    anchor = None
    for eid in extra:
        if eid in have:
            anchor = eid
        else:
            after.setdefault(anchor, []).append(eid)
    out = list(after.get(None, []))
    for eid in base:
        out.append(eid)
        out.extend(after.get(eid, []))
    return out


def _combine(pair: _Pair, r: UnitState | None, e: UnitState | None, notes: tuple[str, ...],
             show: str) -> UnitState:
    off, tr, name_off, name_tr = pair.off, pair.tr, pair.name_off, pair.name_tr
    if e is None:
        return _labelled(r, "official_only", f"not in the {name_tr}", tr.language, None)
    if r is None:
        return _labelled(e, "translation_only", f"not in the {name_off}: the translation's own answer is shown",
                         off.language, None)
    if r.status != e.status:
        agreement = "differs"
        note = f"the {name_tr} shows it {_STATUS[e.status]} on this date: {e.basis}"
    elif notes:
        agreement, note = "notes_differ", "; ".join(notes)
    else:
        agreement, note = "agrees", "same status; both texts' notes name the same laws, changes and dates"
    if show == off.language:
        return _labelled(r, agreement, note, tr.language, e.text)
    # the translation's wording, under the official text's status
    confidence = r.confidence
    if r.confidence is not None and e.confidence is not None:
        confidence = max(r.confidence, e.confidence, key=_RANK.__getitem__)
        if agreement == "differs":
            confidence = "unknown"
    text = e.text if (r.text is not None or r.status == e.status) else None
    basis = r.basis if e.text_source == r.text_source or e.basis == r.basis else \
        f"{r.basis}; the {tr.language} wording: {e.basis}"
    return replace(r, text=text, language=tr.language, text_source=e.text_source if text else None,
                   confidence=confidence, basis=basis, agreement=agreement, agreement_note=note,
                   other_language=off.language, other_text=r.text)


def _labelled(state: UnitState, agreement: str, note: str, other_language: str, other_text: str | None
              ) -> UnitState:
    """``replace(state, agreement=..., agreement_note=..., other_language=..., other_text=...)``, the
    commonest case, without building and checking a dict of keyword arguments."""
    d = state.__dict__.copy()
    d["agreement"] = agreement
    d["agreement_note"] = note
    d["other_language"] = other_language
    d["other_text"] = other_text
    return with_fields(d)


def replace(state: UnitState, **changes) -> UnitState:
    """``dataclasses.replace`` for a ``UnitState``, without re-running ``__init__`` (5× faster; no field has a
    default factory or a ``__post_init__`` to skip). Unknown field names raise ``TypeError``."""
    if not _FIELDS.issuperset(changes):
        raise TypeError(f"UnitState has no field {sorted(changes.keys() - _FIELDS)[0]!r}")
    return with_fields(state.__dict__ | changes)


_FIELDS = frozenset(f.name for f in dataclasses.fields(UnitState))


def _name(idx: LawIndex) -> str:
    """``Russian (official text), edition rus 18.01.2026``."""
    return f"{LANGUAGE_NAMES.get(idx.language, idx.language)}, edition {idx.edition}"


class _Pair:
    """What ``as_of`` needs of a pair of indexes (official text, translation) beyond each one's own:
    the notes differences per unit, the units in order, and the memo of combined states.

    ``combined`` holds one combined state per (unit, interval between the dates in ``bps``, language
    shown): ``bps`` is the union of the unit's breakpoints in both indexes (``unitstate.breakpoints``),
    so both texts' states, and the combined one, are the same for every date of such an interval.
    """

    __slots__ = ("off", "tr", "notes", "combined", "name_off", "name_tr", "_rows", "_all")

    def __init__(self, off: LawIndex, tr: LawIndex):
        self.off, self.tr = off, tr
        self.notes = _notes_differences(off, tr)
        self.combined: dict[tuple[str, int, str], UnitState] = {}
        self.name_off, self.name_tr = _name(off), _name(tr)
        self._rows: dict[str, tuple[str, list[date] | None, bool, bool]] = {}
        self._all: list[tuple[str, list[date] | None, bool, bool]] | None = None

    def rows(self, unit: str | None) -> list[tuple[str, list[date] | None, bool, bool]]:
        """(unit, both texts' breakpoints or None, in the official text, in the translation), in the
        order of ``_order``: the whole law (worked out once) or the subtree of ``unit``."""
        if unit is None and self._all is not None:
            return self._all
        rows = [self._row(eid) for eid in _order(self.off, self.tr, unit)]
        if unit is None:
            self._all = rows
        return rows

    def _row(self, eid: str) -> tuple[str, list[date] | None, bool, bool]:
        row = self._rows.get(eid)
        if row is None:
            in_off, in_tr = eid in self.off.by_eid, eid in self.tr.by_eid
            a = breakpoints(self.off, eid) if in_off else []
            b = breakpoints(self.tr, eid) if in_tr else []
            bps = None if a is None or b is None else sorted({*a, *b})
            row = self._rows[eid] = (eid, bps, in_off, in_tr)
        return row


_MEMO: dict[tuple[int, int], _Pair] = {}


def _pair_memo(off: LawIndex, tr: LawIndex) -> _Pair:
    """The ``_Pair`` of two indexes, made once while both are cached."""
    key = (id(off), id(tr))
    hit = _MEMO.get(key)
    if hit is None or hit.off is not off or hit.tr is not tr:
        if len(_MEMO) > 8:
            _MEMO.clear()
        hit = _MEMO[key] = _Pair(off, tr)
    return hit


def _notes_differences(off: LawIndex, tr: LawIndex) -> dict[str, tuple[str, ...]]:
    """Per unit, how the two texts' notes on it (and on the units above it up to its article) differ."""
    out: dict[str, tuple[str, ...]] = {}
    for eid in off.by_eid.keys() & tr.by_eid.keys():
        a, b = _notes_on(off, eid), _notes_on(tr, eid)
        if a == b:
            continue
        found = []
        for law in sorted(a.keys() | b.keys()):
            if law not in b:
                found.append(f"Law № {law} is named in the {off.language} notes only")
            elif law not in a:
                found.append(f"Law № {law} is named in the {tr.language} notes only")
            else:
                da, db = {d for d, _ in a[law]}, {d for d, _ in b[law]}
                if da != db:
                    found.append(f"Law № {law}: in force from {_dates(da)} in {off.language}, "
                                 f"from {_dates(db)} in {tr.language}")
                ka, kb = {k for _, k in a[law]}, {k for _, k in b[law]}
                if ka != kb:
                    found.append(f"Law № {law}: {', '.join(sorted(ka))} in {off.language}, "
                                 f"{', '.join(sorted(kb))} in {tr.language}")
        if found:
            out[eid] = tuple(found)
    return out


def _notes_on(idx: LawIndex, eid: str) -> dict[str, set[tuple[date | None, str]]]:
    """Amending law -> {(effective date, kind)} of the notes on ``eid`` and the units above it up to its article."""
    out: dict[str, set[tuple[date | None, str]]] = {}
    cur: str | None = eid
    while cur is not None:
        u = idx.by_eid.get(cur)
        if u is None or (cur != eid and u.kind in ("chapter", "section")):
            break
        for ev in idx.events_by_eid.get(cur, []):
            out.setdefault(ev.law_number, set()).add((ev.effective_date, ev.kind))
        cur = u.parent_eid
    return out


def _dates(ds: set[date | None]) -> str:
    return " / ".join(f"{d:%d.%m.%Y}" if d else "an unknown date" for d in sorted(ds, key=lambda d: d or date.max))
