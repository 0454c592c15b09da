"""Dated witnesses: quotations of Article 1 of the Law on Informatization in other documents.

A witness is a document known to date from a day (a report, a profile) that quotes definitions of
Article 1 ("12) information system - …") as worded then. Three steps, each a plain function:

- ``read_witness(path)``      the bytes of a witness file -> ``SourceText`` (UTF-8, not binary);
- ``find_quotations(source)`` the quotations that belong to the Law on Informatization -> ``Quotation``;
- ``match_quotations(quotations, units)``  each quotation matched to today's subparagraph of
  Article 1 with the same number *and* similar wording, or rejected with the reason -> ``Match``.

How the text is read (``find_quotations``). The file mixes HTML table rows (cells separated by a
tab, each cell an HTML fragment read with ``lxml.html.fragments_fromstring``) and plain markdown
lines (``**bold**``, ``- `` bullets, ``#`` headings). Both become a stream of *soft lines*: an HTML
``<p>``/``<li>`` or a markdown line, further split where a new bold run or a new number starts after
two spaces or more. A soft line wholly in bold (or a ``#`` heading) is a heading:

- a heading naming an act ("The Law of the Republic of Kazakhstan on …", "Penal Code of …",
  "Constitution …", "Resolution …") sets the act the following quotations belong to;
- a heading of the Budapest Convention column ("Article 2 – Illegal access", "Section 1 – …",
  "Chapter I – …", "Title 1 – …") ends the attribution: a new table row begins;
- an article heading inside the act ("Article 7. …"): quotations after "Article N." with N ≠ 1 are
  not Article 1 definitions and are skipped until the next act heading.

After ``find_quotations`` returns, every ``Quotation`` is a soft line starting with "N)" or "N-M)"
that stands after a heading naming the Law "on Informatization" (and no other act, Convention
heading or other article in between). A quotation is one paragraph: text cut by a page break keeps
only its first part (its similarity then shows it). Raises ``IngestError`` (file and line) when
there is none.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping, Protocol

import lxml.etree
import lxml.html

from ingest.errors import IngestError
from ingest.source import SourceText, read_text
from model.textdiff import normalise, similarity

THRESHOLD = 0.5
"""Least similarity (``model.textdiff.similarity`` of the wording after the number) to match.

Why 0.5: an amended definition keeps most of its words — in the 2020 profile the most rewritten
one (64, "objects of informatization of "electronic government"") still scores 0.63, the others
0.90 or more. Two *different* definitions of Article 1 score below 0.36 in 99% of the 4,465 pairs
of today's text; the 9 pairs at 0.5 or more are templated twins (61/62 "subject of receiving /
rendering services in electronic form" 0.85, 58/63 "electronic akimat / government" 0.79). Those
are told apart by the second condition: the unit with the quoted number must also be the one whose
wording is closest. So a quotation matches only when number and wording point to the same unit.
"""

_HTML_TAG = re.compile(r"<(?:p|b|strong|i|em|li|ol|ul|br|div|span)\b[^>]*>", re.I)
_BLOCK_TAGS = {"p", "li", "ol", "ul", "div", "br", "table", "tr", "td", "th", "blockquote",
               "h1", "h2", "h3", "h4", "h5", "h6"}
_BOLD_TAGS = {"b", "strong"}
_B, _E = "\x01", "\x02"  # start and end of a bold run inside a soft line
_SOFT_BREAK = re.compile(rf"\s{{2,}}(?=[{_B}]|\d+(?:-\d+)*[.)]\s)|(?<={_E})\s*(?={_B})")
_MD_BOLD = re.compile(r"\*\*\*(.+?)\*\*\*|\*\*(.+?)\*\*")
_MD_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_BULLET = re.compile(r"^\s*(?:[-*•]\s+)+")
_ENUMERATOR = re.compile(r"^(?:\(?[a-z]{1,4}\)\s*)+")  # "a) ", "ii) ", "c) i) " before a heading
_CONVENTION = re.compile(r"^(?:Chapter\s+[IVXLC]+|Section\s+\d+|Title\s+\d+|Article\s+\d+)\s+[–—-]\s")
_DOMESTIC_ARTICLE = re.compile(r"^Article\s+(\d+(?:-\d+)*)\.(?:\s|$)")
_ACT = re.compile(r"^(?:The\s+)?(?:Law\b|[A-Z][\w ]*?\bCode\b|Constitution\b|Resolution\b|Decree\b)")
_INFORMATIZATION = re.compile(r"\bon\s+informati[sz]ation\b", re.I)
_NUMBERED = re.compile(r"^(\d+(?:-\d+)*)\s*\)\s*(.*)$")
_STUB = re.compile(r"^\s*(?:\d+(?:-\d+)*\)\s*)?(?:is\s+|as\s+)?excluded\b", re.I)


@dataclass(frozen=True)
class Quotation:
    """A numbered definition quoted from the Law on Informatization.

    ``text`` is the quotation as it stands, number included ("12) information system - …");
    ``line`` the line of the file; ``law_heading`` the heading it was attributed by.
    """

    number: str
    text: str
    line: int
    law_heading: str


@dataclass(frozen=True)
class Match:
    """A quotation matched to a unit (``eid``) or rejected (``eid`` None); ``reason`` says why."""

    quotation: Quotation
    status: str  # matched | rejected
    eid: str | None
    similarity: float | None
    reason: str


class UnitWording(Protocol):
    """What matching needs of a unit: its id and today's wording (``ingest.structure.Unit`` fits)."""

    eid: str
    text: str | None


