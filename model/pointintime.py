"""The law as in force on a date: status, certainty and wording confidence of every unit.

``as_of(session=, on=)`` answers for the whole law or one unit's subtree. Each unit gets:

- ``status``: ``in_force``, ``excluded``, ``not_yet_inserted`` (a later law inserted it),
  ``not_yet_in_force`` (before the law's commencement), or ``uncertain`` (the sources cannot say
  whether it existed on that date: a "3-1" whose inserting law is not named, a sub-unit of an article
  before it was rewritten whole, a date within a month after an estimated effective date);
- ``certainty``: for ``in_force``, ``certain`` or ``probable`` (a plain number that a law touching its
  article may have appended after the date);
- ``confidence`` of the wording shown: ``exact`` (no later change can have touched it, or a dated
  witness quotes it), ``later_amended`` (today's wording, labelled so; ``laws`` lists the later
  changes), ``unknown`` (no wording for that date is in the sources);
- ``basis``: one sentence on the evidence; ``laws``: the amending laws behind status or confidence.

The derived index of a law is cached per (database, law, content version).
"""
from __future__ import annotations

import dataclasses
import functools
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from model import tables as t
from model.labels import long_label, short_label
from model.lifecycle import ESTIMATE_WINDOW, LEvent, Lifecycle, LUnit, changes_touching, derive_lifecycles
from model.queries import OFFICIAL_LANGUAGE, get_law, latest_edition
from model.textdiff import classify

STATUSES = ("in_force", "excluded", "not_yet_inserted", "not_yet_in_force", "uncertain")
CONFIDENCES = ("exact", "later_amended", "unknown")


@dataclass(frozen=True)
class Witness:
    """A dated wording of a unit from another source (a quotation, another edition)."""

    eid: str
    text: str
    known_on: date
    source: str
    language: str = "eng"
    edition_date: date | None = None  # for a consolidated edition: its date (``known_on`` may be later)

    @property
    def described(self) -> str:
        """``consolidated edition of 18.01.2026, whose text includes changes up to 10.07.2026`` or
        ``<source> (known on 01.05.2020)``."""
        if self.edition_date is not None and self.known_on > self.edition_date:
            return f"{self.source}, whose text includes changes up to {self.known_on:%d.%m.%Y}"
        return f"{self.source} (known on {self.known_on:%d.%m.%Y})"


@dataclass
class LawIndex:
    """Everything point-in-time questions need about one law, derived once per content version."""

    law: t.Law
    units: list[t.Unit]
    by_eid: dict[str, t.Unit]
    children: dict[str, list[str]]
    texts: dict[str, str | None]
    lifecycles: dict[str, Lifecycle]
    changes: dict[str, list[LEvent]]
    events: list[t.Event]
    events_by_eid: dict[str, list[t.Event]]
    witnesses: dict[str, list[Witness]]
    law_info: dict[str, t.AmendingLaw]
    last_change: date | None
    depth: dict[str, int] = field(default_factory=dict)
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    # memo of unit_state: per unit, the dates at which its state can change, and the states computed
    # so far per interval between them (see ``unit_state``)
    breaks: dict[str, list[date] | None] = field(default_factory=dict)
    states: dict[tuple[str, int], "UnitState"] = field(default_factory=dict)
    base: dict[str, dict] = field(default_factory=dict)  # the fields of a UnitState that do not depend on the date
    excluded_by_note: set[str] = field(default_factory=set)  # units an "excluded" event names
    commencement: date = date(2016, 1, 1)  # the law's, read once (an ORM attribute is slow to read per unit)
    language: str = "eng"  # the language of the edition the index follows
    edition: str = ""      # that edition, for people: "rus 18.01.2026", "eng undated"


@dataclass(frozen=True)
class UnitState:
    eid: str
    label: str
    long_label: str
    kind: str
    parent: str | None
    depth: int
    status: str
    certainty: str | None
    confidence: str | None
    text: str | None
    text_source: str | None
    valid_from: date | None
    valid_to: date | None
    basis: str
    laws: tuple[str, ...] = field(default=())
    present: bool = True
    language: str = "eng"                # the language of ``text``
    status_from: str = ""                # the edition whose notes decided the status ("rus 18.01.2026")
    # with both languages ingested (``model.evidence``): does the other text agree, and what it says
    agreement: str | None = None         # None: one language only; else one of evidence.AGREEMENTS
    agreement_note: str = ""
    other_language: str | None = None
    other_text: str | None = None


