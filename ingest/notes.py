"""The English grammar of amendment notes: footnotes and inline "excluded by" markers.

A note is a subject, then verbs, each followed by the laws it applies to:

    Footnote. Chapter 2 is supplemented by Article 7-1 in accordance with the Law … dated 28.12.2017
    № 128-VI (…); as amended by the laws … dated 18.03.2019 № 237-VI (…); dated 25.06.2020 № 347-VI (…).

A verb applies to every law after it until the next verb. ``read_note`` turns a note into one
``NoteEvent`` per (unit, amending law) pair and reports what it repaired or could not read.

Subjects: "Article N", "Article" (no number: the article the note stands in), "The heading/title of
Article N", "The title of chapter N", "Chapter N" (the chapter itself, or with "is supplemented by
Article X" the inserted article), "The Law as added by Article X", and the mistranslated
"The Law / Chapter N as amended by Article X in accordance with" (an insertion of Article X).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Iterator

from ingest.errors import ParseWarning
from ingest.lawrefs import find_law_refs

KINDS = ("inserted", "amended", "new_wording", "excluded")

_ART = r"(\d+(?:-\d+)*)"
# (pattern, kind, does the pattern name the inserted article, repair note)
_VERBS: list[tuple[re.Pattern[str], str, bool, str | None]] = [
    (re.compile(rf"\b(?:is|has been)\s+supplemented\s+(?:by|with)\s+Article\s+{_ART}", re.I),
     "inserted", True, None),
    (re.compile(rf"\bas\s+added\s+by\s+Article\s+{_ART}", re.I), "inserted", True, None),
    (re.compile(rf"\bas\s+amended\s+by\s+Article\s+{_ART}\s*,?\s+in\s+accordance\s+with", re.I),
     "inserted", True, '"as amended by Article X in accordance with" read as the insertion of Article X'),
    (re.compile(r"\b(?:is\s+|are\s+)?(?:as\s+)?excluded\s+by", re.I), "excluded", False, None),
    (re.compile(r"\b(?:is\s+|-\s+)?in\s+the\s+wording\s+of", re.I), "new_wording", False, None),
    (re.compile(r"\b(?:is\s+|are\s+)?(?:-\s+)?as\s+amended\s+by", re.I), "amended", False, None),
    (re.compile(r"\bwith\s+(?:an\s+)?amendments?\s+(?:introduced|made)\s+by", re.I), "amended", False, None),
]
# The word each verb pattern must contain (lower case, a plain word: also a regex for the same search
# with the same flags). ``read_note`` tries a pattern only where its word occurs.
_VERB_WORDS = [re.compile(w, re.I) for w in ("supplemented", "added", "amended", "excluded", "wording",
                                             "amended", "amendment")]
# What may stand in a verb match before its obligatory word ("is as excluded", "- in the wording", "with
# an amendment"): these lower-case letters, "-" and whitespace (a superset; each word has other letters).
_BEFORE_WORD = frozenset("abehinrstw-")
# The non-ASCII letters a case-insensitive regex matches to an ASCII letter (İ ı ſ K); İ is also the only
# letter whose lower case is longer than one character.
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")
_LATIN_HOMOGLYPHS = str.maketrans("аеорсхуіІАЕОРСХКМТВН", "aeopcxyiIAEOPCXKMTBH")
_CYRILLIC = re.compile(r"[А-Яа-яІі]")
_INLINE = re.compile(r"^\s*(\d+(?:-\d+)?)\s*[.)]\s*(?:is\s+|as\s+)?excluded\s+by\b", re.I)


@dataclass(frozen=True)
class NoteEvent:
    """One (unit, amending law) pair read from a note, before its date is computed."""

    unit: str
    kind: str
    law_number: str
    law_date: date | None
    clauses: tuple[str, ...]
    source_line: int
    note_kind: str  # footnote | inline


def is_inline_marker(text: str) -> bool:
    """True for a unit whose whole text is an exclusion marker ("3-1) excluded by …")."""
    return bool(_INLINE.match(text))


def lowered(text: str) -> str | None:
    """``text.lower()``, in which an ASCII word occurs exactly where a case-insensitive regex finds it in
    ``text`` (same positions); None when ``text`` holds one of the letters for which that fails (İ ı ſ K).

    A substring test on it can rule out a case-insensitive regex that needs the word, at C speed.
    """
    if not text.isascii() and _FOLDS_TO_ASCII.search(text):
        return None
    return text.lower()


def _verb_matches(pattern: re.Pattern[str], word: str, text: str, low: str) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text)``, found by trying ``pattern`` only just before each
    occurrence of its obligatory ``word`` in ``low`` (``lowered(text)``).

    Every match holds ``word``, preceded within the match only by ``_BEFORE_WORD`` characters; so a
    match can start only between an occurrence of the word and the run of such characters before it,
    and the first such start (occurrences in order) at which ``pattern`` matches is the match
    ``finditer`` finds next. Scanning the whole note with each unanchored pattern was most of its cost.
    """
    pos = 0  # matches do not overlap: the next one starts at or after the end of the last
    k = low.find(word)
    while k >= 0:
        lo = k
        while lo > pos and (low[lo - 1] in _BEFORE_WORD or low[lo - 1].isspace()):
            lo -= 1
        for start in range(max(lo, pos), k + 1):
            m = pattern.match(text, start)
            if m:
                yield m
                pos = m.end()
                break
        k = low.find(word, max(k + 1, pos))


