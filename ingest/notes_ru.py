"""The Russian grammar of the portal's notes ("Сноска. …") and inline markers ("3-1) исключен …").

Same model as the English reader (``notes.read_note``): a subject, then verbs, each followed by the laws
it applies to; one ``NoteEvent`` per (unit, amending law); whatever is not understood becomes a
``ParseWarning`` with the line, never an exception and never silence.

    Сноска. Глава 2 дополнена статьей 7-1 в соответствии с Законом РК от 28.12.2017 № 128-VI (…);
    с изменениями, внесенными законами РК от 18.03.2019 № 237-VІ (…); от 25.06.2020 № 347-VI (…).

Verbs (kind): "с изменением, внесенным Законом РК" / "с изменениями, внесенными законами РК" (amended);
"в редакции Закона РК", also "- в редакции", "– в редакции" (new_wording); "дополнена статьей N в
соответствии с Законом РК", "Закон дополнен статьей N …" (inserted: Article N); "исключен(а) Законом РК"
(excluded); "вводится в действие <rule> в соответствии с Законом РК" (inserted: a unit placed for a law
not yet in force — the rule stands before the law, not in parentheses after it).

Subjects: "Статья N", "Заголовок статьи N", "Глава N", "Заголовок главы N", "Раздел N", "Заголовок
раздела N", "Пункт N статьи M", "Подпункт N) [пункта M] статьи K", "Закон" (the verb names the article).

>>> w = []
>>> [(e.unit, e.kind, e.law_number, e.clauses) for e in read_note_ru(
...     "Сноска. Статья 3 с изменением, внесенным Законом РК от 27.12.2021 № 87-VII (вводится в действие с "
...     "01.01.2022).", 7, "art_3", "footnote", w)]
[('art_3', 'amended', '87-VII', ('вводится в действие с 01.01.2022',))]
"""
from __future__ import annotations

import re

from ingest.entry_into_force_ru import clause_slips
from ingest.errors import ParseWarning
from ingest.lawrefs_ru import find_law_refs_ru
from ingest.notes import NoteEvent, leftover_words

_ART = r"(\d+(?:-\d+)*)"
_LAW = r"[Зз]акон(?:ом|ами|а|ов)?\b"
# (pattern, kind, what the pattern names: "article" | "chapter" | "rule" | None)
_VERBS: list[tuple[re.Pattern[str], str, str | None]] = [
    (re.compile(rf"\bдополнен[аоы]?\s+стать[её]й\s+{_ART}\s*,?\s+в\s+соответствии\s+с\s+{_LAW}", re.I),
     "inserted", "article"),
    (re.compile(rf"\bдополнен[аоы]?\s+главой\s+{_ART}\s*,?\s+в\s+соответствии\s+с\s+{_LAW}", re.I),
     "inserted", "chapter"),
    (re.compile(rf"\b(?P<rule>вводится\s*в\s*действие\b[^();]*?)\s+в\s+соответствии\s+с\s+{_LAW}", re.I),
     "inserted", "rule"),
    (re.compile(rf"\bисключен[аоы]?\s+{_LAW}", re.I), "excluded", None),
    (re.compile(rf"(?:[-–—]\s*)?\bв\s+редакции\s+{_LAW}", re.I), "new_wording", None),
    (re.compile(rf"\bс\s+(?:изменени|дополнени)\w*(?:\s+и\s+(?:изменени|дополнени)\w*)?\s*,?\s+"
                rf"внесенн\w*\s+{_LAW}", re.I), "amended", None),
]
_INLINE = re.compile(r"^\s*(\d+(?:-\d+)*)\s*[.)]\s*[Ии]сключен[аоы]?\s+[Зз]акон", re.I)
_UNIT_RULE = re.compile(r"^\s*(\d+(?:-\d+)*)\)\s*вводится\s*в\s*действие\b.*\bв\s+соответствии\s+с\s+"
                        + _LAW, re.I)