_CACHE: dict[tuple, LawIndex] = {}


def law_index(*, session: Session, law_id: int | None = None, language: str | None = None) -> LawIndex:
    """The derived index of a law as the newest edition in ``language`` tells it (default: the official
    text if ingested, see ``latest_edition``); cached per database, law, content version and language.

    Units are those of that edition, in its order; wordings and dated witnesses are in its language.
    """
    law = session.get(t.Law, law_id) if law_id else get_law(session=session)
    bind = session.get_bind()
    key = (str(bind.url), id(bind), law.id, law.content_version, language)
    if key in _CACHE:
        return _CACHE[key]
    src = latest_edition(session=session, law_id=law.id, language=language)
    in_edition = select(t.UnitVersion.eid).where(t.UnitVersion.law_id == law.id,  # law_id: the index, not a scan
                                                 t.UnitVersion.source_id == src.id)  # units of this edition only
    units = list(session.exec(select(t.Unit).where(t.Unit.law_id == law.id, t.Unit.eid.in_(in_edition))
                              .order_by(t.Unit.position)))
    events = list(session.exec(select(t.Event).where(t.Event.law_id == law.id, t.Event.source_id == src.id)
                               .order_by(t.Event.source_line, t.Event.id)))
    versions = session.exec(select(t.UnitVersion, t.Source).join(t.Source, t.Source.id == t.UnitVersion.source_id)
                            .where(t.UnitVersion.law_id == law.id)).all()
    texts: dict[str, str | None] = {}
    witnesses: dict[str, list[Witness]] = {}
    edition_known_on = _edition_dates(session, law.id, src.language)
    first_row: dict[str, int] = {}  # unit -> its first row in this edition: the edition's own order
    for v, s in versions:
        if s.kind == "witness":
            if v.text is not None and v.valid_from is not None and v.language == src.language:
                witnesses.setdefault(v.eid, []).append(
                    Witness(v.eid, v.text, v.valid_from, s.description or s.name, v.language))
        elif s.id == src.id:
            first_row[v.eid] = min(first_row.get(v.eid, v.id), v.id)
            if v.text is not None and v.valid_to is None:
                texts[v.eid] = v.text
                if s.id in edition_known_on and v.status == "in_force":  # a dated newest edition
                    witnesses.setdefault(v.eid, []).append(
                        Witness(v.eid, v.text, edition_known_on[s.id],
                                f"consolidated edition of {s.edition_date:%d.%m.%Y}", v.language, s.edition_date))
        elif s.id in edition_known_on and v.text is not None and v.valid_to is None and v.status == "in_force":
            witnesses.setdefault(v.eid, []).append(
                Witness(v.eid, v.text, edition_known_on[s.id], f"consolidated edition of {s.edition_date:%d.%m.%Y}",
                        v.language, s.edition_date))
    if src.language != "eng":  # unit positions are the English edition's (see ingest.load)
        units.sort(key=lambda u: first_row.get(u.eid, 0))
    lunits = [LUnit(u.eid, u.kind, u.number, u.parent_eid, u.present) for u in units]
    levents = [LEvent(e.eid, e.kind, e.law_number, e.effective_date, e.effective_basis) for e in events]
    children: dict[str, list[str]] = {}
    for u in units:
        if u.parent_eid:
            children.setdefault(u.parent_eid, []).append(u.eid)
    ev_by: dict[str, list[t.Event]] = {}
    for e in events:
        ev_by.setdefault(e.eid, []).append(e)
    idx = LawIndex(law=law, units=units, by_eid={u.eid: u for u in units}, children=children, texts=texts,
                   lifecycles=derive_lifecycles(lunits, levents, law.commencement or date(2016, 1, 1)),
                   changes=changes_touching(lunits, levents), events=events, events_by_eid=ev_by,
                   witnesses={k: sorted(v, key=lambda w: w.known_on) for k, v in witnesses.items()},
                   law_info={a.number: a for a in session.exec(select(t.AmendingLaw))},
                   last_change=max((e.effective_date for e in events if e.effective_date), default=None))
    idx.language = src.language
    idx.edition = f"{src.language} {src.edition_date:%d.%m.%Y}" if src.edition_date else f"{src.language} undated"
    for u in units:  # parents come first
        idx.depth[u.eid] = idx.depth.get(u.parent_eid, -1) + 1 if u.parent_eid else 0
        idx.labels[u.eid] = (short_label(u.eid), long_label(u.eid))
        idx.base[u.eid] = dict(eid=u.eid, label=idx.labels[u.eid][0], long_label=idx.labels[u.eid][1], kind=u.kind,
                               parent=u.parent_eid, depth=idx.depth[u.eid], present=u.present,
                               language=src.language, status_from=idx.edition)
    idx.excluded_by_note = {e.eid for e in events if e.kind == "excluded"}
    idx.commencement = law.commencement or date(2016, 1, 1)
    if len(_CACHE) > 16:
        _CACHE.clear()
    _CACHE[key] = idx
    # one index per edition: the default (None) and the language it resolves to share it
    if language is None or src.language == OFFICIAL_LANGUAGE:
        _CACHE[key[:-1] + (src.language,)] = _CACHE[key[:-1] + (None,)] = idx
    return idx


