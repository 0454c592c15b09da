"""Untrusted text: law text that looks like HTML, Markdown links or spreadsheet formulas stays text.

A small but valid law text (the real header line, "Article N." headings, footnotes and inline markers)
carries ``<script>``, ``<img onerror>``, ``<iframe>``, ``[click](javascript:…)``, table pipes and
``=HYPERLINK(…)`` in its units, headings and notes. It is ingested through the CLI, then:

- every dashboard page (AppTest) shows it escaped: no text element holds an unescaped ``<script``,
  ``<img``, ``<iframe`` or ``](javascript:``, and the escaped text is really on the page;
- the CSV exports (``events``, ``warnings``, ``changelog``) neutralise formulas; ``to_csv``/``read_csv``
  round-trip;
- the Markdown exports escape markup and keep the table's columns;
- the Akoma Ntoso export is well-formed and gives the text back unchanged as text (lxml round trip).
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from lxml import etree
from streamlit.testing.v1 import AppTest

from model.exports import md_escape, neutralise, read_csv, to_csv
from tests.hardening.util import run_cli

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
PAGES = ["law_as_of", "timeline", "churn", "compare", "export", "quality"]
HEADING_2 = '=HYPERLINK("http://evil.example","Scope") <img src=x onerror=alert(1)> | [link](javascript:alert(6))'
SUBPARA_1 = "1) automation - <script>alert(1)</script> the process;"
SUBPARA_2 = "2) informatization - see [click](javascript:alert(1)) and <img src=x onerror=alert(1)>;"
SUBPARA_4 = ("4) markup - | a | b | `code` *emph* _under_ # hash ~~strike~~ :red[red] "
             "<iframe src=javascript:alert(7)></iframe> & &lt;script&gt; ]]> \"quoted\" 'single';")
PARA_2_1 = "1. This Law applies <script>alert(8)</script> to [everyone](javascript:alert(9))."
FORMULA_LINE = "=cmd|' /C calc'!A0"
CLAUSE = '=HYPERLINK("http://evil.example","x"'


def law_text(title: str = "On informatization") -> str:
    return f"""{title}

Law of the Republic of Kazakhstan dated 24 November 2015 № 418-V.

Unofficial translation

This Law regulates <img src=x onerror=alert(1)> relations [click](javascript:alert(1)).
 SECTION 1. GENERAL <script>alert(2)</script> Chapter 1. GENERAL PROVISIONS <img src=x onerror=alert(3)>
{FORMULA_LINE}
Article 1. Basic concepts <script>alert(4)</script>

      The following <b>bold</b> concepts are used:

      {SUBPARA_1}

      {SUBPARA_2}

      3) excluded by the Law of the Republic of Kazakhstan dated 28.12.2017 № 128-VI (shall be enforced from 01.01.2018);

      {SUBPARA_4}

      Footnote. Article 1 as amended by the Law of the Republic of Kazakhstan dated 28.12.2017 № 128-VI (shall be enforced from 01.01.2018); dated 04.07.2018 № 174-VI ({CLAUSE})).

Article 2. {HEADING_2}

      {PARA_2_1}

      2. Excluded by the Law of the Republic of Kazakhstan dated 04.07.2018 № 174-VI (shall be enforced from 01.08.2018).

      Footnote. The heading of Article 2 as amended by the Law of the Republic of Kazakhstan dated 04.07.2018 № 174-VI (shall be enforced from 01.08.2018).

Article 3. Entry into force

      1. This Law enters into force from January 1, 2016.

