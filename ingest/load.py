"""Write a ``ParsedLaw`` into the database — the only ingest module that imports ``model``.

``load_parsed`` runs in one transaction: either every row of the edition is written, or (on any
error, or if the process dies) the database is left exactly as it was. Loading the same source
(same sha256) again changes nothing. A newer edition of the same law adds its source, its notes and
events, and replaces the derived unit versions with those its fuller history supports.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ingest.parse import ParsedLaw
from model import tables as t
from model.engine import init_db
from model.labels import short_label
from model.lifecycle import LEvent, LUnit, changes_touching, derive_lifecycles
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
                       size=parsed.source.size, kind="consolidated", language="eng",
                       edition_date=edition_date,
                       description=f"consolidated text, amendments up to Law № "
                                   f"{parsed.amending_laws[-1].number if parsed.amending_laws else '—'}")
        session.add(src)
        session.flush()
        progress(f"writing {len(parsed.amending_laws)} amending laws")
        for a in parsed.amending_laws:
            row = session.exec(select(t.AmendingLaw).where(t.AmendingLaw.number == a.number)).first()
            if row is None:
                session.add(t.AmendingLaw(number=a.number, date=a.date, title=a.title,
                                          publication_date=a.publication_date, source=a.source))
            else:
                row.date, row.title = a.date, a.title
                row.publication_date, row.source = a.publication_date, a.source
        progress(f"writing {len(parsed.units)} units")
        known = {u.eid: u for u in session.exec(select(t.Unit).where(t.Unit.law_id == law.id))}
        for u in parsed.units:
            row = known.get(u.eid)
            values = dict(kind=u.kind, number=u.number, parent_eid=u.parent, position=u.position,
                          label=short_label(u.eid), present=u.present, line_start=u.line_start,
                          line_end=u.line_end)
            if row is None:
                session.add(t.Unit(law_id=law.id, eid=u.eid, **values))
            else:
                for k, v in values.items():
                    setattr(row, k, v)
        progress(f"writing {len(parsed.notes)} notes and {len(parsed.events)} events")
        session.add_all(t.Note(law_id=law.id, source_id=src.id, line=n.line, kind=n.kind, text=n.text,
                               context_eid=n.context) for n in parsed.notes)
        session.add_all(t.Event(law_id=law.id, source_id=src.id, eid=e.unit, kind=e.kind,
                                law_number=e.law_number, law_date=e.law_date, effect_clause=e.effect_clause,
                                effective_date=e.effective_date, effective_basis=e.effective_basis,
                                effective_note=e.effective_note, source_line=e.source_line,
                                note_kind=e.note_kind) for e in parsed.events)
        session.add_all(t.ParseWarningRow(law_id=law.id, source_id=src.id, line=w.line, text=w.text,
                                          reason=w.reason, severity=w.severity) for w in parsed.warnings)
        progress("deriving unit versions")
        session.execute(delete(t.UnitVersion).where(t.UnitVersion.law_id == law.id,
                                                    t.UnitVersion.source_id.in_(
                                                        select(t.Source.id).where(t.Source.kind == "consolidated"))))
        lunits = [LUnit(u.eid, u.kind, u.number, u.parent, u.present) for u in parsed.units]
        levents = [LEvent(e.unit, e.kind, e.law_number, e.effective_date, e.effective_basis)
                   for e in parsed.events]
        lcs = derive_lifecycles(lunits, levents, parsed.commencement or DEFAULT_COMMENCEMENT)
        changes = changes_touching(lunits, levents)
        n_versions = 0
        for u in parsed.units:
            for v in edition_versions(u.eid, u.text, u.present, lcs[u.eid], changes.get(u.eid, [])):
                session.add(t.UnitVersion(law_id=law.id, eid=v.eid, source_id=src.id, text=v.text,
                                          valid_from=v.valid_from, valid_to=v.valid_to, status=v.status,
                                          confidence=v.confidence, basis=v.basis, language="eng"))
                n_versions += 1
        law.content_version = (law.content_version or 0) + 1
        law.title, law.date = parsed.title, parsed.date
        law.commencement = parsed.commencement or law.commencement
        session.flush()
        return _counts(session, law.id, src.id, unchanged=False)


def _counts(session: Session, law_id: int, source_id: int, unchanged: bool) -> LoadResult:
    from sqlalchemy import func

    def n(model, *where) -> int:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()

    return LoadResult(law_id=law_id, source_id=source_id, unchanged=unchanged,
                      units=n(t.Unit, t.Unit.law_id == law_id),
                      events=n(t.Event, t.Event.source_id == source_id),
                      notes=n(t.Note, t.Note.source_id == source_id),
                      warnings=n(t.ParseWarningRow, t.ParseWarningRow.source_id == source_id),
                      amending_laws=len(set(session.exec(select(t.Event.law_number).where(
                          t.Event.source_id == source_id)).all())),
                      versions=n(t.UnitVersion, t.UnitVersion.law_id == law_id))
