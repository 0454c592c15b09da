"""Listings: the tracked law, its events, its amending laws, its parse warnings.

All functions take ``*, session`` and return plain rows or small dataclasses.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from model import tables as t


class NoData(LookupError):
    """The database holds no law (run ``lawtrack ingest`` first) or not the one asked for."""


EVENT_COLUMNS = ["unit_id", "kind", "law_number", "law_date", "effect_clause", "effective_date",
                 "effective_basis", "source_line"]


def get_law(*, session: Session, number: str | None = None) -> t.Law:
    """The law ``number``, or the only/first law in the database; raise ``NoData`` if none."""
    q = select(t.Law)
    if number:
        q = q.where(t.Law.number == number)
    law = session.exec(q.order_by(t.Law.id)).first()
    if law is None:
        raise NoData(f"no law {number} in the database" if number else
                     "the database holds no law yet: run `lawtrack ingest` first")
    return law


OFFICIAL_LANGUAGE = "rus"  # the official text of Kazakh laws this tool reads (the English one is a translation)
LANGUAGE_NAMES = {"rus": "Russian (official text)", "eng": "English (unofficial translation)",
                  "kaz": "Kazakh"}


def languages(*, session: Session, law_id: int) -> list[str]:
    """The languages of a law's consolidated editions, the official one first."""
    rows = session.exec(select(t.Source.language).where(t.Source.law_id == law_id,
                                                        t.Source.kind == "consolidated").distinct()).all()
    return sorted(set(rows), key=lambda lang: (lang != OFFICIAL_LANGUAGE, lang))


def latest_edition(*, session: Session, law_id: int, language: str | None = None) -> t.Source:
    """The newest consolidated edition of a law in ``language`` (by edition date, then ingest order).

    ``language=None``: the official text's newest edition if one is ingested, else the newest edition
    of any language. A named language with no edition falls back the same way (raise ``NoData`` only
    when the law has no edition at all).
    """
    rows = session.exec(select(t.Source).where(t.Source.law_id == law_id, t.Source.kind == "consolidated")).all()
    if not rows:
        raise NoData("no consolidated edition ingested")
    same = ([s for s in rows if s.language == language] or [s for s in rows if s.language == OFFICIAL_LANGUAGE]
            or rows)
    return max(same, key=lambda s: (s.edition_date or date.min, s.id))


def list_events(*, session: Session, law_id: int, language: str | None = None) -> list[t.Event]:
    """Every event of the newest edition in ``language`` (default: the official text), in the order of the text."""
    src = latest_edition(session=session, law_id=law_id, language=language)
    return list(session.exec(select(t.Event).where(t.Event.law_id == law_id, t.Event.source_id == src.id)
                             .order_by(t.Event.source_line, t.Event.id)))


def event_row(e: t.Event) -> dict:
    """An event as the CLI's ``events`` columns."""
    return {"unit_id": e.eid, "kind": e.kind, "law_number": e.law_number,
            "law_date": e.law_date.isoformat() if e.law_date else "",
            "effect_clause": e.effect_clause,
            "effective_date": e.effective_date.isoformat() if e.effective_date else "",
            "effective_basis": e.effective_basis, "source_line": e.source_line}


@dataclass(frozen=True)
class LawSummary:
    number: str
    date: date | None
    title: str | None
    publication_date: date | None
    effective: tuple[tuple[date | None, str, int], ...]  # (effective date, basis, how many events)
    touched: dict[str, int]  # kind -> distinct units


def list_amending_laws(*, session: Session, law_id: int, language: str | None = None) -> list[LawSummary]:
    """Amending laws with the effective dates used for them and the units touched, by date
    (as the notes of the newest edition in ``language`` record them; default: the official text)."""
    events = list_events(session=session, law_id=law_id, language=language)
    info = {a.number: a for a in session.exec(select(t.AmendingLaw))}
    eff: dict[str, Counter] = defaultdict(Counter)
    units: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for e in events:
        eff[e.law_number][(e.effective_date, e.effective_basis)] += 1
        units[e.law_number][e.kind].add(e.eid)
    out = []
    for number in eff:
        a = info.get(number)
        out.append(LawSummary(
            number=number, date=a.date if a else None, title=a.title if a else None,
            publication_date=a.publication_date if a else None,
            effective=tuple(sorted(((d, b, n) for (d, b), n in eff[number].items()),
                                   key=lambda x: (x[0] or date.max, x[1]))),
            touched={k: len(v) for k, v in sorted(units[number].items())}))
    return sorted(out, key=lambda s: (s.date or date.max, s.number))


def list_warnings(*, session: Session, law_id: int, language: str | None = None) -> list[t.ParseWarningRow]:
    """Parse warnings of the newest edition in ``language``, by line."""
    src = latest_edition(session=session, law_id=law_id, language=language)
    return list(session.exec(select(t.ParseWarningRow).where(t.ParseWarningRow.law_id == law_id,
                                                             t.ParseWarningRow.source_id == src.id)
                             .order_by(t.ParseWarningRow.line, t.ParseWarningRow.id)))
