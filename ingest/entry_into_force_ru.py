"""Russian entry-into-force clauses: the same ``Rule`` the English reader gives.

>>> parse_rule_ru("вводится в действие по истечении десяти календарных дней после дня его первого "
...               "официального опубликования")
Rule(kind='period', days=10, months=None, date=None, article=None)
>>> parse_rule_ru("вводится в действие по истечении шести месяцев после дня его первого официального опубликования").months
6
>>> parse_rule_ru("вводится в действие с 01.01.2023").date
datetime.date(2023, 1, 1)
>>> parse_rule_ru("порядок введения в действие см. статью 2")
Rule(kind='referral', days=None, months=None, date=None, article='2')

Dates are then computed by ``entry_into_force.effective_date`` exactly as for the English notes (one
counting convention, one set of bases). A clause "…, за исключением абзаца … который вводится в действие
с 16.12.2020" states an exception for another unit: the rule is read from the part before it.
Slips of the portal are read as meant: "вводитсяв" (no space), "первогоофициального", a Latin "c"
for the preposition "с".
"""
from __future__ import annotations

import functools
import re

from ingest.entry_into_force import Rule
from ingest.lawrefs_ru import DATE_RU, parse_date_ru

# number words in the forms the clauses use (nominative and genitive), by stem
_NUMBER_WORDS = [
    ("одиннадцат", 11), ("двенадцат", 12), ("тринадцат", 13), ("четырнадцат", 14), ("пятнадцат", 15),
    ("шестнадцат", 16), ("семнадцат", 17), ("восемнадцат", 18), ("девятнадцат", 19),
    ("двадцат", 20), ("тридцат", 30), ("сорок", 40), ("пятьдесят", 50), ("пятидесят", 50),
    ("шестьдесят", 60), ("шестидесят", 60), ("семьдесят", 70), ("семидесят", 70),
    ("восемьдесят", 80), ("восьмидесят", 80), ("девяност", 90), ("девяноста", 90),
    ("один", 1), ("одн", 1), ("два", 2), ("двух", 2), ("две", 2), ("три", 3), ("трех", 3), ("трёх", 3),
    ("четыр", 4), ("пят", 5), ("шест", 6), ("сем", 7), ("восем", 8), ("восьм", 8), ("девят", 9),
    ("десят", 10),
]


def words_to_int_ru(words: str) -> int | None:
    """'десяти' -> 10, 'двадцати одного' -> 21, 'шестидесяти' -> 60, '60' -> 60; None if not a number."""
    parts = words.lower().replace("ё", "е").split()
    if len(parts) == 1 and parts[0].isdigit():
        return int(parts[0])
    values = []
    for w in parts:
        v = next((n for stem, n in _NUMBER_WORDS if w.startswith(stem)), None)
        if v is None:
            return None
        values.append(v)
    if len(values) == 1:
        return values[0]
    if len(values) == 2 and values[0] >= 20 and values[0] % 10 == 0 and values[1] < 10:
        return values[0] + values[1]
    return None


_SLIPS = [  # (slip, what it is read as)
    (re.compile(r"вводитсяв(?=\s*действие)", re.I), "вводится в"),
    (re.compile(r"(?<=вводится )вдействие", re.I), "в действие"),
    (re.compile(r"первогоофициального", re.I), "первого официального"),
    (re.compile(r"(?<![\w.-])c(?=\s*\d)"), "с"),  # a Latin c for the preposition "с" before a date
]


def normalise_clause(clause: str) -> str:
    """Collapse spaces and undo the portal's slips (see the module docstring)."""
    c = " ".join(clause.split())
    for slip, meant in _SLIPS:
        c = slip.sub(meant, c)
    return " ".join(c.split())


def clause_slips(clause: str) -> list[str]:
    """The slips ``normalise_clause`` repairs in ``clause``, as sentences for a ``ParseWarning``.

    >>> clause_slips("вводитсяв действие по истечении шестидесяти дней после дня его первогоофициального")
    ['"вводитсяв" read as "вводится в"', '"первогоофициального" read as "первого официального"']
    >>> clause_slips("вводится в действие c 01.01.2020")
    ['"c" read as "с" (a Latin letter read as the Cyrillic one)']
    """
    out = []
    for slip, meant in _SLIPS:
        for m in slip.finditer(clause):
            a = clause.rfind(" ", 0, m.start()) + 1
            b = clause.find(" ", m.end())
            word = clause[a:b if b >= 0 else len(clause)]
            fixed = f"{word[:m.start() - a]}{meant}{word[m.end() - a:]}"
            latin = " (a Latin letter read as the Cyrillic one)" if re.search(r"[a-z]", m.group(0)) else ""
            out.append(f'"{word}" read as "{fixed}"{latin}')
    return out


_WORD = r"[А-Яа-яЁё]+"


@functools.lru_cache(maxsize=4096)
def parse_rule_ru(clause: str | None) -> Rule:
    """Read the rule of a Russian entry-into-force clause; ``Rule('unknown')`` if it cannot."""
    if not clause:
        return Rule("unknown")
    c = normalise_clause(clause)
    ref = re.search(r"\bсм\.?\s*(?:стать\w*|ст\.?)\s*(\d+(?:-\d+)*)", c, re.I)
    if ref:
        return Rule("referral", article=ref.group(1))
    main = re.split(r",?\s+за\s+исключением\b", c, maxsplit=1, flags=re.I)[0]
    m = re.search(r"(?:^|\s)с\s+(" + DATE_RU.pattern + ")", main, re.I)
    if m:
        dp = parse_date_ru(m.group(1))
        return Rule("explicit", date=dp.value) if dp.value else Rule("unknown")
    if not re.search(r"опубликовани", main, re.I):
        return Rule("unknown")
    m = re.search(rf"(\d+|{_WORD}(?:\s+{_WORD})?)\s+календарн\w*\s+дн", main, re.I)
    if m:
        n = words_to_int_ru(m.group(1)) or words_to_int_ru(m.group(1).split()[-1])
        if n is not None:
            return Rule("period", days=n)
    m = re.search(rf"(\d+|{_WORD}(?:\s+{_WORD})?)\s+месяц", main, re.I)
    if m:
        n = words_to_int_ru(m.group(1)) or words_to_int_ru(m.group(1).split()[-1])
        if n is not None:
            return Rule("period", months=n)
    if re.search(r"\bсо\s+дня\s+(?:его\s+)?первого\s+официального\s+опубликования", main, re.I):
        return Rule("period", days=-1)  # in force on the day of publication itself
    return Rule("unknown")
