"""The tree of units of the official Russian text as the mirror lays it out (Markdown).

``parse_structure_ru(act)`` classifies every line of an edition (``mirror.ActText``), then builds the
tree with the English builder's rules, so that both languages land on the same unit ids: article,
paragraph and subparagraph numbers are the same in every language. After it returns:

1. every non-blank line is accounted for: mirror apparatus (front matter, table of contents, anchors),
   the title, the preamble, the text of exactly one unit, a note, or the signature block;
2. unit ids follow ``structure`` (``sec_1``, ``chp_10-1``, ``art_7-1``, ``art_4__para_2__subpara_3``,
   ``art_9__heading``, ``art_64__part_2``); a repeated number gets ``__dup_N`` and a warning;
3. heading levels are ignored (the splitter shifts them): "РАЗДЕЛ N.", "Глава N." and "Статья N."
   say what a heading is; Markdown emphasis around notes and markers is removed from the text;
4. notes ("Сноска. …", quoted or not) are ``footnotes`` in the unit they stand in; a line that only
   says when a numbered unit enters into force ("39-3) вводится в действие … в соответствии с Законом
   …") and an article placed for a future law without heading markup ("Статья 30-2. Вводится в
   действие …") are ``unit_notes`` whose context is the unit they concern, not new units;
5. articles missing from the numbering inside an excluded chapter are added with ``present=False``.

The continuation rule for unnumbered lines is the English one (``structure`` module docstring).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.errors import ParseWarning
from ingest.mirror import ActText
from ingest.notes_ru import is_unit_rule
from ingest.structure import Footnote, Structure, _add_missing_articles, _Builder, place_in_article, unit_from

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SECTION = re.compile(r"^РАЗДЕЛ\s+(\d+(?:-\d+)*)\.\s*(.*?)\s*$", re.I)
_CHAPTER = re.compile(r"^Глава\s+(\d+(?:-\d+)*)\.\s*(.*?)\s*$", re.I)
_ARTICLE = re.compile(r"^Статья\s+(\d+(?:-\d+)*)\.\s*(.*?)\s*$")
_PLACEHOLDER_TITLE = re.compile(r"^Вводится\s*в\s*действие\b", re.I)
_NOTE = re.compile(r"^Сноска\.", re.I)
_PARAGRAPH = re.compile(r"^(\d+(?:-\d+)*)\.\s+(\S.*?)\s*$")
_SUBPARAGRAPH = re.compile(r"^(\d+(?:-\d+)*)\)\s*(.*?)\s*$")
_ANCHOR = re.compile(r'^<a\s+id="([^"]*)"\s*>\s*</a>$')
_BOLD = re.compile(r"^\*\*(.+?)\*\*$")
_SIGNATURE = re.compile(r"^\*\*\s*Президент\s+Республики\s+Казахстан\b", re.I)  # starts the signature block


@dataclass(frozen=True)
class RuStructure:
    """``Structure`` (title, units, footnotes, warnings) plus the notes that concern one unit."""

    structure: Structure
    unit_notes: tuple[Footnote, ...]  # context = the unit concerned (art_1__subpara_39-3, art_30-2)


@dataclass
class _Line:
    line: int
    kind: str  # title|section|chapter|article|placeholder|note|unit_rule|para|subpara|text|signature|anchor
    number: str | None = None
    text: str = ""
    extra: str = ""


def unmark(s: str) -> str:
    """A body line without Markdown quoting and emphasis: ``> *Сноска. …*`` -> ``Сноска. …``."""
    s = s.strip()
    while s.startswith(">"):
        s = s[1:].strip()
    m = _BOLD.match(s)
    if m:
        return m.group(1).strip()
    if len(s) > 1 and s.startswith("*") and s.endswith("*") and not s.startswith("**"):
        return s[1:-1].strip()
    if s.startswith("*") and not s.startswith("**") and "*" not in s[1:]:
        return s[1:].strip()  # an emphasis the portal opened and never closed
    return s


def _classify(act: ActText, warnings: list[ParseWarning]) -> list[_Line]:
    out: list[_Line] = []
    title_seen = False
    for idx, raw in enumerate(act.source.lines, start=1):
        if idx in act.apparatus or not raw.strip():
            continue
        s = raw.strip()
        if _ANCHOR.match(s):
            out.append(_Line(idx, "anchor", _ANCHOR.match(s).group(1)))
            continue
        h = _HEADING.match(s)
        body = unmark(h.group(2) if h else s)
        m = _SECTION.match(body)
        if m:
            out.append(_Line(idx, "section", m.group(1), m.group(2), body))
            continue
        m = _CHAPTER.match(body)
        if m:
            out.append(_Line(idx, "chapter", m.group(1), m.group(2), body))
            continue
        m = _ARTICLE.match(body)
        if m:
            if _PLACEHOLDER_TITLE.match(m.group(2)):
                out.append(_Line(idx, "placeholder", m.group(1), body, f"Статья {m.group(1)}."))
                if not h:
                    warnings.append(ParseWarning(idx, s[:200], f"Article {m.group(1)} is placed for a law not yet "
                                                 "in force, without heading markup and without a title; read as "
                                                 "the article with its entry-into-force note", "repaired"))
                continue
            if not h:
                warnings.append(ParseWarning(idx, s[:200], f"article heading without heading markup; read as "
                                             f"Article {m.group(1)}", "repaired"))
            out.append(_Line(idx, "article", m.group(1), m.group(2), body))
            continue
        if h and not title_seen and len(h.group(1)) == 1:
            title_seen = True
            out.append(_Line(idx, "title", text=body))
            continue
        if h:
            warnings.append(ParseWarning(idx, s[:200], "heading not understood (not РАЗДЕЛ, Глава or Статья); "
                                         "kept as text"))
        if _NOTE.match(body):
            out.append(_Line(idx, "note", text=body))
        elif _SIGNATURE.match(s):
            out.append(_Line(idx, "signature", text=body))
        elif is_unit_rule(body):
            out.append(_Line(idx, "unit_rule", _SUBPARAGRAPH.match(body).group(1), body))
        elif _SUBPARAGRAPH.match(body):
            out.append(_Line(idx, "subpara", _SUBPARAGRAPH.match(body).group(1), body))
        elif _PARAGRAPH.match(body):
            out.append(_Line(idx, "para", _PARAGRAPH.match(body).group(1), body))
        else:
            out.append(_Line(idx, "text", text=body))
    return out


def parse_structure_ru(act: ActText) -> RuStructure:
    """Build the unit tree of one Russian edition (see the module docstring for the guarantees)."""
    warnings: list[ParseWarning] = []
    tokens = _classify(act, warnings)
    b = _Builder()
    b.warnings = warnings
    footnotes: list[Footnote] = []
    unit_notes: list[Footnote] = []
    title = ""
    preamble: list[_Line] = []
    in_body = in_signature = False
    section = chapter = article = paragraph = subpara = None
    significant = [t for t in tokens if t.kind != "anchor"]

    def next_numbered(i: int) -> _Line | None:
        for t in significant[i + 1:]:
            if t.kind not in ("text", "note", "unit_rule"):
                return t
        return None

    for i, tok in enumerate(significant):
        k = tok.kind
        if k == "title":
            title = tok.text
            continue
        if k in ("section", "chapter", "article", "placeholder"):
            in_body = True
            if preamble:
                pre = b.add("preamble", "preamble", None, None, "\n".join(t.text for t in preamble),
                            preamble[0].line)
                b.by_eid[pre]["line_end"] = preamble[-1].line
                preamble = []
        elif not in_body:
            if k == "note":
                footnotes.append(Footnote(tok.line, tok.text, None))
            else:
                preamble.append(tok)
            continue
        if in_signature or k == "signature":
            in_signature = True
            if "conclusions" in b.by_eid:
                b.extend("conclusions", tok.text, tok.line)
            else:
                b.add("conclusions", "conclusions", None, None, tok.text, tok.line)
            continue
        if k == "section":
            section = b.add(f"sec_{tok.number}", "section", tok.number, None, tok.extra, tok.line)
            b.add(f"{section}__heading", "heading", None, section, tok.text, tok.line)
            chapter = article = paragraph = subpara = None
        elif k == "chapter":
            chapter = b.add(f"chp_{tok.number}", "chapter", tok.number, section, tok.extra, tok.line)
            b.add(f"{chapter}__heading", "heading", None, chapter, tok.text, tok.line)
            article = paragraph = subpara = None
        elif k in ("article", "placeholder"):
            article = b.add(f"art_{tok.number}", "article", tok.number, chapter or section, tok.extra, tok.line)
            if k == "article":
                b.add(f"{article}__heading", "heading", None, article, tok.text, tok.line)
            else:  # "Статья 30-2. Вводится в действие … в соответствии с Законом …": no title yet
                unit_notes.append(Footnote(tok.line, tok.text, article))
            paragraph = subpara = None
        elif k == "note":
            footnotes.append(Footnote(tok.line, tok.text, article or chapter or section))
        elif k == "unit_rule":
            parent = paragraph or article
            eid = f"{parent}__subpara_{tok.number}" if parent else None
            if eid not in b.by_eid:
                b.warnings.append(ParseWarning(tok.line, tok.text[:200], f"the line states when subparagraph "
                                               f"{tok.number}) enters into force, but there is no such "
                                               f"subparagraph before it in {parent}"))
                eid = parent
            unit_notes.append(Footnote(tok.line, tok.text, eid))
        elif article is None:
            parent = chapter or section
            if parent is None:
                b.warnings.append(ParseWarning(tok.line, tok.text[:200], "text outside any unit"))
                continue
            b.part(parent, tok.text, tok.line)
            b.warnings.append(ParseWarning(tok.line, tok.text[:200],
                                           f"text outside any article, kept as a part of {parent}"))
        else:  # a paragraph, a subparagraph, or unnumbered text
            paragraph, subpara = place_in_article(
                b, k if k in ("para", "subpara") else "text", tok.number, tok.text, tok.line, article,
                paragraph, subpara, lambda: getattr(next_numbered(i), "kind", None) == "subpara")
    if preamble:
        b.add("preamble", "preamble", None, None, "\n".join(t.text for t in preamble), preamble[0].line)
    _check_anchors(tokens, warnings)
    _add_missing_articles(b)
    units = tuple(map(unit_from, sorted(b.units, key=lambda u: u["position"])))
    st = Structure(title=title, law_number=None, law_date_text=None, units=units,
                   footnotes=tuple(footnotes), warnings=tuple(b.warnings))
    return RuStructure(st, tuple(unit_notes))


def _check_anchors(tokens: list[_Line], warnings: list[ParseWarning]) -> None:
    """Each ``<a id="st7-1">`` anchor must precede the heading of Article 7-1."""
    for i, tok in enumerate(tokens):
        if tok.kind != "anchor":
            continue
        nxt = next((t for t in tokens[i + 1:] if t.kind != "anchor"), None)
        if tok.number and tok.number.startswith("st") and (
                nxt is None or nxt.kind not in ("article", "placeholder") or "st" + (nxt.number or "") != tok.number):
            warnings.append(ParseWarning(tok.line, tok.number, f'anchor "{tok.number}" is not followed by the '
                                         "heading of its article"))
