"""Parse a consolidated English law text into units, notes, events and warnings.

``parse_law(source, amending)`` runs the steps in order:
1. ``structure.parse_structure`` — the unit tree and the footnotes;
2. notes — every footnote and every inline "excluded by" marker read by ``notes.read_note``;
3. entry into force — each event's rule, effective date and basis (``entry_into_force``).

After it returns, every footnote and every inline marker is in ``notes``; each either produced
events or left a warning; every event has an effective date (or a warning saying why not) and a basis.

The same parse in two halves: ``parse_head(source)`` (step 1: the law's number, title, dates and units)
then ``parse_rest(head, amending)`` (steps 2–3), so that a writer can store the units while the notes
are read (``ingest.load.store_streamed``). ``parse_law`` is exactly the two in a row.
"""
from __future__ import annotations

import contextlib
import gc
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Iterator

from ingest.amending_laws import AmendingLawInfo
from ingest.entry_into_force import parse_rule
from ingest.errors import IngestError, ParseWarning
from ingest.lawrefs import parse_date
from ingest.notes import NoteEvent, is_inline_marker, lowered, read_note
from ingest.source import SourceText
from ingest.structure import Structure, Unit, parse_structure


@dataclass(frozen=True)
class Note:
    """An amendment note as it stands in the text."""

    line: int
    kind: str  # footnote | inline
    text: str
    context: str | None  # the unit the note stands in (for inline markers: the excluded unit)


@dataclass(frozen=True)
class Event:
    """One (unit, amending law) pair of one note, with its entry into force."""

    unit: str
    kind: str
    law_number: str
    law_date: date | None
    effect_clause: str
    effective_date: date | None
    effective_basis: str
    effective_note: str
    source_line: int
    note_kind: str


@dataclass(frozen=True)
class AmendingLaw:
    number: str
    date: date | None
    title: str | None
    publication_date: date | None
    source: str | None


@dataclass(frozen=True)
class ParsedLaw:
    title: str
    number: str
    date: date | None
    source: SourceText
    units: tuple[Unit, ...]
    notes: tuple[Note, ...]
    events: tuple[Event, ...]
    amending_laws: tuple[AmendingLaw, ...]
    warnings: tuple[ParseWarning, ...]
    commencement: date | None = None
    language: str = "eng"  # ISO 639-2/B code of the text: "eng" (unofficial translation) or "rus" (official)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a block (reference counting still frees everything).

    A parse or a load allocates some 10^5 tuples, dataclasses and rows that live until it ends; the
    collector ran hundreds of times per law over them and every other live object (SQLAlchemy's, in
    a process that also loads): about a quarter of a load. Nothing built there needs it: any cycles
    are collected after the block.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


@dataclass(frozen=True)
class ParsedHead:
    """The first half of a parse (``parse_head``): what is known before the notes are read.

    Its public fields are those of ``ParsedLaw`` with the same names: the head of a law and a whole
    parsed law are stored alike up to the units (``ingest.load``)."""

    title: str
    number: str
    date: date | None
    source: SourceText
    units: tuple[Unit, ...]
    commencement: date | None
    structure: Structure  # the footnotes and warnings ``parse_rest`` goes on from
    warnings: tuple[ParseWarning, ...]  # so far: the structure's, and a commencement not found
    language: str = "eng"


def parse_law(source: SourceText, amending: dict[str, AmendingLawInfo] | None = None) -> ParsedLaw:
    """Parse a law text already read by ``source.read_source``."""
    with gc_paused():
        return _parse_rest(_parse_head(source), amending)


def parse_head(source: SourceText) -> ParsedHead:
    """Step 1 of ``parse_law``: the unit tree, the law's number, title, date and commencement.
    An ``IngestError`` if the text has no law line."""
    with gc_paused():
        return _parse_head(source)


def parse_rest(head: ParsedHead, amending: dict[str, AmendingLawInfo] | None = None) -> ParsedLaw:
    """Steps 2–3 of ``parse_law`` on ``head``: the whole parsed law."""
    with gc_paused():
        return _parse_rest(head, amending)


