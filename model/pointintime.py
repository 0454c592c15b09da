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

The derived index of a law (``law_index``) is cached per (database, law, content version). The state of
one unit on a date, memoised per interval, is computed in ``model.unitstate``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from model import tables as t
from model.labels import long_label, short_label
from model.lifecycle import LEvent, Lifecycle, LUnit, changes_touching, derive_lifecycles
from model.queries import OFFICIAL_LANGUAGE, get_law, latest_edition

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
            return f"{self.source}, whose text includes changes up to {dmy(self.known_on)}"
        return f"{self.source} (known on {dmy(self.known_on)})"


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
    # memo of unit_state (see ``unit_state``): per unit, what does not depend on the date, with the
    # dates at which its state can change (made on first use, kept with the index); per distinct list
    # of changes touching units, one object; and, forgotten together, the states computed so far per
    # (unit, interval between those dates) and what ``_later_on`` said per (changes list, interval)
    plans: dict[str, "unitstate._UnitPlan"] = field(default_factory=dict)
    shared_changes: dict[tuple[int, ...], "unitstate._Changes"] = field(default_factory=dict)
    states: dict[tuple, object] = field(default_factory=dict)
    base: dict[str, dict] = field(default_factory=dict)  # the fields of a UnitState that do not depend on the date
    excluded_by_note: set[str] = field(default_factory=set)  # units an "excluded" event names
    commencement: date = date(2016, 1, 1)  # the law's, read once (an ORM attribute is slow to read per unit)
    language: str = "eng"  # the language of the edition the index follows
    eids: list[str] = field(default_factory=list)  # the units' eids, in order (ORM attributes are slow to read)
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


# the fields of a UnitState only ``model.evidence`` sets, as one language alone leaves them
_NO_AGREEMENT = dict(agreement=None, agreement_note="", other_language=None, other_text=None)

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
    # every unit of the law: those of this edition are picked below, from the versions read anyway (an
    # "eid IN (versions of this edition)" subquery was planned as a nested loop of 1,277 × 1,135 rows when
    # PostgreSQL's statistics predated a bulk ingest: 0.3–0.5 s)
    units = list(session.exec(select(t.Unit).where(t.Unit.law_id == law.id).order_by(t.Unit.position)))
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
    units = [u for u in units if u.eid in first_row]  # units of this edition only
    if src.language != "eng":  # unit positions are the English edition's (see ingest.load)
        units.sort(key=lambda u: first_row[u.eid])
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
                               language=src.language, status_from=idx.edition, **_NO_AGREEMENT)
    idx.excluded_by_note = {e.eid for e in events if e.kind == "excluded"}
    idx.eids = [u.eid for u in units]
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


@functools.lru_cache(maxsize=4096)
def dmy(d: date) -> str:
    """``d`` as DD.MM.YYYY (cached: strftime is slow, and few distinct dates occur)."""
    return f"{d:%d.%m.%Y}"


def as_of(*, session: Session, on: date, unit: str | None = None, law_id: int | None = None,
          language: str | None = None) -> list[UnitState]:
    """Every unit (or the subtree of ``unit``) as on ``on``, in document order.

    With one language ingested, that edition's answer. With the official text and a translation, the
    official text decides and the translation is labelled with whether it agrees (``model.evidence``);
    ``language`` chooses the wording shown (default: the official text's).
    """
    from model.evidence import as_of as best_evidence  # evidence builds on this module
    return best_evidence(session=session, on=on, unit=unit, law_id=law_id, language=language)
