"""The tree of units of a consolidated English law text.

``parse_structure(lines)`` classifies every line, then builds the tree. After it returns:
1. every non-blank line is accounted for: it is the text of exactly one unit, a footnote, front
   matter (title, "Unofficial translation", the law line), or the signature block;
2. unit ids follow Akoma Ntoso naming (``sec_1``, ``chp_7``, ``art_7-1``, ``art_4__para_2``,
   ``art_4__para_2__subpara_3``, ``art_1__subpara_3-1``, ``art_9__heading``, ``art_64__part_2``)
   and are unique (a repeated number gets ``__dup_N`` and a warning);
3. units are listed in document order (``position``), a parent always before its children;
4. articles missing from the numbering inside an excluded chapter (Articles 45–47) are added as
   units with ``present=False`` and no text.

Continuation rule: an unnumbered line after a subparagraph continues that subparagraph when the
next numbered line is another subparagraph of the same list, or when the subparagraph so far ends
with ";", ":" or ","; otherwise it is a new unnumbered part of the subparagraph's parent.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from ingest.errors import ParseWarning

_SECTION = re.compile(r"^SECTION\s+(\d+)\.\s*(.*)$")  # lines are stripped: no trailing \s*
_CHAPTER_IN_SECTION = re.compile(r"^(.*?)\s+(Chapter\s+\d+\..*)$")
_CHAPTER = re.compile(r"^Chapter\s+(\d+)\.\s*(.*)$")
_ARTICLE = re.compile(r"^Article\s+(\d+(?:-\d+)*)\.\s*(.*)$")
_FOOTNOTE = re.compile(r"^Footnote\.\s*(.*)$")
_PARAGRAPH = re.compile(r"^(\d+(?:-\d+)?)\.\s+(\S.*)$")
_PARAGRAPH_NO_DOT = re.compile(r"^(\d+(?:-\d+)?)\s+([A-Z].*)$")
_SUBPARAGRAPH = re.compile(r"^(\d+(?:-\d+)?)\)\s*(.*)$")
_LAW_LINE = re.compile(r"^Law of the Republic of Kazakhstan\s+dated\s+(.+?)\s*№\s*(\d+-[IVXІ]+)\.?\s*$")
_SIGNATURE = re.compile(r"^President of the\b")


@dataclass(frozen=True)
class Unit:
    """One unit of the law: a container, a numbered item, a heading or an unnumbered part."""

    eid: str
    kind: str  # section|chapter|article|heading|paragraph|subparagraph|part|preamble|conclusions
    number: str | None
    parent: str | None
    position: int
    text: str
    line_start: int | None
    line_end: int | None
    present: bool = True


def unit_from(fields: dict) -> Unit:
    """``Unit(**fields)`` without the frozen dataclass's ``__init__`` (one ``object.__setattr__`` per field;
    ~4,000 units a law): ``fields`` must name every field, as ``_Builder`` rows do. Same ``__dict__``, so
    equal to the one ``__init__`` builds (``tests/ingest/test_structure.py``)."""
    u = _new(Unit)
    u.__dict__.update(fields)
    return u


_new = object.__new__


@dataclass(frozen=True)
class Footnote:
    """A "Footnote." paragraph and the unit it stands in (article, or chapter/section)."""

    line: int
    text: str
    context: str | None


@dataclass(frozen=True)
class Structure:
    """Result of ``parse_structure``."""

    title: str
    law_number: str | None
    law_date_text: str | None
    units: tuple[Unit, ...]
    footnotes: tuple[Footnote, ...]
    warnings: tuple[ParseWarning, ...]


@dataclass
class _Token:
    line: int
    kind: str  # blank|section|chapter|article|footnote|para|subpara|text|signature
    number: str | None = None
    text: str = ""
    extra: str = ""


def _classify(lines: tuple[str, ...] | list[str]) -> list[_Token]:
    tokens: list[_Token] = []
    in_body = False
    in_signature = False
    for idx, raw in enumerate(lines, start=1):
        s = raw.strip()
        if not s:
            tokens.append(_Token(idx, "blank"))
            continue
        if in_signature:
            tokens.append(_Token(idx, "signature", text=s))
            continue
        # Every pattern below starts with a fixed letter or a digit (\d: str.isdecimal): trying only
        # those that can match the line's first character finds the same token with fewer attempts.
        first = s[0]
        digit = first.isdecimal()
        m = _SECTION.match(s) if first == "S" else None
        if m:
            in_body = True
            title, chapter = m.group(2), ""
            mc = _CHAPTER_IN_SECTION.match(title)
            if mc:
                title, chapter = mc.group(1), mc.group(2)
            tokens.append(_Token(idx, "section", m.group(1), title, s))
            if chapter:
                c = _CHAPTER.match(chapter)
                tokens.append(_Token(idx, "chapter", c.group(1), c.group(2), chapter))
            continue
        m = _CHAPTER.match(s) if first == "C" else None
        if m:
            in_body = True
            tokens.append(_Token(idx, "chapter", m.group(1), m.group(2), s))
            continue
        m = _ARTICLE.match(s) if first == "A" else None
        if m:
            in_body = True
            tokens.append(_Token(idx, "article", m.group(1), m.group(2), s))
            continue
        if not in_body:
            tokens.append(_Token(idx, "front", text=s))
            continue
        if first == "P" and _SIGNATURE.match(s):
            in_signature = True
            tokens.append(_Token(idx, "signature", text=s))
            continue
        m = _FOOTNOTE.match(s) if first == "F" else None
        if m:
            tokens.append(_Token(idx, "footnote", text=s))
            continue
        m = _SUBPARAGRAPH.match(s) if digit else None
        if m:
            tokens.append(_Token(idx, "subpara", m.group(1), s))
            continue
        m = _PARAGRAPH.match(s) if digit else None
        if m:
            tokens.append(_Token(idx, "para", m.group(1), s))
            continue
        m = _PARAGRAPH_NO_DOT.match(s) if digit else None
        if m:
            tokens.append(_Token(idx, "para", m.group(1), s, extra="nodot"))
            continue
        tokens.append(_Token(idx, "text", text=s))
    return tokens


class _Builder:
    def __init__(self) -> None:
        self.units: list[dict] = []
        self.by_eid: dict[str, dict] = {}
        self.parts: dict[str, int] = {}
        self.warnings: list[ParseWarning] = []

    def add(self, eid: str, kind: str, number: str | None, parent: str | None, text: str,
            line: int | None, present: bool = True) -> str:
        if eid in self.by_eid:
            n = 2
            while f"{eid}__dup_{n}" in self.by_eid:
                n += 1
            self.warnings.append(ParseWarning(line or 0, text[:200],
                                              f"repeated unit number: {eid} already exists; kept as {eid}__dup_{n}"))
            eid = f"{eid}__dup_{n}"
        u = dict(eid=eid, kind=kind, number=number, parent=parent, position=len(self.units) + 1,
                 text=text, line_start=line, line_end=line, present=present)
        self.units.append(u)
        self.by_eid[eid] = u
        return eid

    def extend(self, eid: str, text: str, line: int) -> None:
        u = self.by_eid[eid]
        u["text"] = f"{u['text']}\n{text}" if u["text"] else text
        u["line_end"] = line

    def part(self, parent: str, text: str, line: int) -> str:
        k = self.parts.get(parent, 0) + 1
        self.parts[parent] = k
        return self.add(f"{parent}__part_{k}", "part", str(k), parent, text, line)


def _last_text_of(builder: _Builder, eid: str) -> str:
    """The last line of a subparagraph including its continuation parts."""
    last = builder.by_eid[eid]["text"]
    for u in reversed(builder.units):
        if u["parent"] == eid and u["kind"] == "part":
            return u["text"]
        if u["eid"] == eid:
            break
    return last


def parse_structure(lines: tuple[str, ...] | list[str]) -> Structure:
    """Build the unit tree of a law text (see the module docstring for the guarantees)."""
    tokens = _classify(lines)
    b = _Builder()
    footnotes: list[Footnote] = []
    title, law_number, law_date = "", None, None
    front_text: list[tuple[int, str]] = []
    section = chapter = article = paragraph = subpara = None
    significant = [t for t in tokens if t.kind != "blank"]

    def next_numbered(i: int) -> _Token | None:
        for t in significant[i + 1:]:
            if t.kind != "text":
                return t
        return None

    for i, tok in enumerate(significant):
        k = tok.kind
        if k == "front":
            m = _LAW_LINE.match(tok.text)
            if m:
                law_date, law_number = m.group(1).strip(), m.group(2).replace("І", "I")
            elif not title:
                title = tok.text
            elif tok.text.lower() != "unofficial translation":
                front_text.append((tok.line, tok.text))
            continue
        if front_text:
            pre = b.add("preamble", "preamble", None, None, "\n".join(t for _, t in front_text),
                        front_text[0][0])
            b.by_eid[pre]["line_end"] = front_text[-1][0]
            front_text = []
        if k == "section":
            section = b.add(f"sec_{tok.number}", "section", tok.number, None, tok.extra, tok.line)
            b.add(f"{section}__heading", "heading", None, section, tok.text, tok.line)
            chapter = article = paragraph = subpara = None
        elif k == "chapter":
            chapter = b.add(f"chp_{tok.number}", "chapter", tok.number, section, tok.extra, tok.line)
            b.add(f"{chapter}__heading", "heading", None, chapter, tok.text, tok.line)
            article = paragraph = subpara = None
        elif k == "article":
            article = b.add(f"art_{tok.number}", "article", tok.number, chapter or section,
                            tok.extra, tok.line)
            b.add(f"{article}__heading", "heading", None, article, tok.text, tok.line)
            paragraph = subpara = None
        elif k == "footnote":
            footnotes.append(Footnote(tok.line, tok.text, article or chapter or section))
        elif k == "signature":
            if "conclusions" in b.by_eid:
                b.extend("conclusions", tok.text, tok.line)
            else:
                b.add("conclusions", "conclusions", None, None, tok.text, tok.line)
            section = chapter = article = paragraph = subpara = None
        elif article is None:
            parent = chapter or section
            if parent is None:
                b.warnings.append(ParseWarning(tok.line, tok.text[:200], "text outside any unit"))
                continue
            b.part(parent, tok.text, tok.line)
            b.warnings.append(ParseWarning(tok.line, tok.text[:200],
                                           f"text outside any article, kept as a part of {parent}"))
        elif k == "para":
            if tok.extra == "nodot":
                b.warnings.append(ParseWarning(tok.line, tok.text[:200],
                                               f'paragraph number "{tok.number}" without a dot; read as paragraph {tok.number}',
                                               "repaired"))
            paragraph, subpara = place_in_article(b, k, tok.number, tok.text, tok.line, article, paragraph,
                                                  subpara, lambda: False)
        else:  # subparagraph, or unnumbered text
            paragraph, subpara = place_in_article(
                b, k, tok.number, tok.text, tok.line, article, paragraph, subpara,
                lambda: getattr(next_numbered(i), "kind", None) == "subpara")

    if front_text:  # a text with no structure at all
        b.add("preamble", "preamble", None, None, "\n".join(t for _, t in front_text), front_text[0][0])
    _add_missing_articles(b)
    units = tuple(map(unit_from, sorted(b.units, key=lambda u: u["position"])))
    return Structure(title=title, law_number=law_number, law_date_text=law_date, units=units,
                     footnotes=tuple(footnotes), warnings=tuple(b.warnings))


MAX_INFERRED_GAP = 10  # the real case is Articles 45–47; a larger jump is a slip, not an excluded chapter


def place_in_article(b: _Builder, kind: str, number: str | None, text: str, line: int, article: str,
                     paragraph: str | None, subpara: str | None,
                     next_is_subpara: Callable[[], bool]) -> tuple[str | None, str | None]:
    """Place one numbered or unnumbered line of an article body (both grammars share this rule).

    ``kind`` is "para", "subpara" or "text". Returns the open (paragraph, subparagraph) afterwards.
    Continuation rule: see the module docstring.
    """
    if kind == "para":
        return b.add(f"{article}__para_{number}", "paragraph", number, article, text, line), None
    if kind == "subpara":
        parent = paragraph or article
        return paragraph, b.add(f"{parent}__subpara_{number}", "subparagraph", number, parent, text, line)
    if subpara is not None:
        if next_is_subpara() or _last_text_of(b, subpara).rstrip().endswith((";", ":", ",")):
            b.part(subpara, text, line)
            return paragraph, subpara
    b.part(paragraph or article, text, line)
    return paragraph, None


def _article_base(number: str) -> int:
    return int(number.split("-")[0])


def _add_missing_articles(b: _Builder) -> None:
    """Add articles absent from the numbering, placed in the article-less chapter between."""
    has_articles = {u["parent"] for u in b.units if u["kind"] == "article"}
    prev_article: dict | None = None
    between: list[dict] = []
    inserts: list[tuple[dict, list[int]]] = []
    for u in b.units:
        if u["kind"] == "chapter":
            between.append(u)
            continue
        if u["kind"] != "article":
            continue
        if prev_article is not None:
            first, last = _article_base(prev_article["number"]) + 1, _article_base(u["number"]) - 1
            holders = [c for c in between if c["eid"] not in has_articles]
            if first <= last and holders and last - first < MAX_INFERRED_GAP:
                inserts.append((holders[-1], list(range(first, last + 1))))
            elif first <= last:
                b.warnings.append(ParseWarning(
                    u["line_start"] or 0, f"Article {prev_article['number']} … Article {u['number']}",
                    f"articles {first}–{last} are missing from the numbering and no excluded "
                    "chapter accounts for them" if not holders else
                    f"articles {first}–{last} are missing: too many to infer as units of an excluded chapter"))
        prev_article, between = u, []
    for chapter, numbers in inserts:
        heading = b.by_eid.get(f"{chapter['eid']}__heading", chapter)
        anchor = heading["position"] + 0.5
        for n in numbers:
            eid = f"art_{n}"
            if eid in b.by_eid:
                continue
            anchor += 0.001
            u = dict(eid=eid, kind="article", number=str(n), parent=chapter["eid"], position=anchor,
                     text="", line_start=None, line_end=None, present=False)
            b.units.append(u)
            b.by_eid[eid] = u
    b.units.sort(key=lambda u: u["position"])
    for pos, u in enumerate(b.units, start=1):
        u["position"] = pos