President of the
Republic of Kazakhstan
"""


def ingest(tmp: Path, text: str, *extra: str) -> str:
    path = tmp / "hostile_law.txt"
    path.write_text(text, encoding="utf-8")
    url = f"sqlite:///{tmp / 'hostile.db'}"
    r = run_cli("ingest", str(path), *extra, db=url)
    assert r.returncode == 0, r.stderr
    assert "events: 5" in r.stdout, r.stdout  # the hostile text is still read as a law
    return url


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    return ingest(tmp_path_factory.mktemp("hostile"), law_text())


# --- the dashboard ---------------------------------------------------------------------------------------
UNESCAPED = re.compile(r"(?<!\\)<\s*/?\s*(script|img|iframe)\b|(?<!\\)\]\(\s*javascript:", re.I)
TEXT_ELEMENTS = ("markdown", "title", "header", "subheader", "caption", "warning", "info", "error", "success",
                 "toast", "text", "latex")


def shown(at: AppTest) -> list[tuple[str, str]]:
    """Every text the page renders as Markdown, with its element type."""
    out = []
    for kind in TEXT_ELEMENTS:
        for el in at.get(kind):
            out.append((kind, str(getattr(el, "value", "") or getattr(el, "body", ""))))
    for m in at.get("metric"):
        out.append(("metric", f"{m.label} {m.value}"))
    return out


def open_page(url: str, monkeypatch, page: str, **params) -> AppTest:
    monkeypatch.setenv("LAWTRACK_DB", url)
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page != "law_as_of":
        at.switch_page(f"app_pages/{page}.py")
        at.run()
    assert not at.exception, at.exception
    return at


VIEWS = [("law_as_of", {}), ("law_as_of", {"date": "2017-06-01", "excluded": "1"}),
         ("law_as_of", {"unit": "art_2", "date": "2019-01-01"}),
         ("law_as_of", {"q": "script", "unit": "art_1__subpara_1"}),
         ("timeline", {"law": "№ 174-VI"}), ("churn", {}), ("compare", {"from": "2016-01-01", "to": "2018-08-01"}),
         ("export", {}), ("quality", {})]


_SHOWN: dict[tuple, list[tuple[str, str]]] = {}


def shown_on(url: str, monkeypatch, page: str, **params) -> list[tuple[str, str]]:
    """``shown`` of a page view, each view rendered once per module."""
    key = (url, page, tuple(sorted(params.items())))
    if key not in _SHOWN:
        _SHOWN[key] = shown(open_page(url, monkeypatch, page, **params))
    return _SHOWN[key]


@pytest.mark.parametrize("page, params", VIEWS, ids=[f"{p}-{i}" for i, (p, _) in enumerate(VIEWS)])
def test_pages_show_hostile_text_as_text(hostile_db, monkeypatch, page, params):
    texts = shown_on(hostile_db, monkeypatch, page, **params)
    assert texts, "the page rendered no text at all"
    bad = [(k, v[:200]) for k, v in texts if UNESCAPED.search(v)]
    assert not bad, bad


def test_law_page_really_shows_the_escaped_text(hostile_db, monkeypatch):
    """Not vacuous: the hostile wording is on the page, escaped, and nowhere unescaped."""
    md = "\n".join(v for _, v in shown_on(hostile_db, monkeypatch, "law_as_of"))
    assert md_escape(SUBPARA_1) in md and md_escape(SUBPARA_2) in md and md_escape(PARA_2_1) in md
    assert "\\<script\\>alert\\(1\\)\\</script\\>" in md
    assert "\\[click\\]\\(javascript:alert\\(1\\)\\)" in md


def test_escaped_markdown_has_no_live_markup():
    """What ``md_escape`` leaves cannot start a tag, a link, code, emphasis or a table cell."""
    for text in (SUBPARA_1, SUBPARA_2, SUBPARA_4, HEADING_2, PARA_2_1):
        out = md_escape(text)
        assert not UNESCAPED.search(out)
        assert not re.search(r"(?<!\\)[`*_|\[\]<>]", out), out
        assert "&lt;" not in out.replace("&amp;lt;", "")  # an entity in the text stays literal


def test_hostile_law_title_is_escaped(tmp_path, monkeypatch):
    url = ingest(tmp_path, law_text("On informatization <img src=x onerror=alert(1)> [x](javascript:alert(1))"))
    at = open_page(url, monkeypatch, "law_as_of")
    bad = [(k, v) for k, v in shown(at) if UNESCAPED.search(v)]
    assert not bad, bad


def test_hostile_amending_law_title_is_escaped(tmp_path, monkeypatch):
    laws = tmp_path / "laws.csv"
    laws.write_text("number,date,title,publication_date,source\n"
                    "174-VI,2018-07-04,On changes <img src=x onerror=alert(1)> *and* `additions`,,\n", encoding="utf-8")
    url = ingest(tmp_path, law_text(), "--laws", str(laws))
    at = open_page(url, monkeypatch, "timeline", law="№ 174-VI")
    texts = shown(at)
    assert any("On changes" in v for _, v in texts), "the title is not shown at all"
    bad = [(k, v) for k, v in texts if UNESCAPED.search(v) or "*and*" in v]
    assert not bad, bad


def test_dollar_signs_are_escaped():
    assert "\\$" in md_escape("a fine of $100 or $200")


# --- CSV -------------------------------------------------------------------------------------------------
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]


@pytest.mark.parametrize("command", [["events"], ["warnings", "--format", "csv"], ["changelog", "--format", "csv"]])
def test_csv_exports_neutralise_formulas(hostile_db, command):
    r = run_cli(*command, db=hostile_db)
    assert r.returncode == 0, r.stderr
    cells = _cells(r.stdout)
    live = [c for c in cells if c.startswith(FORMULA)]
    assert not live, live
    guarded = [c for c in cells if c.startswith("'") and c[1:2] in FORMULA]
    assert guarded, "the hostile cells are not in this export"  # the test is not vacuous
    assert set(guarded) & {"'" + CLAUSE, "'" + FORMULA_LINE, "'" + HEADING_2}


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", '=HYPERLINK("http://x","y")', "-", "=\n=2"])
def test_to_csv_guards_every_formula_start(value):
    out = to_csv([{"a": value, "b": "plain"}], ["a", "b"])
    assert _cells(out)[2] == "'" + value
    assert read_csv(out) == [{"a": value, "b": "plain"}]


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="'\r\x00"), min_size=1))
def test_csv_round_trip(value):
    out = to_csv([{"a": value}], ["a"])
    assert not _cells(out)[1].startswith(FORMULA)
    assert read_csv(out) == [{"a": value}]


def test_csv_round_trip_of_a_leading_apostrophe():
    for value in ("'=x", "'-1", "'@a"):
        assert read_csv(to_csv([{"a": value}], ["a"])) == [{"a": value}]
    assert neutralise("'=x") != "'=x"


def test_csv_carriage_return_stays_inside_its_cell():
    out = to_csv([{"a": "\r=1+1", "b": "x"}], ["a", "b"])
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows == [["a", "b"], ["'\r=1+1", "x"]]
    assert read_csv(out) == [{"a": "\r=1+1", "b": "x"}]


# --- Markdown exports ------------------------------------------------------------------------------------
def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_markdown_exports_escape_markup(hostile_db):
    r = run_cli("changelog", "--format", "md", db=hostile_db)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    table = [line for line in lines if line.startswith("|")]
    assert len(table) == 2 + 5
    assert {_unescaped_pipes(line) for line in table} == {7}  # pipes in the text do not add columns
    assert md_escape(HEADING_2) in r.stdout
    r2 = run_cli("asof", "2019-01-01", "--format", "md", db=hostile_db)
    assert r2.returncode == 0, r2.stderr
    for out in (r.stdout, r2.stdout):
        assert not UNESCAPED.search(out), UNESCAPED.search(out)
    assert md_escape(SUBPARA_4) in r2.stdout and md_escape(PARA_2_1) in r2.stdout


# --- Akoma Ntoso -----------------------------------------------------------------------------------------
AKN = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"


def test_akoma_ntoso_keeps_hostile_text_as_text(hostile_db):
    r = run_cli("changelog", "--format", "akn", "--to", "2019-01-01", db=hostile_db, text=False)
    assert r.returncode == 0, r.stderr
    root = etree.fromstring(r.stdout, etree.XMLParser(resolve_entities=False, no_network=True))
    tags = {etree.QName(el).localname for el in root.iter() if isinstance(el.tag, str)}
    assert not tags & {"script", "img", "iframe", "b"}, tags
    by_eid = {el.get("eId"): el for el in root.iter() if isinstance(el.tag, str) and el.get("eId")}

    def body(eid: str) -> str:
        """``<num>`` and the ``<p>`` of the unit's ``<content>``, as the text had them."""
        el = by_eid[eid]
        p = el.find(f"{AKN}content/{AKN}p")
        assert len(p) == 0, "markup inside the wording"  # no child elements: text only
        return f"{el.find(f'{AKN}num').text} {p.text}"

    assert body("art_1__subpara_1") == SUBPARA_1
    assert body("art_1__subpara_2") == SUBPARA_2
    assert body("art_1__subpara_4") == SUBPARA_4
    assert body("art_2__para_1") == PARA_2_1
    assert by_eid["art_2__heading"].text == HEADING_2
    assert b"<script>" not in r.stdout and b"&lt;script&gt;" in r.stdout


