"""Dates and amending-law references inside a Russian note of the portal.

>>> [(r.number, r.date.isoformat(), r.clause) for r in find_law_refs_ru(
...     "законами РК от 28.12.2017 № 128-VI (вводится в действие с 01.01.2018); от 18.03.2019 № 237-VІ (x)")]
[('128-VI', '2017-12-28', 'вводится в действие с 01.01.2018'), ('237-VI', '2019-03-18', 'x')]

A reference is "от DD.MM.YYYY № N-ROMAN" followed by its entry-into-force clause in parentheses. The
convocation numeral may carry the Cyrillic «І» ("№ 237-VІ" is 237-VI). A clause may itself contain a
parenthesis closed by a subparagraph number ("за исключением абзаца второго подпункта 1) пункта 56
…)"): that one does not end the clause. Slips are repaired and reported in ``LawRef.repairs``: a
missing ")" (the clause then ends at ";"), a doubled "((".

The result is the same ``LawRef`` the English reader returns: one model of a reference, two grammars.
"""
from __future__ import annotations

import re
from datetime import date

from ingest.lawrefs import NUMBER_RE, DateParse, LawRef, normalise_number, parse_date

MONTHS_RU = {m: i for i, m in enumerate(
    ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
     "ноября", "декабря"], start=1)}  # the genitive, as dates are written ("1 января 2016 года")
_MONTH_WORD = "(?:" + "|".join(MONTHS_RU) + ")"
DATE_RU = re.compile(rf"\b\d{{1,2}}\.\d{{1,2}}\.\d{{4}}\b|\b\d{{1,2}}\s+{_MONTH_WORD}\s+\d{{4}}(?:\s+года)?", re.I)
# a ")" that closes a subparagraph number inside a clause ("подпункта 1) пункта 56"), not the clause
_SUBPARA_CLOSE = re.compile(r"подпункт\w*\s+\d+(?:-\d+)*$", re.I)


def parse_date_ru(text: str) -> DateParse:
    """Read "28.12.2017" or "1 января 2016 года"; a month-first numeric date is repaired and reported."""
    t = " ".join(text.split())
    m = re.fullmatch(rf"(\d{{1,2}})\s+({_MONTH_WORD})\s+(\d{{4}})(?:\s+года)?", t, re.I)
    if m:
        try:
            return DateParse(date(int(m.group(3)), MONTHS_RU[m.group(2).lower()], int(m.group(1))))
        except ValueError as err:
            return DateParse(None, error=f'impossible date "{t}" ({err})')
    return parse_date(t)


def _clause_ru(text: str, pos: int, limit: int, repairs: list[str], problems: list[str],
               number: str) -> tuple[str | None, int]:
    """The parenthesised clause starting at ``pos`` and where it ends (see the module docstring)."""
    m = re.compile(r"\s*(\(+)").match(text, pos)
    if not m or m.end() > limit:
        problems.append(f"no entry-into-force clause after Law № {number}")
        return None, pos
    if len(m.group(1)) > 1:
        repairs.append(f'doubled "{m.group(1)}" before the clause of Law № {number}')
    start, depth, i = m.end(), 1, m.end()
    while i < limit:
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")" and not _SUBPARA_CLOSE.search(text, max(start, i - 40), i):
            depth -= 1
            if depth == 0:
                return text[start:i].strip(), i + 1
        elif ch == ";" and depth == 1:
            break
        i += 1
    repairs.append(f'missing ")" after the clause of Law № {number}')
    return text[start:i].strip().rstrip(".;*").strip(), i


def find_law_refs_ru(text: str) -> list[LawRef]:
    """Find every "от … № N-ROMAN (…)" reference in a Russian note, with its date and clause."""
    refs: list[LawRef] = []
    numbers = list(NUMBER_RE.finditer(text))
    prev_end = 0
    for i, m in enumerate(numbers):
        repairs: list[str] = []
        problems: list[str] = []
        limit = numbers[i + 1].start() if i + 1 < len(numbers) else len(text)
        number = normalise_number(m.group(1), m.group(2))
        before = list(DATE_RU.finditer(text, prev_end, m.start()))
        start = before[-1].start() if before else m.start()
        value = None
        if not before:
            problems.append(f"no date for Law № {number}")
        else:
            dp = parse_date_ru(before[-1].group(0))
            value = dp.value
            if dp.repair:
                repairs.append(dp.repair)
            if dp.error:
                problems.append(dp.error)
        clause, end = _clause_ru(text, m.end(), limit, repairs, problems, number)
        refs.append(LawRef(number, value, start, end, clause, tuple(repairs), tuple(problems)))
        prev_end = end
    return refs
