"""What changed: compare two dates, the change log, effects of an amending law, history of a unit.

- ``changelog``  one row per unit × event, filtered by dates (inclusive), article, law, kind;
- ``compare``    the events that took effect in the half-open interval (d1, d2] — so ``compare(d, d)``
                 is empty and ``compare(a, b) + compare(b, c) == compare(a, c)`` — plus the units whose
                 status differs between the two dates, and word diffs of units whose wording is known
                 exactly on both dates;
- ``effects``    every unit an amending law touched, how and from when (legislation.gov.uk "effects");
- ``history``    every event that can have touched a unit, and all its dated wordings.

Old and new wordings are given only where the sources hold them: the new wording is today's text when
no later change can have touched the unit; the old wording comes from a dated witness valid just
before the change. Otherwise the row says "earlier wording not in the sources".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, select

from model import tables as t
from model.labels import article_of
from model.queries import latest_edition
from model.pointintime import LawIndex, UnitState, law_index
from model.unitstate import unit_state, witness_for
from model.textdiff import classify, word_diff

KINDS = ("inserted", "amended", "new_wording", "excluded")


@dataclass(frozen=True)
class ChangeRow:
    """One unit × event, with what the sources say about the wording before and after."""

    event_id: int
    effective_date: date | None
    effective_basis: str
    effective_note: str
    law_number: str
    law_date: date | None
    law_title: str | None
    unit_id: str
    label: str
    kind: str
    source_line: int
    note: str
    old_wording: str | None
    new_wording: str | None
    wording_confidence: str
    summary: str
    diff: tuple[tuple[str, str], ...] | None = None
    diff_class: str | None = None
    language: str = "eng"  # of the note and the wordings (the edition whose notes the row comes from)


def _notes(session: Session, idx: LawIndex) -> dict[int, str]:
    src_ids = {e.source_id for e in idx.events}
    rows = session.exec(select(t.Note).where(t.Note.law_id == idx.law.id, t.Note.source_id.in_(src_ids))).all()
    return {n.line: n.text for n in rows}


def _row(idx: LawIndex, e: t.Event, notes: dict[int, str]) -> ChangeRow:
    eid = e.eid
    unit = idx.by_eid.get(eid)
    eff = e.effective_date  # read once: an ORM attribute, and the list below may be long
    later = [c for c in idx.changes.get(eid, []) if c.effective_date > eff] if eff else []
    leaf = unit is not None and unit.present and unit.kind not in ("section", "chapter", "article")
    new = idx.texts.get(eid) if (e.effective_date and not later and leaf and e.kind != "excluded") else None
    old = None
    if e.effective_date:
        w = witness_for(idx, eid, e.effective_date - timedelta(days=1))
        old = w[0].text if w and not w[3] else None
    when = f"{e.effective_date:%d.%m.%Y}" if e.effective_date else "an unknown date"
    verb = {"inserted": "inserted", "amended": "amended", "new_wording": "rewritten whole",
            "excluded": "excluded"}[e.kind]
    summary = f"{verb} by Law № {e.law_number} from {when} ({e.effective_basis})"
    if e.kind != "inserted" and old is None:
        summary += "; earlier wording not in the sources"
    if e.kind != "excluded" and new is None and later:
        summary += f"; changed again later ({', '.join(dict.fromkeys('№ ' + c.law_number for c in later))})"
    diff = tuple(word_diff(old, new)) if old is not None and new is not None else None
    info = idx.law_info.get(e.law_number)
    return ChangeRow(
        event_id=e.id, effective_date=e.effective_date, effective_basis=e.effective_basis,
        effective_note=e.effective_note, law_number=e.law_number, law_date=e.law_date,
        law_title=info.title if info else None, unit_id=eid, label=idx.labels.get(eid, (eid, eid))[0],
        kind=e.kind, source_line=e.source_line, note=notes.get(e.source_line, ""), old_wording=old,
        new_wording=new, wording_confidence="exact" if new is not None else "unknown", summary=summary,
        diff=diff, diff_class=classify(old, new) if diff is not None else None, language=idx.language)


def _order(idx: LawIndex):
    pos = {u.eid: i for i, u in enumerate(idx.units)}  # the edition's own order
    return lambda r: (r.effective_date or date.max, pos.get(r.unit_id, 0), r.law_number)


def changelog(*, session: Session, date_from: date | None = None, date_to: date | None = None,
              article: str | None = None, law: str | None = None, kind: str | None = None,
              law_id: int | None = None, language: str | None = None) -> list[ChangeRow]:
    """One row per unit × event; dates inclusive; ``article`` as "7-1" or "art_7-1".

    The events are the notes of the newest edition in ``language`` (default: the official text)."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    idx = law_index(session=session, law_id=law_id, language=language)
    art = None if article is None else (article if article.startswith("art_") else f"art_{article}")
    if art is not None and art not in idx.by_eid:
        raise ValueError(f"no article {article!r} in Law № {idx.law.number}")
    if law is not None and not any(e.law_number == law for e in idx.events):
        raise ValueError(f"Law № {law} did not amend Law № {idx.law.number} (see `lawtrack laws`)")
    notes = _notes(session, idx)
    rows = []
    for e in idx.events:
        if date_from and (e.effective_date is None or e.effective_date < date_from):
            continue
        if date_to and (e.effective_date is None or e.effective_date > date_to):
            continue
        if art and article_of(e.eid) != art:
            continue
        if law and e.law_number != law:
            continue
        if kind and e.kind != kind:
            continue
        rows.append(_row(idx, e, notes))
    return sorted(rows, key=_order(idx))


