"""Store a dated witness: its quotations, their matches, the wordings they prove, and what changed since.

``load_witness`` runs in one transaction: either every row of the witness is written, or (on any
error) the database is left as it was. Loading the same file (same sha256) again changes nothing.
The law must already be ingested: quotations are matched against the newest consolidated edition.

Rows written for one witness file:
- one ``Source`` (``kind="witness"``, ``edition_date`` = the date the wordings are known on);
- one ``WitnessMatch`` per quotation, matched or rejected, with the reason and the similarity;
- one ``UnitVersion`` per matched unit and wording: the quoted text, valid from the witness date,
  confidence ``exact`` (``model.pointintime`` reads these as witnesses);
- one ``TextChange`` per matched unit whose quoted wording differs from today's: older = the
  witness, newer = the consolidated edition, classified by ``model.textdiff.classify``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Callable

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ingest.errors import IngestError
from ingest.witness import Match, find_quotations, match_quotations, read_witness
from model import tables as t
from model.engine import init_db
from model.queries import NoData, latest_edition
from model.textdiff import classify, word_diff


@dataclass(frozen=True)
class WitnessResult:
    law_id: int
    source_id: int
    unchanged: bool
    known_on: date
    quotations: int
    matched: int
    rejected: int
    versions: int
    text_changes: int


@dataclass(frozen=True)
class _Today:
    eid: str
    text: str | None


def load_witness(engine: Engine, *, path: str, known_on: date, source_description: str,
                 law_number: str = "418-V",
                 progress: Callable[[str], None] = lambda _m: None) -> WitnessResult:
    """Store the witness at ``path`` known on ``known_on``; idempotent per file (see the module docstring).

    Raises ``IngestError`` for a file that is not a witness (see ``ingest.witness``), an empty
    description, a date before the law's own date, or a law not yet ingested.
    """
    description = (source_description or "").strip()
    if not description:
        raise IngestError("a source description is required (what the document is, e.g. "
                          '"Council of Europe cybercrime legislation profile of Kazakhstan")', path)
    source = read_witness(path)
    quotations = find_quotations(source)
    progress(f"{len(quotations)} quotation(s) of the Law on Informatization found")
    init_db(engine)
    with Session(engine) as session, session.begin():
        law = session.exec(select(t.Law).where(t.Law.number == law_number)).first()
        try:
            if law is None:
                raise NoData(f"no Law № {law_number}")
            edition = latest_edition(session=session, law_id=law.id, language="eng")  # the quotations' language
        except NoData as err:
            raise IngestError(f"{err} in the database: ingest the law first (`lawtrack ingest`)", path) from None
        if edition.language != "eng":
            raise IngestError("the quotations are in English, but no English edition of the law is ingested "
                              "(`lawtrack ingest` the English text first)", path)
        if law.date is not None and known_on < law.date:
            raise IngestError(f"witness date {known_on:%d.%m.%Y} is before the law itself "
                              f"({law.date:%d.%m.%Y})", path)
        existing = session.exec(select(t.Source).where(t.Source.law_id == law.id,
                                                       t.Source.sha256 == source.sha256)).first()
        if existing is not None:
            progress(f"{source.name} already stored (known on {existing.edition_date}): nothing to do")
            return _counts(session, law.id, existing, unchanged=True)
        today, excluded_from = _todays_article_1(session, law.id, edition.id)
        matches = match_quotations(quotations, today.values(), known_on=known_on, excluded_from=excluded_from)
        src = t.Source(law_id=law.id, name=source.name, sha256=source.sha256, size=source.size,
                       kind="witness", language="eng", edition_date=known_on, description=description)
        session.add(src)
        session.flush()
        progress(f"writing {len(matches)} match(es)")
        _write(session, law.id, src, edition, matches, today, known_on, description)
        law.content_version = (law.content_version or 0) + 1
        session.flush()
        return _counts(session, law.id, src, unchanged=False)


def _todays_article_1(session: Session, law_id: int, edition_id: int) -> tuple[dict[str, _Today], dict[str, date]]:
    """Today's wording of every subparagraph of Article 1, and when the excluded ones were excluded."""
    rows = session.exec(select(t.UnitVersion).where(t.UnitVersion.law_id == law_id,
                                                    t.UnitVersion.source_id == edition_id,
                                                    t.UnitVersion.eid.like("art_1\\_\\_subpara\\_%", escape="\\"),
                                                    t.UnitVersion.valid_to.is_(None))).all()
    today = {v.eid: _Today(v.eid, v.text) for v in rows if v.text is not None}
    excluded = {v.eid: v.valid_from for v in rows if v.status == "excluded" and v.valid_from is not None}
    return today, excluded


def _write(session: Session, law_id: int, src: t.Source, edition: t.Source, matches: tuple[Match, ...],
           today: dict[str, _Today], known_on: date, description: str) -> None:
    basis = f"quoted in {description}, version of {known_on:%d.%m.%Y}"
    seen: set[tuple[str, str]] = set()
    for m in matches:
        q = m.quotation
        session.add(t.WitnessMatch(law_id=law_id, source_id=src.id, eid=m.eid, quoted_number=q.number,
                                   quoted_text=q.text, status=m.status,
                                   reason=f"line {q.line}: {m.reason}", similarity=m.similarity,
                                   known_on=known_on))
        if m.status != "matched" or (m.eid, q.text) in seen:
            continue
        seen.add((m.eid, q.text))
        session.add(t.UnitVersion(law_id=law_id, eid=m.eid, source_id=src.id, text=q.text,
                                  valid_from=known_on, valid_to=None, status="in_force",
                                  confidence="exact", basis=basis, language="eng"))
        now = today[m.eid].text
        kind = classify(q.text, now)
        if kind != "same":
            session.add(t.TextChange(law_id=law_id, eid=m.eid, older_source_id=src.id,
                                     newer_source_id=edition.id, older_date=known_on, newer_date=None,
                                     classification=kind, diff=json.dumps(word_diff(q.text, now))))


def _counts(session: Session, law_id: int, src: t.Source, unchanged: bool) -> WitnessResult:
    def n(model, *where) -> int:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()

    matched = n(t.WitnessMatch, t.WitnessMatch.source_id == src.id, t.WitnessMatch.status == "matched")
    rejected = n(t.WitnessMatch, t.WitnessMatch.source_id == src.id, t.WitnessMatch.status == "rejected")
    return WitnessResult(law_id=law_id, source_id=src.id, unchanged=unchanged, known_on=src.edition_date,
                         quotations=matched + rejected, matched=matched, rejected=rejected,
                         versions=n(t.UnitVersion, t.UnitVersion.source_id == src.id),
                         text_changes=n(t.TextChange, t.TextChange.older_source_id == src.id))