def fix_homoglyphs(text: str, line: int, warnings: list[ParseWarning]) -> str:
    """Replace Cyrillic look-alike letters inside otherwise Latin words ("оf" -> "of")."""
    if not _CYRILLIC.search(text):
        return text  # the common case: nothing to look at word by word
    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if re.search(r"[A-Za-z]", word) and re.search(r"[А-Яа-яІі]", word):
            fixed = word.translate(_LATIN_HOMOGLYPHS)
            if fixed != word:
                warnings.append(ParseWarning(line, text[:200], f'Cyrillic letter in "{word}" read as "{fixed}"',
                                             "repaired"))
            return fixed
        return word
    return re.sub(r"[\wІі-]+", fix, text)


def _subject_target(subject: str, context: str | None, line: int, text: str,
                    warnings: list[ParseWarning]) -> str | None:
    s = " ".join(subject.split()).rstrip(" -,")
    s = re.sub(r"^Footnote\.\s*", "", s, flags=re.I)
    m = re.fullmatch(rf"The\s+(?:heading|title)\s+of\s+Article\s+{_ART}", s, re.I)
    if m:
        return f"art_{m.group(1)}__heading"
    m = re.fullmatch(r"The\s+(?:heading|title)\s+of\s+chapter\s+(\d+)", s, re.I)
    if m:
        return f"chp_{m.group(1)}__heading"
    m = re.fullmatch(rf"Article\s+{_ART}", s, re.I)
    if m:
        return f"art_{m.group(1)}"
    m = re.fullmatch(r"Chapter\s+(\d+)", s, re.I)
    if m:
        return f"chp_{m.group(1)}"
    if re.fullmatch(r"Article", s, re.I):
        if context and context.startswith("art_"):
            warnings.append(ParseWarning(line, text[:200], f'"Article" with no number read as the article '
                                         f"the note stands in ({context})", "repaired"))
            return context
    if re.fullmatch(r"(?:The\s+)?Law", s, re.I):
        return None  # the verb names the article
    warnings.append(ParseWarning(line, text[:200], f'subject of the note not understood: "{s}"'))
    return None