def read_witness(path: str) -> SourceText:
    """Read ``path`` as a UTF-8 text; raise ``IngestError`` naming the file (and line) otherwise."""
    return read_text(path, "witness text")


def find_quotations(source: SourceText) -> tuple[Quotation, ...]:
    """The quotations of the Law on Informatization, in file order (see the module docstring)."""
    act: str | None = None
    other_article = False
    heading_lines: list[int] = []
    out: list[Quotation] = []
    for lineno, raw in enumerate(source.lines, start=1):
        for soft in _soft_lines(raw, source.path, lineno):
            plain = _clean(soft)
            heading = _is_heading(soft)
            label = _ENUMERATOR.sub("", plain).strip() if heading else plain
            if heading and _CONVENTION.match(label):  # a new row of the Convention column
                act, other_article = None, False
            elif (a := _DOMESTIC_ARTICLE.match(label)) is not None:
                other_article = a.group(1) != "1"
            elif heading and _ACT.match(label):
                act, other_article = label, False
                if _is_informatization(label):
                    heading_lines.append(lineno)
            elif (m := _NUMBERED.match(plain)) and act and not other_article and _is_informatization(act):
                out.append(Quotation(number=m.group(1), text=plain, line=lineno, law_heading=act))
    if not out:
        if heading_lines:
            raise IngestError('a heading names the Law "on Informatization" but no numbered definition '
                              '("12) … - …") follows it', source.path, heading_lines[0])
        raise IngestError('no quotation of the Law "on Informatization": no heading naming it '
                          f'(e.g. "The Law of the Republic of Kazakhstan on Informatization") in '
                          f"{len(source.lines)} lines", source.path)
    return tuple(out)


def _is_informatization(heading: str) -> bool:
    return bool(_INFORMATIZATION.search(heading)) and not re.search(r"\bamend", heading, re.I)


def _is_heading(soft: str) -> bool:
    s = soft.strip()
    if s.startswith("#"):
        return True
    return s.startswith(_B) and s.endswith(_E) and not re.sub(rf"{_B}[^{_E}]*{_E}", "", s).strip()


def _clean(soft: str) -> str:
    s = soft.replace(_B, "").replace(_E, "")
    s = _BULLET.sub("", s.lstrip("#"))
    return re.sub(r"\s+", " ", s).strip()


def _soft_lines(raw: str, path: str, lineno: int) -> list[str]:
    """One line of the file as soft lines, bold runs marked with ``_B`` … ``_E``."""
    if _HTML_TAG.search(raw):
        blocks: list[str] = []
        for cell in raw.split("\t"):
            if cell.strip():
                blocks.extend(_html_blocks(cell, path, lineno))
    else:
        s = _MD_BOLD.sub(lambda m: _B + (m.group(1) or m.group(2)) + _E, raw)
        blocks = [_MD_ITALIC.sub(r"\1", s)]
    out: list[str] = []
    for block in blocks:
        out.extend(p for p in _SOFT_BREAK.split(block) if p and p.strip())
    return out