def _edition_dates(session: Session, law_id: int, language: str) -> dict[int, date]:
    """Dated editions -> the date their text is known on: the edition date, or the last change
    their notes record if that is later (an edition already shows amendments not yet in force)."""
    from sqlalchemy import func
    out = {}
    eds = session.exec(select(t.Source).where(t.Source.law_id == law_id, t.Source.kind == "consolidated",
                                              t.Source.language == language,
                                              t.Source.edition_date.is_not(None))).all()
    for s in eds:
        last = session.exec(select(func.max(t.Event.effective_date)).where(t.Event.law_id == law_id,
                                                                           t.Event.source_id == s.id)).one()
        out[s.id] = max(d for d in (s.edition_date, last) if d is not None)
    return out


def subtree(idx: LawIndex, eid: str) -> list[str]:
    """``eid`` and everything below it, in document order."""
    if eid not in idx.by_eid:
        raise LookupError(f"no unit {eid!r} in Law № {idx.law.number}")
    out, stack = [], [eid]
    while stack:
        cur = stack.pop()
        out.append(cur)
        stack.extend(reversed(idx.children.get(cur, [])))
    return out


def witness_for(idx: LawIndex, eid: str, on: date) -> tuple[Witness, date | None, date | None, str | None] | None:
    """A dated wording valid on ``on``, the interval [from, to) it holds over, and a doubt (or None).

    Only dated texts with no noted change touching the unit between their date and ``on`` qualify.
    The latest such text known on or before ``on`` wins; failing that, the earliest after it. When
    texts on both sides of ``on`` differ although no note explains it, the doubt says so: the
    change happened somewhere between the two dates.
    """
    dates = [e.effective_date for e in idx.changes.get(eid, [])]
    usable = []
    for w in idx.witnesses.get(eid, []):
        start = max((d for d in dates if d <= w.known_on), default=None)
        end = min((d for d in dates if d > w.known_on), default=None)
        if (start is None or start <= on) and (end is None or on < end):
            usable.append((w, start, end))
    if not usable:
        return None
    before = [u for u in usable if u[0].known_on <= on]
    after = [u for u in usable if u[0].known_on > on]
    if before:
        w, start, end = max(before, key=lambda u: u[0].known_on)
        nxt = min(after, key=lambda u: u[0].known_on) if after else None
        doubt = None
        if nxt is not None and classify(w.text, nxt[0].text) == "substantive":
            doubt = (f"{w.described} and {nxt[0].described} differ although no note records a change: it "
                     "happened somewhere between those dates")
        return w, start, end, doubt
    w, start, end = min(after, key=lambda u: u[0].known_on)
    return w, start, end, None


@functools.lru_cache(maxsize=4096)
def _dmy(d: date) -> str:
    """``d`` as DD.MM.YYYY (cached: strftime is slow, and few distinct dates occur)."""
    return f"{d:%d.%m.%Y}"


