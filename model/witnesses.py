"""Listings of dated witnesses: how their quotations were matched, and the wordings that changed since.

All functions take ``*, session`` and return rows of ``model.tables``:
- ``list_witness_matches``  every quotation of every witness, matched ones in document order;
- ``list_text_changes``     the word diffs between a witness's wording and today's.
"""
from __future__ import annotations

from sqlmodel import Session, select

from model import tables as t


def _positions(session: Session, law_id: int) -> dict[str, int]:
    return dict(session.exec(select(t.Unit.eid, t.Unit.position).where(t.Unit.law_id == law_id)).all())


def list_witness_matches(*, session: Session, law_id: int) -> list[t.WitnessMatch]:
    """Every quotation of the law's witnesses: matched ones in document order of their units, then
    the rejected ones; within a unit (or among the rejected) by date, witness and file order."""
    rows = session.exec(select(t.WitnessMatch).where(t.WitnessMatch.law_id == law_id)).all()
    pos = _positions(session, law_id)
    never = len(pos) + 1
    return sorted(rows, key=lambda m: (m.status != "matched", pos.get(m.eid, never) if m.eid else never,
                                       m.known_on, m.source_id, m.id))


def list_text_changes(*, session: Session, law_id: int, eid: str | None = None) -> list[t.TextChange]:
    """The wording changes of the law (or of unit ``eid``), in document order, then oldest first."""
    q = select(t.TextChange).where(t.TextChange.law_id == law_id)
    if eid is not None:
        q = q.where(t.TextChange.eid == eid)
    rows = session.exec(q).all()
    pos = _positions(session, law_id)
    never = len(pos) + 1
    return sorted(rows, key=lambda c: (pos.get(c.eid, never), c.older_date is None, c.older_date, c.id))