def _parse_head(source: SourceText) -> ParsedHead:
    st = parse_structure(source.lines)
    if st.law_number is None:
        raise IngestError('no line "Law of the Republic of Kazakhstan dated … № …" before the first '
                          "heading", source.path)
    warnings = list(st.warnings)
    law_date = parse_date(st.law_date_text).value if st.law_date_text else None
    commencement = _commencement(st.units, warnings)
    return ParsedHead(title=st.title, number=st.law_number, date=law_date, source=source, units=st.units,
                      commencement=commencement, structure=st, warnings=tuple(warnings))


def _parse_rest(head: ParsedHead, amending: dict[str, AmendingLawInfo] | None) -> ParsedLaw:
    amending = amending or {}
    st = head.structure
    warnings = list(head.warnings)
    notes: list[Note] = []
    raw: list[NoteEvent] = []
    for fn in st.footnotes:
        notes.append(Note(fn.line, "footnote", fn.text, fn.context))
        raw.extend(read_note(fn.text, fn.line, fn.context, "footnote", warnings))
    for u in st.units:
        if u.kind in ("paragraph", "subparagraph") and is_inline_marker(u.text):
            first = u.text.split("\n")[0]
            notes.append(Note(u.line_start or 0, "inline", first, u.eid))
            raw.extend(read_note(first, u.line_start or 0, u.eid, "inline", warnings, target=u.eid))
    notes.sort(key=lambda n: n.line)
    known = {u.eid for u in st.units}
    for e in raw:
        if e.unit not in known:
            warnings.append(ParseWarning(e.source_line, e.unit, f"the note names {e.unit}, which is not in the text"))
    laws = _amending_laws(raw, amending, warnings)
    events = _with_dates(raw, laws, warnings)
    return ParsedLaw(commencement=head.commencement, title=head.title, number=head.number, date=head.date,
                     source=head.source, units=st.units, notes=tuple(notes), events=tuple(events),
                     amending_laws=tuple(sorted(laws.values(), key=lambda a: (a.date or date.min, a.number))),
                     warnings=tuple(sorted(warnings, key=lambda w: w.line)))


_COMMENCE = re.compile(r"\bThis Law enters? into (?:en)?force\s+(?:from|on)\s+(.+?)\.?$", re.I)


def _commencement(units: tuple[Unit, ...], warnings: list[ParseWarning]) -> date | None:
    """The law's own commencement date ("This Law enters into force from January 1, 2016")."""
    for u in units:
        low = lowered(u.text)
        if low is not None and "force" not in low:
            continue  # cannot match: a substring test instead of an unanchored regex over every unit
        m = _COMMENCE.search(u.text)
        if m:
            dp = parse_date(m.group(1))
            if dp.value:
                return dp.value
    warnings.append(ParseWarning(0, "", "the law's commencement date was not found in the text"))
    return None


def _amending_laws(raw: list[NoteEvent], info: dict[str, AmendingLawInfo],
                   warnings: list[ParseWarning]) -> dict[str, AmendingLaw]:
    dates: dict[str, Counter] = {}
    first_line: dict[str, int] = {}
    for e in raw:
        dates.setdefault(e.law_number, Counter())[e.law_date] += 1
        first_line.setdefault(e.law_number, e.source_line)
    laws: dict[str, AmendingLaw] = {}
    for number, counter in dates.items():
        seen = [d for d in counter if d is not None]
        d = max(seen, key=lambda x: counter[x]) if seen else None
        if len(seen) > 1:
            warnings.append(ParseWarning(first_line[number], number, f"Law № {number} is dated differently "
                                         f"in different notes: {', '.join(str(x) for x in sorted(seen))}; "
                                         f"kept {d}"))
        i = info.get(number)
        if i and i.date and d and i.date != d:
            warnings.append(ParseWarning(first_line[number], number, f"Law № {number}: the text dates it "
                                         f"{d}, amending_laws.csv {i.date}; kept the text's date"))
        laws[number] = AmendingLaw(number, d or (i.date if i else None), i.title if i else None,
                                   i.publication_date if i else None, i.source if i else None)
    return laws


def _with_dates(raw: list[NoteEvent], laws: dict[str, AmendingLaw],
                warnings: list[ParseWarning]) -> list[Event]:
    """Effective dates of the English notes: the shared logic of ``ingest.effective`` with ``parse_rule``."""
    from ingest.effective import with_dates  # imported here: ingest.effective imports this module's dataclasses
    return with_dates(raw, laws, warnings, parse_rule)
