"""Dates and amending-law references inside an English note.

>>> [(r.number, r.date.isoformat(), r.clause) for r in find_law_refs(
...     "dated 28.12.2017 № 128-VI (shall be enforced from 01.01.2018); № 262-VI as of 03.07.2019 (x)")]
[('128-VI', '2017-12-28', 'shall be enforced from 01.01.2018'), ('262-VI', '2019-07-03', 'x')]

A reference is "№ N-ROMAN" with its date before it ("dated 28.12.2017 № …", "December 30, 2020 № …")
or after it ("№ 262-VI as of 03.07.2019", "№ 237-VI of the Republic of Kazakhstan as of …",
"№ 262-VI dated July 3, 2019"), followed by its entry-into-force clause in parentheses.
Slips are repaired and reported in ``LawRef.repairs``: a month-first date ("12.28.2017"), a doubled
"((", a missing ")".
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# The lookahead only says what the alternatives already require (a digit, or a month's first letter;
# "ſ" is an "s" to a case-insensitive regex): most positions fail on one test instead of three branches.
DATE_RE = re.compile(
    r"(?=[\dJFMASONDſ])"
    rf"(?:(?P<num>\b\d{{1,2}}\.\d{{1,2}}\.\d{{4}}\b)"
    rf"|(?P<mdy>\b{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}\b)"
    rf"|(?P<dmy>\b\d{{1,2}}\s+{_MONTH}\s+\d{{4}}\b))", re.I)
NUMBER_RE = re.compile(r"№\s*(\d+)\s*-\s*([IVXІ]+)(?![A-Za-z])")
_AFTER_DATE = re.compile(
    r"^\s*(?:of the Republic of Kazakhstan\s+)?(?:as of|dated|of|from)\s+", re.I)


@dataclass(frozen=True)
class DateParse:
    value: date | None
    repair: str | None = None
    error: str | None = None


_NUM_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_MDY_DATE = re.compile(r"([A-Za-z]+)\s+(\d{1,2}),?\s+(\d{4})")
_DMY_DATE = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})")


@functools.lru_cache(maxsize=4096)
def parse_date(text: str) -> DateParse:
    """Read one date in any of the note formats; a month-first date is repaired and reported.

    Cached: a text repeats the same dates many times, and ``DateParse`` is immutable.
    """
    t = text.strip()
    m = _NUM_DATE.fullmatch(t)
    try:
        if m:
            d, mo, y = (int(x) for x in m.groups())
            if mo > 12 and d <= 12:
                return DateParse(date(y, d, mo), f'month-first date "{t}" read as {mo:02d}.{d:02d}.{y}')
            return DateParse(date(y, mo, d))
        m = _MDY_DATE.fullmatch(t)
        if m and m.group(1).lower() in MONTHS:
            return DateParse(date(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2))))
        m = _DMY_DATE.fullmatch(t)
        if m and m.group(2).lower() in MONTHS:
            return DateParse(date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1))))
    except ValueError as err:
        return DateParse(None, error=f'impossible date "{t}" ({err})')
    return DateParse(None, error=f'unreadable date "{t}"')


@dataclass(frozen=True)
class LawRef:
    """One amending-law reference in a note."""

    number: str
    date: date | None
    start: int          # where the reference begins in the note (its date or "№")
    end: int            # just after its clause
    clause: str | None  # the entry-into-force clause, verbatim, without the parentheses
    repairs: tuple[str, ...] = field(default=())
    problems: tuple[str, ...] = field(default=())


def normalise_number(num: str, roman: str) -> str:
    return f"{int(num)}-{roman.replace('І', 'I').upper()}"


def find_law_refs(text: str) -> list[LawRef]:
    """Find every "№ N-ROMAN" reference in a note with its date and clause."""
    refs: list[LawRef] = []
    numbers = list(NUMBER_RE.finditer(text))
    prev_end = 0
    for i, m in enumerate(numbers):
        repairs: list[str] = []
        problems: list[str] = []
        limit = numbers[i + 1].start() if i + 1 < len(numbers) else len(text)
        number = normalise_number(m.group(1), m.group(2))
        window = text[prev_end:m.start()]
        before = list(DATE_RE.finditer(window))
        start = prev_end + before[-1].start() if before else m.start()
        date_text = before[-1].group(0) if before else None
        pos = m.end()
        after = _AFTER_DATE.match(text[pos:limit])
        if after:
            dm = DATE_RE.match(text, pos + after.end())
            if dm:
                if date_text and date_text != dm.group(0):
                    problems.append(f'two dates for № {number}: "{date_text}" and "{dm.group(0)}"')
                date_text = date_text or dm.group(0)
                pos = dm.end()
        value = None
        if date_text is None:
            problems.append(f"no date for Law № {number}")
        else:
            dp = parse_date(date_text)
            value = dp.value
            if dp.repair:
                repairs.append(dp.repair)
            if dp.error:
                problems.append(dp.error)
        clause, end = _clause(text, pos, limit, repairs, problems, number)
        refs.append(LawRef(number, value, start, end, clause, tuple(repairs), tuple(problems)))
        prev_end = end
    return refs


_CLAUSE_OPEN = re.compile(r"\s*(\(+)")


def _clause(text: str, pos: int, limit: int, repairs: list[str], problems: list[str],
            number: str) -> tuple[str | None, int]:
    """The parenthesised clause starting at ``pos`` (after optional spaces) and where it ends."""
    m = _CLAUSE_OPEN.match(text, pos)
    if not m or m.end() > limit:
        problems.append(f"no entry-into-force clause after Law № {number}")
        return None, pos
    if len(m.group(1)) > 1:
        repairs.append(f'doubled "{m.group(1)}" before the clause of Law № {number}')
    body_start = m.end()
    close = text.find(")", body_start, limit)
    semi = text.find(";", body_start, limit)
    if close >= 0 and (semi < 0 or close < semi):
        return text[body_start:close].strip(), close + 1
    stop = semi if semi >= 0 else limit
    repairs.append(f'missing ")" after the clause of Law № {number}')
    return text[body_start:stop].strip().rstrip(".;").strip(), stop