def _breakpoints(idx: LawIndex, eid: str) -> list[date] | None:
    """Every date ``_unit_state`` compares ``on`` with for ``eid``, sorted; None: do not memoise this unit.

    ``_unit_state`` depends on ``on`` only through comparisons ``on < d`` / ``on >= d`` with: the law's
    commencement; the dates of the unit's lifecycle and of its article's (each also + ESTIMATE_WINDOW);
    its candidate laws' dates; the dates of the changes touching it; and, through ``witness_for``, the
    dates its dated wordings are known on (which one is shown depends on where ``on`` falls among them).
    Between two consecutive such dates its state is therefore the same.
    """
    out = {idx.law.commencement or date(2016, 1, 1)}
    out.update(w.known_on for w in idx.witnesses.get(eid, ()))
    for lc in (idx.lifecycles[eid], idx.lifecycles.get(eid.split("__")[0])):
        if lc is None:
            continue
        for f in dataclasses.fields(lc):
            d = getattr(lc, f.name)
            if isinstance(d, date):
                out.update((d, d + ESTIMATE_WINDOW))
        out.update(d for _, d in lc.candidates)
    out.update(e.effective_date for e in idx.changes.get(eid, []))
    return sorted(out)


def _of(idx: LawIndex, number: str | None) -> str:
    """" of DD.MM.YYYY" for an amending law whose date is known."""
    info = idx.law_info.get(number or "")
    return f" of {_dmy(info.date)}" if info is not None and info.date else ""


def unit_state(idx: LawIndex, eid: str, on: date) -> UnitState:
    """The state of one unit on ``on`` (see the module docstring).

    Memoised per interval between the unit's breakpoints (``_breakpoints``): a date in an interval
    already asked about costs a lookup. Any new comparison of ``on`` in ``_unit_state`` must be
    matched by its date in ``_breakpoints``.
    """
    if eid not in idx.breaks:
        idx.breaks[eid] = _breakpoints(idx, eid)
    bps = idx.breaks[eid]
    if bps is None:
        return _unit_state(idx, eid, on)
    key = (eid, bisect_right(bps, on))
    state = idx.states.get(key)
    if state is None:
        state = idx.states[key] = _unit_state(idx, eid, on)
    return state