def read_note(text: str, line: int, context: str | None, note_kind: str,
              warnings: list[ParseWarning], target: str | None = None) -> list[NoteEvent]:
    """Read one note into events. ``target`` is given for inline markers (the unit they stand in)."""
    text = fix_homoglyphs(text, line, warnings)
    verbs: list[tuple[int, int, str]] = []  # (start, end, kind)
    named: str | None = None
    in_verb = bytearray(len(text) + 1)  # positions already inside a verb match (linear, not pairwise)
    low = lowered(text)
    for (pattern, kind, names_article, repair), word in zip(_VERBS, _VERB_WORDS):
        if low is None:
            matches = pattern.finditer(text) if word.search(text) else ()
        else:
            matches = _verb_matches(pattern, word.pattern, text, low)
        for m in matches:
            if in_verb[m.start()]:
                continue
            in_verb[m.start():m.end()] = b"\x01" * (m.end() - m.start())
            verbs.append((m.start(), m.end(), kind))
            if names_article:
                named = f"art_{m.group(1)}"
                if repair:
                    warnings.append(ParseWarning(line, text[:200], repair, "repaired"))
    verbs.sort()
    if not verbs:
        warnings.append(ParseWarning(line, text[:200], "no amendment verb (amended, excluded, "
                                     "supplemented, in the wording of) found"))
        return []
    if target is None:
        subject_target = _subject_target(text[:verbs[0][0]], context, line, text, warnings)
        target = named or subject_target
        if target is None:
            return []
        if named and context and named != context:
            warnings.append(ParseWarning(line, text[:200], f"the note inserts {named} but stands in {context}"))
        elif subject_target and context and subject_target.startswith("art_") \
                and subject_target.split("__")[0] != context:
            warnings.append(ParseWarning(line, text[:200], f"the note names {subject_target} but stands in {context}"))
    if re.search(r"\)\s*;\s*\)\s*;", text):
        warnings.append(ParseWarning(line, text[:200], 'stray "); );" in the note ignored', "repaired"))
    refs = find_law_refs(text)
    if not refs:
        warnings.append(ParseWarning(line, text[:200], "no amending law (№ …) found in the note"))
        return []
    events: dict[str, dict] = {}
    for ref in refs:
        for r in ref.repairs:
            warnings.append(ParseWarning(line, text[:200], r, "repaired"))
        for p in ref.problems:
            warnings.append(ParseWarning(line, text[:200], p))
        active = [v for v in verbs if v[0] < ref.start]
        if not active:
            warnings.append(ParseWarning(line, text[:200], f"Law № {ref.number} comes before any verb"))
            continue
        kind = active[-1][2]
        if kind == "inserted" and any(e["kind"] == "inserted" for e in events.values()):
            kind = "amended"
            warnings.append(ParseWarning(line, text[:200], f"Law № {ref.number} follows an insertion verb "
                                         "already used by another law; read as an amendment", "repaired"))
        prev = events.get(ref.number)
        if prev is None:
            events[ref.number] = dict(kind=kind, date=ref.date, clauses=[ref.clause] if ref.clause else [])
            continue
        warnings.append(ParseWarning(line, text[:200], f"Law № {ref.number} is cited twice in one note; "
                                     "both clauses are kept on one event", "repaired"))
        if ref.clause:
            prev["clauses"].append(ref.clause)
        if prev["kind"] != kind:
            warnings.append(ParseWarning(line, text[:200], f"Law № {ref.number} is cited with two verbs "
                                         f"({prev['kind']}, {kind}); kept {prev['kind']}"))
    covered = [(r.start, r.end) for r in refs] + [(v[0], v[1]) for v in verbs]
    leftover = leftover_words(text, covered, verbs[0][0])
    if leftover:
        warnings.append(ParseWarning(line, text[:200], f'text in the note not understood: "{leftover[:120]}"'))
    return [NoteEvent(target, e["kind"], number, e["date"], tuple(e["clauses"]), line, note_kind)
            for number, e in events.items()]


_FILLER = re.compile(
    r"\b(?:the|laws?|of|Republic|Kazakhstan|RK|in|accordance|with|dated|and|by|from|as|is|"
    r"Article|Chapter|\d+(?:-\d+)*)\b|[\s.;,()\-–]", re.I)


def leftover_words(text: str, covered: list[tuple[int, int]], first_verb: int,
                   filler: re.Pattern[str] = _FILLER) -> str:
    """Words after the subject that belong to no verb, no reference and no ``filler`` (both grammars).

    Each covered span becomes one space (not one per character: each was a match of ``filler``'s
    whitespace class); so ``filler`` must treat a run of spaces as it treats one, as both grammars' do.
    """
    pieces, pos = [], first_verb  # the text from the first verb with every covered span blanked
    for a, b in sorted(covered):
        a, b = max(a, pos), min(b, len(text))
        if a >= b:
            continue
        pieces += [text[pos:a], " "]  # one space for the span: only the words left matter
        pos = b
    rest = "".join(pieces) + text[pos:]
    return " ".join(filler.sub(" ", rest).split())