_CYRILLIC_LOOKALIKES = str.maketrans("aceopxyABCEHKMOPTX", "асеорхуАВСЕНКМОРТХ")
_FILLER = re.compile(
    r"\b(?:РК|Республики|Казахстан|от|и|в|соответствии|с|законами|законом|закона|законов|"
    r"\d+(?:-\d+)*)\b|[\s.;,()\-–—*№]", re.I)


def is_inline_marker_ru(text: str) -> bool:
    """True for a unit whose whole text is an exclusion marker ("3-1) исключен Законом РК …")."""
    return bool(_INLINE.match(text))


def is_unit_rule(text: str) -> bool:
    """True for a line that only states when a numbered unit enters into force
    ("39-3) вводится в действие по истечении … в соответствии с Законом РК от … № …;")."""
    return bool(_UNIT_RULE.match(text))


def fix_latin_lookalikes(text: str, line: int, warnings: list[ParseWarning]) -> str:
    """Replace Latin look-alike letters inside Cyrillic words, and a Latin "c" used as the preposition
    "с" before a date or word ("c 01.01.2023"); each repair is reported."""
    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if re.search(r"[a-zA-Z]", word) and re.search(r"[А-Яа-яЁё]", word.replace("І", "").replace("і", "")):
            fixed = word.translate(_CYRILLIC_LOOKALIKES)
            if fixed != word:
                warnings.append(ParseWarning(line, text[:200], f'Latin letter in "{word}" read as "{fixed}"',
                                             "repaired"))
            return fixed
        return word
    text = re.sub(r"[\wІі]+", fix, text)
    if re.search(r"(?<![\w.-])c(?=\s+[\dА-Яа-я])", text):
        warnings.append(ParseWarning(line, text[:200], 'Latin "c" read as the preposition "с"', "repaired"))
        text = re.sub(r"(?<![\w.-])c(?=\s+[\dА-Яа-я])", "с", text)
    return text


def _subject_target(subject: str, line: int, text: str, warnings: list[ParseWarning]) -> str | None:
    s = " ".join(subject.split()).strip(" -–—,.*>")
    s = re.sub(r"^Сноска\.\s*", "", s, flags=re.I)
    patterns = [
        (rf"Заголовок\s+статьи\s+{_ART}", "art_{0}__heading"),
        (rf"Заголовок\s+главы\s+{_ART}", "chp_{0}__heading"),
        (rf"Заголовок\s+раздела\s+{_ART}", "sec_{0}__heading"),
        (rf"Статья\s+{_ART}", "art_{0}"),
        (rf"Глава\s+{_ART}", "chp_{0}"),
        (rf"Раздел\s+{_ART}", "sec_{0}"),
        (rf"Пункт\s+{_ART}\s+статьи\s+{_ART}", "art_{1}__para_{0}"),
        (rf"Подпункт\s+{_ART}\)\s+пункта\s+{_ART}\s+статьи\s+{_ART}", "art_{2}__para_{1}__subpara_{0}"),
        (rf"Подпункт\s+{_ART}\)\s+статьи\s+{_ART}", "art_{1}__subpara_{0}"),
    ]
    for pattern, eid in patterns:
        m = re.fullmatch(pattern, s, re.I)
        if m:
            return eid.format(*m.groups())
    if re.fullmatch(r"(?:Настоящий\s+)?Закон", s, re.I):
        return None  # the verb names the article
    warnings.append(ParseWarning(line, text[:200], f'subject of the note not understood: "{s}"'))
    return None