def _unit_state(idx: LawIndex, eid: str, on: date) -> UnitState:
    lc = idx.lifecycles[eid]
    text = idx.texts.get(eid)
    if lc.end is not None and on < lc.end and lc.end_law and eid in idx.excluded_by_note:
        text = None  # today's text is the exclusion stub, not the wording it had before
    base = idx.base[eid]
    commencement = idx.commencement
    if on < commencement:
        return UnitState(**base, status="not_yet_in_force", certainty=None, confidence=None, text=None,
                         text_source=None, valid_from=None, valid_to=None,
                         basis=f"the law enters into force on {_dmy(commencement)} (Article 67)")
    if lc.end is not None and on >= lc.end:
        if lc.end_estimated and on < lc.end + ESTIMATE_WINDOW:
            return UnitState(**base, status="uncertain", certainty=None, confidence="unknown", text=text,
                             text_source="today", valid_from=lc.possible_from, valid_to=None,
                             basis=f"excluded by Law № {lc.end_law} from about {_dmy(lc.end)}: the date is "
                                   "estimated (publication date unknown), so it may not yet have applied",
                             laws=(lc.end_law,))
        return UnitState(**base, status="excluded", certainty="certain",
                         confidence="exact" if base["present"] and text else "unknown",
                         text=text if base["present"] else None, text_source="today" if base["present"] else None,
                         valid_from=lc.end, valid_to=None,
                         basis=f"excluded by Law № {lc.end_law}{_of(idx, lc.end_law)} from {_dmy(lc.end)}", laws=(lc.end_law,))
    rewritten = lc.rewritten_on is not None and on < lc.rewritten_on
    article = idx.lifecycles.get(eid.split("__")[0])
    if rewritten and article is not None and article.possible_from and on < article.possible_from:
        rewritten = False  # the article itself did not exist yet
    if rewritten and base["kind"] not in ("article", "heading"):
        return UnitState(**base, status="uncertain", certainty=None, confidence="unknown", text=text,
                         text_source="today", valid_from=None, valid_to=lc.rewritten_on,
                         basis=f"its article was rewritten whole by Law № {lc.rewritten_by} from "
                               f"{_dmy(lc.rewritten_on)}; before that its structure is not in the sources",
                         laws=(lc.rewritten_by,))
    if lc.possible_from is not None and on < lc.possible_from:
        if lc.start_kind in ("inserted", "candidates", "rewritten") or lc.possible_from > commencement:
            laws = tuple(n for n, _ in lc.candidates)
            return UnitState(**base, status="not_yet_inserted", certainty=None, confidence=None, text=None,
                             text_source=None, valid_from=lc.possible_from, valid_to=lc.end,
                             basis=("every law that could have inserted it took effect later: " if lc.start_kind == "candidates"
                                    else "") + lc.basis, laws=laws)
    certain = lc.certain_from is not None and on >= lc.certain_from
    if certain and lc.start_estimated and on < lc.certain_from + ESTIMATE_WINDOW:
        certain = False
    if not certain and lc.start_kind in ("candidates", "unknown", "inserted"):
        later = tuple(n for n, d in lc.candidates if d > on) or tuple(n for n, _ in lc.candidates)
        return UnitState(**base, status="uncertain", certainty=None, confidence="unknown", text=text,
                         text_source="today" if text else None, valid_from=lc.possible_from, valid_to=lc.end,
                         basis=lc.basis + ("; the inserting law's date is estimated" if lc.start_kind == "inserted" else ""),
                         laws=later)
    certainty = "certain" if certain else "probable"
    # wording confidence
    if rewritten:  # the article (or its heading) before its rewrite
        return UnitState(**base, status="in_force", certainty=certainty, confidence="unknown", text=text,
                         text_source="today", valid_from=lc.possible_from, valid_to=lc.rewritten_on,
                         basis=f"rewritten whole by Law № {lc.rewritten_by} from {_dmy(lc.rewritten_on)}; "
                               "its earlier wording is not in the sources", laws=(lc.rewritten_by,))
    if not base["present"]:
        return UnitState(**base, status="in_force", certainty=certainty, confidence="unknown", text=None,
                         text_source=None, valid_from=lc.possible_from, valid_to=lc.end, basis=lc.basis)
    w = witness_for(idx, eid, on) if eid in idx.witnesses else None
    if w is None and lc.end is not None:
        return UnitState(**base, status="in_force", certainty=certainty, confidence="unknown", text=None,
                         text_source=None, valid_from=lc.possible_from, valid_to=lc.end,
                         basis=f"excluded later by Law № {lc.end_law} from {_dmy(lc.end)}; its wording "
                               "before the exclusion is not in the sources", laws=(lc.end_law,))
    if w is not None:
        wit, start, end, doubt = w
        return UnitState(**base, status="in_force", certainty=certainty, confidence="unknown" if doubt else "exact",
                         text=wit.text, text_source=f"witness: {wit.source}", valid_from=start, valid_to=end,
                         basis=doubt or (f"wording in {wit.described}; no "
                                         "change touching the unit between that date and this one"))
    later = [e for e in idx.changes.get(eid, []) if e.effective_date > on]
    start_note = "" if certainty == "certain" else f"; existence {certainty}: {lc.basis}"
    if later:
        laws = tuple(dict.fromkeys(e.law_number for e in later))
        first = min(e.effective_date for e in later)
        pairs = list(dict.fromkeys((e.law_number, e.effective_date) for e in later))
        return UnitState(**base, status="in_force", certainty=certainty, confidence="later_amended", text=text,
                         text_source="today", valid_from=lc.possible_from, valid_to=first,
                         basis="today's wording shown: a later change can have touched it ("
                               + ", ".join(f"№ {n} from {_dmy(d)}" for n, d in pairs[:6])
                               + (f" and {len(pairs) - 6} more" if len(pairs) > 6 else "") + ")" + start_note,
                         laws=laws)
    prior = [e.effective_date for e in idx.changes.get(eid, []) if e.effective_date <= on]
    return UnitState(**base, status="in_force", certainty=certainty, confidence="exact", text=text,
                     text_source="today", valid_from=max(prior, default=lc.possible_from), valid_to=lc.end,
                     basis="today's wording; no later change can have touched it" + start_note,
                     laws=tuple(n for n, _ in lc.candidates if certainty != "certain"))


def as_of(*, session: Session, on: date, unit: str | None = None, law_id: int | None = None,
          language: str | None = None) -> list[UnitState]:
    """Every unit (or the subtree of ``unit``) as on ``on``, in document order.

    With one language ingested, that edition's answer. With the official text and a translation, the
    official text decides and the translation is labelled with whether it agrees (``model.evidence``);
    ``language`` chooses the wording shown (default: the official text's).
    """
    from model.evidence import as_of as best_evidence  # evidence builds on this module
    return best_evidence(session=session, on=on, unit=unit, law_id=law_id, language=language)
