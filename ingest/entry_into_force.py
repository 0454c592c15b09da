"""Entry-into-force clauses: the rule they state and the date it gives.

>>> parse_rule("shall be enforced upon expiry of ten calendar days after its first official publication")
Rule(kind='period', days=10, months=None, date=None, article=None)
>>> parse_rule("shall be enforced from 01.01.2023").date
datetime.date(2023, 1, 1)
>>> parse_rule("for the procedure of enactment see Art. 2").kind
'referral'

Counting convention (Kazakh drafting, "по истечении десяти календарных дней после дня его первого
официального опубликования"): the N days (or months) start the day after publication; the law enters
into force on the day after they expire, i.e. publication + N days + 1 day. "From DD.MM.YYYY" and
"on DD.MM.YYYY" give the date itself.

Bases of an effective date:
- ``explicit``  the clause states the date;
- ``computed``  the rule counted from a known publication date (``fixtures/amending_laws.csv``);
- ``estimated`` the rule counted from the law's own date because the publication date is unknown
  (the true date is later by the days between signing and publication), or the clause was not understood;
- ``referral``  the clause refers to an article of the amending law ("see Art. 2") that this edition
  does not contain; the date falls back to an estimate from the law's other clauses in the text.
"""
from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.lawrefs import DATE_RE, parse_date

_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
          "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90}
_NUM = r"(\d+|[a-z]+(?:-[a-z]+)?)"


def words_to_int(word: str) -> int | None:
    """'ten' -> 10, 'twenty-one' -> 21, '60' -> 60; None if not a number."""
    w = word.strip().lower()
    if w.isdigit():
        return int(w)
    if w in _UNITS:
        return _UNITS[w]
    parts = re.split(r"[- ]", w)
    if len(parts) == 2 and parts[0] in _UNITS and parts[1] in _UNITS and _UNITS[parts[1]] < 10:
        return _UNITS[parts[0]] + _UNITS[parts[1]]
    return None


@dataclass(frozen=True)
class Rule:
    """What a clause says about entry into force."""

    kind: str  # explicit | period | referral | unknown
    days: int | None = None
    months: int | None = None
    date: date | None = None
    article: str | None = None


@functools.lru_cache(maxsize=4096)
def parse_rule(clause: str | None) -> Rule:
    """Read the rule of an entry-into-force clause; ``Rule('unknown')`` if it cannot.

    Cached: a text repeats the same few clauses hundreds of times, and ``Rule`` is immutable.
    """
    if not clause:
        return Rule("unknown")
    c = " ".join(clause.split())
    ref = re.search(r"\bsee\s+(?:Art(?:icle)?\.?|st\.?)\s*(\d+(?:-\d+)?)", c, re.I)
    if ref:
        return Rule("referral", article=ref.group(1))
    m = re.search(r"\b(?:from|on|since|as of)\s+(" + DATE_RE.pattern + ")", c, re.I)
    if m:
        dp = parse_date(m.group(1))
        if dp.value:
            return Rule("explicit", date=dp.value)
        return Rule("unknown")
    if not re.search(r"publication", c, re.I):
        return Rule("unknown")
    m = re.search(_NUM + r"\s+calendar\s+days?", c, re.I)
    if m and words_to_int(m.group(1)) is not None:
        return Rule("period", days=words_to_int(m.group(1)))
    m = re.search(_NUM + r"\s+months?", c, re.I)
    if m and words_to_int(m.group(1)) is not None:
        return Rule("period", months=words_to_int(m.group(1)))
    if re.search(r"\b(?:from|on)\s+the\s+(?:day|date)\s+of\s+(?:its\s+)?first\s+official\s+publication", c, re.I):
        return Rule("period", days=-1)  # in force on the day of publication itself
    return Rule("unknown")


def add_months(d: date, months: int) -> date:
    """Calendar months; the day is clipped to the month's length (31.08 + 6 months = 28/29.02)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def apply_period(rule: Rule, start: date) -> date:
    """The day the law enters into force when the period of ``rule`` counts from ``start``."""
    if rule.months is not None:
        return add_months(start, rule.months) + timedelta(days=1)
    return start + timedelta(days=(rule.days or 0) + 1)


def describe_period(rule: Rule) -> str:
    if rule.months is not None:
        return f"{rule.months} month(s) after publication"
    if rule.days == -1:
        return "the day of publication"
    return f"{rule.days} calendar days after publication"


@dataclass(frozen=True)
class Effective:
    """An effective date with its basis and a sentence saying how it was derived."""

    date: date | None
    basis: str  # explicit | computed | estimated | referral
    note: str


@functools.lru_cache(maxsize=4096)
def effective_date(rule: Rule, law_date: date | None, publication_date: date | None,
                   fallback: Rule | None = None) -> Effective:
    """The entry-into-force date of one clause (see the module docstring for the bases).

    Cached: a text asks for the same few (rule, law) pairs hundreds of times, and ``Effective`` is immutable.
    """
    if rule.kind == "explicit":
        return Effective(rule.date, "explicit", f"date stated in the note: {rule.date:%d.%m.%Y}")
    if rule.kind == "period":
        if publication_date:
            d = apply_period(rule, publication_date)
            return Effective(d, "computed", f"{describe_period(rule)}; first published "
                             f"{publication_date:%d.%m.%Y}; in force the day after the period expires")
        if law_date:
            d = apply_period(rule, law_date)
            return Effective(d, "estimated", f"{describe_period(rule)}; publication date unknown, "
                             f"counted from the law's date {law_date:%d.%m.%Y} — the true date is "
                             "later by the days between signing and publication")
        return Effective(None, "estimated", "no publication date and no law date")
    if rule.kind == "referral":
        head = f"the note refers to Art. {rule.article} of the amending law, which this edition does not contain"
        if fallback is not None and fallback.kind in ("explicit", "period"):
            fb = effective_date(fallback, law_date, publication_date)
            return Effective(fb.date, "referral", f"{head}; estimated from this law's other clauses "
                             f"in the text: {fb.note}")
        return Effective(law_date, "referral", f"{head}; no other clause of this law in the text — "
                         "estimated as the law's own date")
    return Effective(law_date, "estimated", "entry-into-force clause not understood; estimated as "
                     "the law's own date")