def _html_blocks(cell: str, path: str, lineno: int) -> list[str]:
    """The block texts of one HTML table cell (``<p>``, ``<li>`` …), bold runs marked."""
    try:
        nodes = lxml.html.fragments_fromstring(cell)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as err:
        raise IngestError(f"cannot read the HTML of this line: {err}", path, lineno) from None
    blocks: list[str] = []
    cur: list[str] = []

    def flush() -> None:
        if "".join(cur).strip():
            blocks.append("".join(cur))
        cur.clear()

    def walk(el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _BOLD_TAGS:
            cur.append(_B + el.text_content() + _E)
        elif tag in _BLOCK_TAGS:
            flush()
            cur.append(el.text or "")
            for child in el:
                walk(child)
            flush()
        elif tag:  # i, em, span, a …: their text runs on
            cur.append(el.text or "")
            for child in el:
                walk(child)
        cur.append(el.tail or "")

    for node in nodes:
        if isinstance(node, str):
            cur.append(node)
        else:
            walk(node)
    flush()
    return blocks


def match_quotations(quotations: Iterable[Quotation], units: Iterable[UnitWording], *,
                     known_on: date | None = None,
                     excluded_from: Mapping[str, date] | None = None) -> tuple[Match, ...]:
    """Match each quotation to today's ``art_1__subpara_<number>`` by number and wording.

    ``units``: today's Article 1 subparagraphs (others are ignored); ``excluded_from``: the date each
    excluded unit was excluded; ``known_on``: the witness date. A quotation is *matched* when

    1. a unit with its number exists, and
    2. the similarity of the wording after the number is at least ``THRESHOLD`` (0.5), and
    3. no other subparagraph's wording is closer to it (else it was renumbered or misnumbered).

    A unit that is today an exclusion stub ("8) is excluded by …") has no wording to compare. It
    still matches when the unit was excluded *after* ``known_on`` (or the dates are not given) and
    no other subparagraph has the quoted wording (similarity below ``THRESHOLD``): the number then
    existed on the witness date and the definition is not someone else's. Its similarity is None.
    It is rejected when it was excluded on or before ``known_on``. Never matched on number alone.

    If one unit is matched by several quotations of different wording, the closest one stays
    matched and the others are rejected. Returns one ``Match`` per quotation, in the given order.
    """
    excluded_from = excluded_from or {}
    today = {u.eid: u.text for u in units
             if re.fullmatch(r"art_1__subpara_\d+(?:-\d+)*", u.eid) and u.text is not None}
    wordings = {eid: _after_number(text) for eid, text in today.items() if not _STUB.match(text)}
    out: list[Match] = []
    for q in quotations:
        out.append(_match_one(q, today, wordings, known_on, excluded_from))
    return _one_wording_per_unit(out)


def _after_number(text: str) -> str:
    m = _NUMBERED.match(text.strip())
    return m.group(2) if m else text.strip()


def _match_one(q: Quotation, today: dict[str, str], wordings: dict[str, str], known_on: date | None,
               excluded_from: Mapping[str, date]) -> Match:
    eid = f"art_1__subpara_{q.number}"
    quoted = _after_number(q.text)
    if not quoted:
        return Match(q, "rejected", None, None, f"no wording after the number {q.number})")
    scores = {e: similarity(quoted, w) for e, w in wordings.items()}
    others = sorted(((s, e) for e, s in scores.items() if e != eid), reverse=True)
    best_other, best_other_eid = others[0] if others else (0.0, None)
    hint = (f"; its wording is closest to {best_other_eid} (similarity {best_other:.2f}): renumbered?"
            if best_other >= THRESHOLD else "")
    if eid not in today:
        return Match(q, "rejected", None, None, f"no unit {eid} in today's text{hint}")
    if eid not in wordings:  # today an exclusion stub
        gone = excluded_from.get(eid)
        if gone is not None and known_on is not None and gone <= known_on:
            return Match(q, "rejected", None, None,
                         f"{eid} was excluded from {gone:%d.%m.%Y}, on or before the witness date "
                         f"{known_on:%d.%m.%Y}: the quotation cannot be its wording then")
        if best_other >= THRESHOLD:
            return Match(q, "rejected", None, None, f"today's {eid} is an exclusion stub{hint}")
        when = f"excluded from {gone:%d.%m.%Y}, after the witness date" if gone and known_on else "excluded"
        closest = f" (closest: {best_other_eid} at {best_other:.2f})" if best_other_eid else ""
        return Match(q, "matched", eid, None,
                     f"matched by number: today's {eid} is an exclusion stub ({when}), so there is no "
                     f"wording to compare; no other subparagraph has the quoted wording{closest}")
    own = scores[eid]
    if own < THRESHOLD:
        return Match(q, "rejected", None, own, f"number {q.number} exists but wording differs too much "
                                               f"(similarity {own:.2f} < {THRESHOLD:.2f}){hint}")
    if best_other > own:
        return Match(q, "rejected", None, own,
                     f"number {q.number} exists (similarity {own:.2f}) but the wording is closer to "
                     f"{best_other_eid} ({best_other:.2f}): renumbered or misnumbered?")
    return Match(q, "matched", eid, own, f"number {q.number} and wording agree (similarity {own:.2f})")


def _one_wording_per_unit(matches: list[Match]) -> tuple[Match, ...]:
    """Keep one wording per unit: the closest; identical wordings all stay matched."""
    best: dict[str, Match] = {}
    for m in matches:
        if m.status == "matched":
            cur = best.get(m.eid)
            if cur is None or (m.similarity or 0) > (cur.similarity or 0):
                best[m.eid] = m
    out = []
    for m in matches:
        keep = best.get(m.eid) if m.status == "matched" else None
        if keep is not None and normalise(keep.quotation.text) != normalise(m.quotation.text):
            m = Match(m.quotation, "rejected", None, m.similarity,
                      f"{m.eid} is also quoted at line {keep.quotation.line} in a closer wording "
                      f"(similarity {keep.similarity if keep.similarity is not None else 0:.2f})")
        out.append(m)
    return tuple(out)
