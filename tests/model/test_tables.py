"""The schema's guarantees, on SQLite and PostgreSQL: a bulk row's source must exist and be a source of
the row's own law (one foreign key on ``(law_id, source_id)``)."""
from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from model import tables as t
from model.engine import init_db, make_engine


def _two_laws(session: Session) -> list[tuple[int, int]]:
    """Two laws with a source each: [(law id, source id)] (ids, not rows: the rows expire at commit)."""
    sources = []
    for number in ("1-I", "2-II"):
        law = t.Law(number=number, title="T")
        session.add(law)
        session.flush()
        src = t.Source(law_id=law.id, name=f"{number}.txt", sha256=number, size=1)
        session.add(src)
        session.flush()
        sources.append((law.id, src.id))
    return sources


def _rows(law_id: int, source_id: int) -> list:
    return [t.UnitVersion(law_id=law_id, eid="art_1", source_id=source_id, status="in_force", confidence="exact",
                          basis="b"),
            t.Event(law_id=law_id, source_id=source_id, eid="art_1", kind="amended", law_number="1-I",
                    effect_clause="", effective_basis="explicit", effective_note="", source_line=1, note_kind="inline"),
            t.Note(law_id=law_id, source_id=source_id, line=1, kind="inline", text="n"),
            t.ParseWarningRow(law_id=law_id, source_id=source_id, line=1, text="w", reason="r", severity="repaired")]


@pytest.mark.parametrize("which", range(4), ids=["unit_version", "event", "note", "parse_warning"])
def test_a_row_of_one_law_cannot_point_at_another_laws_source(db_url, which):
    engine = make_engine(db_url)
    init_db(engine)
    with Session(engine) as s, s.begin():
        (law_a, source_a), (_, source_b) = _two_laws(s)
        s.add(_rows(law_a, source_a)[which])  # its own law's source: fine
        s.flush()
    with Session(engine) as s, s.begin():
        s.add(_rows(law_a, source_b)[which])  # law 1, but the source of law 2
        with pytest.raises(IntegrityError):
            s.flush()
    with Session(engine) as s, s.begin():
        s.add(_rows(law_a, source_b + 100)[which])  # no such source
        with pytest.raises(IntegrityError):
            s.flush()
    engine.dispose()
