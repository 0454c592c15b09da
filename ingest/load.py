"""Write a ``ParsedLaw`` into the database — the only ingest module that imports ``model``.

``load_parsed`` runs in one transaction: either every row of the edition is written, or (on any
error, or if the process dies) the database is left exactly as it was. Loading the same source
(same sha256) again changes nothing. Another edition of the same law adds its source, notes, events
and unit versions (never duplicate units), and records the word diffs of units whose text differs
from the editions just before and after it. Point-in-time answers use the newest edition's notes
and treat older editions' texts as dated wordings.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Callable

from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ingest.parse import ParsedLaw
from model import tables as t
from model.engine import init_db
from model.labels import short_label
from model.lifecycle import LEvent, LUnit, changes_touching, derive_lifecycles
from model.textdiff import classify, word_diff
from model.versions import edition_versions

DEFAULT_COMMENCEMENT = date(2016, 1, 1)


@dataclass(frozen=True)
class LoadResult:
    law_id: int
    source_id: int
    unchanged: bool
    units: int
    events: int
    notes: int
    warnings: int
    amending_laws: int
    versions: int


def load_parsed(engine: Engine, parsed: ParsedLaw, *, edition_date: date | None = None,
                progress: Callable[[str], None] = lambda _m: None) -> LoadResult:
    """Store ``parsed``; idempotent per source file (see the module docstring)."""
    init_db(engine)
    with Session(engine) as session, session.begin():
        law = session.exec(select(t.Law).where(t.Law.number == parsed.number)).first()
        if law is None:
            law = t.Law(number=parsed.number, title=parsed.title, date=parsed.date,
                        commencement=parsed.commencement)
            session.add(law)
            session.flush()
        existing = session.exec(select(t.Source).where(t.Source.law_id == law.id,
                                                       t.Source.sha256 == parsed.source.sha256)).first()
        if existing is not None:
            progress("source already ingested: nothing to do")
            return _counts(session, law.id, existing.id, unchanged=True)
        src = t.Source(law_id=law.id, name=parsed.source.name, sha256=parsed.source.sha256,
                       size=parsed.source.size, kind="consolidated", language=parsed.language,
                       edition_date=edition_date,
                       description=f"consolidated text, amendments up to Law № "
                                   f"{parsed.amending_laws[-1].number if parsed.amending_laws else '—'}")
        session.add(src)
        session.flush()
        progress(f"writing {len(parsed.amending_laws)} amending laws")
        numbers = [a.number for a in parsed.amending_laws]  # one query for all, not one per law
        stored = {r.number: r for r in session.exec(select(t.AmendingLaw).where(t.AmendingLaw.number.in_(numbers)))}
        for a in parsed.amending_laws:
            row = stored.get(a.number)
            if row is None:
                session.add(t.AmendingLaw(number=a.number, date=a.date, title=a.title,
                                          publication_date=a.publication_date, source=a.source))
            else:
                row.date, row.title = a.date, a.title
                row.publication_date, row.source = a.publication_date, a.source
        progress(f"writing {len(parsed.units)} units")
        known = {u.eid: u for u in session.exec(select(t.Unit).where(t.Unit.law_id == law.id))}
        new_units = []
        for u in parsed.units:
            row = known.get(u.eid)
            values = dict(kind=u.kind, number=u.number, parent_eid=u.parent, position=u.position,
                          label=short_label(u.eid), present=u.present, line_start=u.line_start,
                          line_end=u.line_end)
            if row is None:
                new_units.append(dict(law_id=law.id, eid=u.eid, **values))
            elif parsed.language == "eng":  # the English edition orders the units shown (see latest_edition)
                for k, v in values.items():
                    setattr(row, k, v)
        # Rows are written with bulk INSERTs (one executemany per table), not one ORM object each:
        # building and flushing thousands of SQLModel objects was most of the ingest time.
        _insert(session, t.Unit, new_units)
        progress(f"writing {len(parsed.notes)} notes and {len(parsed.events)} events")
        _insert(session, t.Note, [dict(law_id=law.id, source_id=src.id, line=n.line, kind=n.kind, text=n.text,
                                       context_eid=n.context) for n in parsed.notes])
        _insert(session, t.Event, [dict(law_id=law.id, source_id=src.id, eid=e.unit, kind=e.kind,
                                        law_number=e.law_number, law_date=e.law_date,
                                        effect_clause=e.effect_clause, effective_date=e.effective_date,
                                        effective_basis=e.effective_basis, effective_note=e.effective_note,
                                        source_line=e.source_line, note_kind=e.note_kind)
                                   for e in parsed.events])
        _insert(session, t.ParseWarningRow, [dict(law_id=law.id, source_id=src.id, line=w.line, text=w.text,
                                                  reason=w.reason, severity=w.severity) for w in parsed.warnings])
        progress("deriving unit versions")
        lunits = [LUnit(u.eid, u.kind, u.number, u.parent, u.present) for u in parsed.units]
        levents = [LEvent(e.unit, e.kind, e.law_number, e.effective_date, e.effective_basis)
                   for e in parsed.events]
        lcs = derive_lifecycles(lunits, levents, parsed.commencement or DEFAULT_COMMENCEMENT)
        changes = changes_touching(lunits, levents)
        versions = [dict(law_id=law.id, eid=v.eid, source_id=src.id, text=v.text, valid_from=v.valid_from,
                         valid_to=v.valid_to, status=v.status, confidence=v.confidence, basis=v.basis,
                         language=parsed.language)
                    for u in parsed.units
                    for v in edition_versions(u.eid, u.text, u.present, lcs[u.eid], changes.get(u.eid, []))]
        _insert(session, t.UnitVersion, versions)
        progress("comparing with the neighbouring editions")
        _record_edition_changes(session, law.id, src, {u.eid: u.text for u in parsed.units if u.present})
        law.content_version = (law.content_version or 0) + 1
        law.title, law.date = parsed.title, parsed.date
        law.commencement = parsed.commencement or law.commencement
        session.flush()
        return _counts(session, law.id, src.id, unchanged=False)


def _edition_texts(session: Session, source_id: int) -> dict[str, str]:
    rows = session.exec(select(t.UnitVersion).where(t.UnitVersion.source_id == source_id,
                                                    t.UnitVersion.valid_to.is_(None),
                                                    t.UnitVersion.status == "in_force")).all()
    return {v.eid: v.text for v in rows if v.text is not None}


def _record_edition_changes(session: Session, law_id: int, new: t.Source, new_texts: dict[str, str]) -> None:
    """TextChange rows between the new edition and the editions just before and after it in time."""
    eds = session.exec(select(t.Source).where(t.Source.law_id == law_id, t.Source.kind == "consolidated",
                                              t.Source.language == new.language)).all()  # same language only
    order = sorted(eds, key=lambda s: (s.edition_date or date.max, s.id))
    i = [s.id for s in order].index(new.id)
    pairs = []
    if i > 0:
        pairs.append((order[i - 1], new))
    if i + 1 < len(order):
        pairs.append((new, order[i + 1]))
    for older, newer in pairs:
        a = new_texts if older.id == new.id else _edition_texts(session, older.id)
        b = new_texts if newer.id == new.id else _edition_texts(session, newer.id)
        for eid in sorted(set(a) & set(b)):
            kind = classify(a[eid], b[eid])
            if kind != "same":
                session.add(t.TextChange(law_id=law_id, eid=eid, older_source_id=older.id, newer_source_id=newer.id,
                                         older_date=older.edition_date, newer_date=newer.edition_date,
                                         classification=kind, diff=json.dumps(word_diff(a[eid], b[eid]),
                                                                              ensure_ascii=False)))


def _insert(session: Session, table: type, rows: list[dict]) -> None:
    """Write ``rows`` (complete column values, same keys) into ``table``, in the session's transaction.

    PostgreSQL: one COPY stream (psycopg); an executemany there costs a round of the pipeline per row and
    made loading twice as slow. Elsewhere: one Core executemany (the ORM bulk path splits batches wherever
    a value is None).
    """
    if not rows:
        return
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        session.flush()
        cols = list(rows[0])
        sql = f'COPY "{table.__tablename__}" ({", ".join(cols)}) FROM STDIN'
        with conn.connection.driver_connection.cursor() as cur, cur.copy(sql) as copy:
            for r in rows:
                copy.write_row([r[c] for c in cols])
        return
    session.exec(insert(table.__table__), params=rows)


def _counts(session: Session, law_id: int, source_id: int, unchanged: bool) -> LoadResult:
    from sqlalchemy import func

    def n(model, *where) -> int:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()

    return LoadResult(law_id=law_id, source_id=source_id, unchanged=unchanged,
                      units=n(t.Unit, t.Unit.law_id == law_id),
                      # law_id too: source_id has no index of its own, law_id leads one on every table
                      events=n(t.Event, t.Event.law_id == law_id, t.Event.source_id == source_id),
                      notes=n(t.Note, t.Note.law_id == law_id, t.Note.source_id == source_id),
                      warnings=n(t.ParseWarningRow, t.ParseWarningRow.law_id == law_id,
                                 t.ParseWarningRow.source_id == source_id),
                      amending_laws=len(set(session.exec(select(t.Event.law_number).where(
                          t.Event.law_id == law_id, t.Event.source_id == source_id)).all())),
                      versions=n(t.UnitVersion, t.UnitVersion.law_id == law_id))