@dataclass(frozen=True)
class StatusChange:
    unit_id: str
    label: str
    before: UnitState
    after: UnitState


@dataclass(frozen=True)
class WordingChange:
    """A unit whose wording is known exactly on both dates (a dated witness, an edition) and differs."""

    unit_id: str
    label: str
    old: str
    new: str
    diff: tuple[tuple[str, str], ...]
    classification: str  # translation | substantive
    old_source: str
    new_source: str


@dataclass(frozen=True)
class Comparison:
    d1: date
    d2: date
    changes: list[ChangeRow]
    status_changes: list[StatusChange]
    undated: list[ChangeRow] = field(default_factory=list)
    wording_changes: list[WordingChange] = field(default_factory=list)


def compare(*, session: Session, d1: date, d2: date, law_id: int | None = None,
            language: str | None = None) -> Comparison:
    """Changes that took effect in (d1, d2] and units whose status differs; requires d1 <= d2."""
    if d2 < d1:
        raise ValueError(f"the first date ({d1}) must not be after the second ({d2})")
    idx = law_index(session=session, law_id=law_id, language=language)
    notes = _notes(session, idx)
    rows = [_row(idx, e, notes) for e in idx.events if e.effective_date and d1 < e.effective_date <= d2]
    undated = [_row(idx, e, notes) for e in idx.events if e.effective_date is None]
    status, wording = [], []
    if d1 != d2:
        for u in idx.units:
            a, b = unit_state(idx, u.eid, d1), unit_state(idx, u.eid, d2)
            if a.status != b.status:
                status.append(StatusChange(u.eid, a.label, a, b))
            elif (a.status == "in_force" and a.confidence == b.confidence == "exact" and a.text and b.text
                  and a.text != b.text):
                wording.append(WordingChange(u.eid, a.label, a.text, b.text, tuple(word_diff(a.text, b.text)),
                                             classify(a.text, b.text), a.text_source or "", b.text_source or ""))
    return Comparison(d1, d2, sorted(rows, key=_order(idx)), status, undated, wording)


def effects(*, session: Session, law_number: str, law_id: int | None = None,
            language: str | None = None) -> list[ChangeRow]:
    """Every unit ``law_number`` touched, how and from when."""
    return changelog(session=session, law=law_number, law_id=law_id, language=language)


@dataclass(frozen=True)
class UnitHistory:
    unit_id: str
    label: str
    long_label: str
    basis: str
    events: list[ChangeRow]          # notes on the unit itself
    context_events: list[ChangeRow]  # notes on its article/paragraph or inside it (may have touched it)
    versions: list[t.UnitVersion]
    witnesses: list                  # model.pointintime.Witness
    text_changes: list[t.TextChange]


def history(*, session: Session, unit_id: str, law_id: int | None = None,
            language: str | None = None) -> UnitHistory:
    """Every event that can have touched ``unit_id`` and every dated wording of it."""
    idx = law_index(session=session, law_id=law_id, language=language)
    if unit_id not in idx.by_eid:
        raise ValueError(f"no unit {unit_id!r} in Law № {idx.law.number} (ids look like art_7-1__para_2__subpara_3)")
    notes = _notes(session, idx)
    touching = {(c.eid, c.law_number, c.kind) for c in idx.changes.get(unit_id, [])}
    own, context = [], []
    for e in idx.events:
        if e.eid == unit_id:
            own.append(_row(idx, e, notes))
        elif (e.eid, e.law_number, e.kind) in touching:
            context.append(_row(idx, e, notes))
    newest = latest_edition(session=session, law_id=idx.law.id, language=idx.language).id
    versions = [v for v, s in session.exec(
        select(t.UnitVersion, t.Source).join(t.Source, t.Source.id == t.UnitVersion.source_id)
        .where(t.UnitVersion.law_id == idx.law.id, t.UnitVersion.eid == unit_id))
        if s.id == newest or s.kind == "witness"]  # older editions appear among the dated wordings
    versions.sort(key=lambda v: (v.valid_from or date.min, v.id))
    changes = list(session.exec(select(t.TextChange).where(t.TextChange.law_id == idx.law.id,
                                                           t.TextChange.eid == unit_id)))
    lab = idx.labels[unit_id]
    order = _order(idx)
    return UnitHistory(unit_id, lab[0], lab[1], idx.lifecycles[unit_id].basis, sorted(own, key=order),
                       sorted(context, key=order), versions, idx.witnesses.get(unit_id, []), changes)
