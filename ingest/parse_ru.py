"""Parse one edition of the official Russian text (as the mirror lays it out) into a ``ParsedLaw``.

``parse_law_ru(act, amending, number=…)`` runs the same steps as the English ``parse.parse_law``:
1. ``structure_ru.parse_structure_ru`` — the unit tree (same unit ids as the English text), the notes;
2. notes — every "Сноска.", every inline "исключен" marker and every unit rule read by
   ``notes_ru.read_note_ru`` into the shared ``NoteEvent`` model;
3. amending laws (``parse._amending_laws``) and entry into force (``effective.with_dates`` with
   ``entry_into_force_ru.parse_rule_ru``): the same bases and counting as for the English notes.

After it returns: ``language == "rus"``; every note is in ``notes`` and either produced events or left a
warning; the text of every note and warning starts with the file and line it stands on
(``rus/sec001.md:276: Сноска. …``) — ``line`` itself counts the edition's files concatenated.
The act's number is not in the Russian text: the caller passes it.
"""
from __future__ import annotations

import dataclasses
import re
from datetime import date

from ingest.amending_laws import AmendingLawInfo
from ingest.effective import with_dates
from ingest.entry_into_force_ru import parse_rule_ru
from ingest.errors import IngestError, ParseWarning
from ingest.lawrefs_ru import parse_date_ru
from ingest.mirror import ActText
from ingest.notes import NoteEvent
from ingest.notes_ru import is_inline_marker_ru, read_note_ru
from ingest.parse import Note, ParsedLaw, _amending_laws
from ingest.structure import Unit
from ingest.structure_ru import parse_structure_ru

_NUMBER = re.compile(r"^\d+-[IVX]+$")
_COMMENCE = re.compile(r"\bНастоящий\s+Закон\s+вводится\s*в\s*действие\s+с\s+(.+?)\.?$", re.I | re.M)


def parse_law_ru(act: ActText, amending: dict[str, AmendingLawInfo] | None = None, *,
                 number: str | None) -> ParsedLaw:
    """Parse an edition read by ``mirror.read_act_dir`` / ``read_act``; raise ``IngestError`` without a number."""
    if not number:
        raise IngestError("the Russian text does not state the law's number: give it (e.g. --number 418-V)",
                          act.source.path)
    number = number.strip().replace("№", "").strip().replace("І", "I")
    if not _NUMBER.match(number):
        raise IngestError(f'"{number}" is not a law number such as 418-V', act.source.path)
    rs = parse_structure_ru(act)
    st = rs.structure
    warnings: list[ParseWarning] = list(act.warnings) + list(st.warnings)
    notes: list[Note] = []
    raw: list[NoteEvent] = []
    for fn in st.footnotes:
        notes.append(Note(fn.line, "footnote", fn.text, fn.context))
        raw.extend(read_note_ru(fn.text, fn.line, fn.context, "footnote", warnings))
    for un in rs.unit_notes:
        notes.append(Note(un.line, "inline", un.text, un.context))
        raw.extend(read_note_ru(un.text, un.line, un.context, "inline", warnings, target=un.context))
    for u in st.units:
        if u.kind in ("paragraph", "subparagraph") and is_inline_marker_ru(u.text):
            first = u.text.split("\n")[0]
            notes.append(Note(u.line_start or 0, "inline", first, u.eid))
            raw.extend(read_note_ru(first, u.line_start or 0, u.eid, "inline", warnings, target=u.eid))
    notes.sort(key=lambda n: n.line)
    known = {u.eid for u in st.units}
    for e in raw:
        if e.unit not in known:
            warnings.append(ParseWarning(e.source_line, e.unit, f"the note names {e.unit}, which is not in the text"))
    laws = _amending_laws(raw, amending or {}, warnings)
    events = with_dates(raw, laws, warnings, parse_rule_ru)
    commencement = _commencement_ru(st.units, warnings)
    located = [dataclasses.replace(w, text=f"{act.where(w.line)}: {w.text}" if w.line else w.text)
               for w in warnings]
    notes = [dataclasses.replace(n, text=f"{act.where(n.line)}: {n.text}") for n in notes]
    return ParsedLaw(title=st.title, number=number, date=act.act_date, source=act.source, units=st.units,
                     notes=tuple(notes), events=tuple(events),
                     amending_laws=tuple(sorted(laws.values(), key=lambda a: (a.date or date.min, a.number))),
                     warnings=tuple(sorted(located, key=lambda w: w.line)), commencement=commencement,
                     language=act.language)


def _commencement_ru(units: tuple[Unit, ...], warnings: list[ParseWarning]) -> date | None:
    """The law's own commencement ("Настоящий Закон вводится в действие с 1 января 2016 года")."""
    for u in units:
        m = _COMMENCE.search(u.text)
        if m:
            dp = parse_date_ru(m.group(1))
            if dp.value:
                return dp.value
    warnings.append(ParseWarning(0, "", "the law's commencement date was not found in the text"))
    return None