def test_form_feed_in_the_text_does_not_break_the_export_page(tmp_path, monkeypatch):
    path = tmp_path / "law_with_form_feed.txt"
    path.write_text(law_text().replace("the process;", "the\x0cprocess;"), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'ff.db'}"
    r = run_cli("ingest", str(path), db=url)
    if r.returncode == 2:  # refused at the door: fine, if it says where
        assert "Traceback" not in r.stderr and ":14:" in r.stderr
        return
    assert r.returncode == 0, r.stderr
    open_page(url, monkeypatch, "export")  # asserts no exception
    r = run_cli("changelog", "--format", "akn", db=url, text=False)
    assert r.returncode == 0, r.stderr
    etree.fromstring(r.stdout)


def test_the_other_language_and_the_agreement_note_are_escaped():
    """With both texts ingested, a unit line also carries the other language's wording and why the
    translation does not agree: both are untrusted text."""
    from dashboard.text import unit_markdown
    row = {"depth": 3, "long_label": "Article 1, subparagraph 1)", "status": "in_force", "confidence": "exact",
           "certainty": "certain", "text": SUBPARA_1, "language": "eng", "agreement": "differs",
           "agreement_note": SUBPARA_2, "other_language": "rus", "other_text": SUBPARA_4}
    md = unit_markdown(row, "eng", other=True)
    assert not UNESCAPED.search(md), md
    assert ":red[red]" not in md and md_escape(SUBPARA_4) in md and md_escape(SUBPARA_2) in md
    assert ":red-badge[translation differs]" in md and ":gray[RU: 4\\) markup" in md and ":orange[≠ 2\\)" in md