def read_note_ru(text: str, line: int, context: str | None, note_kind: str,
                 warnings: list[ParseWarning], target: str | None = None) -> list[NoteEvent]:
    """Read one Russian note into events. ``target`` is given for inline markers and unit rules
    (the unit they concern); ``context`` is the unit the note stands in."""
    text = fix_latin_lookalikes(text, line, warnings)
    refs = find_law_refs_ru(text)
    inside = [(r.start, r.end) for r in refs]
    verbs: list[tuple[int, int, str, str | None]] = []  # (start, end, kind, rule clause)
    named: str | None = None
    taken: list[tuple[int, int]] = []
    for pattern, kind, names in _VERBS:
        for m in pattern.finditer(text):
            if any(a <= m.start() < b for a, b in taken + inside):
                continue  # part of another verb, or words inside a law's clause
            taken.append((m.start(), m.end()))
            rule = " ".join(m.group("rule").split()) if names == "rule" else None
            verbs.append((m.start(), m.end(), kind, rule))
            if names == "article":
                named = f"art_{m.group(1)}"
            elif names == "chapter":
                named = f"chp_{m.group(1)}"
    verbs.sort()
    if not verbs:
        warnings.append(ParseWarning(line, text[:200], "no amendment verb (с изменениями, в редакции, "
                                     "дополнен, исключен, вводится в действие … в соответствии с) found"))
        return []
    if target is None:
        subject_target = _subject_target(text[:verbs[0][0]], line, text, warnings)
        target = named or subject_target
        if target is None:
            return []
        if named and context and named != context:
            warnings.append(ParseWarning(line, text[:200], f"the note inserts {named} but stands in {context}"))
        elif subject_target and context and subject_target.startswith("art_") \
                and subject_target.split("__")[0] != context:
            warnings.append(ParseWarning(line, text[:200], f"the note names {subject_target} but stands in {context}"))
    if not refs:
        warnings.append(ParseWarning(line, text[:200], "no amending law (№ …) found in the note"))
        return []
    events: dict[str, dict] = {}
    for ref in refs:
        active = [v for v in verbs if v[0] < ref.start]
        if not active:
            warnings.append(ParseWarning(line, text[:200], f"Law № {ref.number} comes before any verb"))
            continue
        _, _, kind, rule = active[-1]
        clause = ref.clause
        problems = list(ref.problems)
        if rule is not None:  # "вводится в действие <rule> в соответствии с Законом …": the rule came first
            problems = [p for p in problems if not p.startswith("no entry-into-force clause")]
            clause = clause or rule
        for r in ref.repairs:
            warnings.append(ParseWarning(line, text[:200], r, "repaired"))
        for slip in clause_slips(clause or ""):
            warnings.append(ParseWarning(line, text[:200], f"slip in the clause of Law № {ref.number}: {slip}",
                                         "repaired"))
        for p in problems:
            warnings.append(ParseWarning(line, text[:200], p))
        if kind == "inserted" and any(e["kind"] == "inserted" for e in events.values()):
            kind = "amended"
            warnings.append(ParseWarning(line, text[:200], f"Law № {ref.number} follows an insertion verb "
                                         "already used by another law; read as an amendment", "repaired"))
        prev = events.get(ref.number)
        if prev is None:
            events[ref.number] = dict(kind=kind, date=ref.date, clauses=[clause] if clause else [])
            continue
        warnings.append(ParseWarning(line, text[:200], f"Law № {ref.number} is cited twice in one note; "
                                     "both clauses are kept on one event", "repaired"))
        if clause:
            prev["clauses"].append(clause)
        if prev["kind"] != kind:
            warnings.append(ParseWarning(line, text[:200], f"Law № {ref.number} is cited with two verbs "
                                         f"({prev['kind']}, {kind}); kept {prev['kind']}"))
    leftover = _leftover(text, inside + [(v[0], v[1]) for v in verbs], verbs[0][0])
    if leftover:
        warnings.append(ParseWarning(line, text[:200], f'text in the note not understood: "{leftover[:120]}"'))
    return [NoteEvent(target, e["kind"], number, e["date"], tuple(e["clauses"]), line, note_kind)
            for number, e in events.items()]


def _leftover(text: str, covered: list[tuple[int, int]], first_verb: int) -> str:
    """Words of a Russian note that belong to no verb, no reference and no filler."""
    return leftover_words(text, covered, first_verb, _FILLER)
