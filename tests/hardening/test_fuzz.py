"""The parser under fuzzing: mutated copies of the fixture.

Two properties, each run a few hundred times by default and 5,000 times more in the long run
(``LAWTRACK_SLOW=1``; pyproject's addopts do not deselect ``slow``, so the env var gates it):

1. ``decode_source`` + ``parse_law`` raise nothing but ``IngestError`` (one line), whatever is done to
   the text: deleted, duplicated and shuffled lines, truncation, random bytes, re-encoding, garbled dates,
   unknown clause words, odd law numbers, unbalanced parentheses, very long lines, homoglyphs;
   and when they do not raise, the documented guarantees of the result hold.
2. Footnotes left untouched (and not depending on the article they stand in) still give exactly the
   same events — unit, kind, amending law, its date, clause — however the lines around them are mutated.

Known defects are kept out of the generators so that the fuzzer keeps looking for new ones; each has
its own strict xfail at the end of this module: article numbers that jump far ahead, long runs of
whitespace inside a line, and thousands of verbs in one note.
"""
from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import textwrap
from collections import Counter
from functools import cache

import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st
from hypothesis.control import currently_in_test_context

from ingest.amending_laws import read_amending_laws
from ingest.errors import IngestError
from ingest.notes import read_note
from ingest.parse import parse_law
from ingest.source import decode_source
from tests.hardening.util import FIXTURE, ROOT

BASE = FIXTURE.read_bytes()
LINES = BASE.decode("utf-8").split("\n")
AMENDING = read_amending_laws()
DEFAULT_EXAMPLES = {"raise": 200, "keep": 150}
SLOW_EXAMPLES = 5000  # per property: 10,000 in all
SLOW = pytest.mark.skipif(not os.environ.get("LAWTRACK_SLOW"),
                          reason="long fuzzing run (10,000 examples, ~30 min): set LAWTRACK_SLOW=1")


def parse(data: bytes):
    return parse_law(decode_source(data, "fuzzed.txt"), AMENDING)


def note(what: str) -> None:
    """Count an outcome in Hypothesis' statistics (``--hypothesis-show-statistics``)."""
    if currently_in_test_context():
        event(what)


# --- what the mutations put in ----------------------------------------------------------------------
GARBLED_DATES = ["31.02.2020", "2020.13.01", "12.28.2017", "13.13.2013", "00.00.0000", "29.02.2019", "1.1.1",
                 "99.99.9999", "31.04.2021", "February 30, 2020", "31 April 2021", "32.01.2020", "01.01.0000",
                 "01.01.99999", "30 Febtober 2020", "2020-01-01", "01/01/2020"]
UNKNOWN_WORDS = ["as frobnicated by", "is hereby vaporised by", "notwithstanding", "mutatis mutandis",
                 "(shall be enforced when pigs fly)", "is supplemented by Article", "excluded by",
                 "in the wording of", "as amended by Article 7-1 in accordance with", "Article", "Chapter 99",
                 "The heading of Article 999", "with amendments introduced by", "(see Art. 2)", "dated",
                 "of the Republic of Kazakhstan as of"]
LAW_NUMBERS = ["№ 999-XX", "№ 999-XXXXXXXXXX", "№ -VI", "№ 0-I", "№ 99999999999999999999-VII", "№", "№ 12-",
               "No. 12-VI", "№ 12-VI-VII", "№ 1-І", "№12-vi", "№ 007-VIII", "№ 128-VI №", "№№ 1-I"]
PARENS = ["(", ")", "((", "))", "(()", "); );", ")(", "(((((((((("]
PREFIXES = ["", "Footnote. ", "Article 7-1. ", "Article 3. ", "1) ", "2. ", "3-1) excluded by ", "SECTION 2. ",
            "Chapter 3. ", "Law of the Republic of Kazakhstan dated ", "President of the ", "Unofficial translation",
            "4 The ", "Footnote. Article 5 as amended by the Law dated 01.01.2020 № 1-VI ("]
HOMOGLYPHS = str.maketrans("aeopcxyiAEOPCXKMTBH", "аеорсхуіАЕОРСХКМТВН")
SYNTAX = "ArticleFootnotSECTIONChapr.№()-;:, 0123456789IVXexcludedbyasamendedwording\t\u00a0"
_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}")
_NUMBER = re.compile(r"№\s*\d+-[IVXІ]+")


def _tame(line: str) -> str:
    """Keep generated text away from the known defects (see the xfails below)."""
    line = re.sub(r"(Article\s+)(\d{4,})", lambda m: m.group(1) + m.group(2)[:3], line)
    return re.sub(r"\s{200,}", " ", line)


def _at(line: str, pos: int, insert: str) -> str:
    pos = pos % (len(line) + 1)
    return line[:pos] + insert + line[pos:]


def _replace_match(line: str, pattern: re.Pattern[str], k: int, new: str, pos: int) -> str:
    found = list(pattern.finditer(line))
    if not found:
        return _at(line, pos, f" {new} ")
    m = found[k % len(found)]
    return line[:m.start()] + new + line[m.end():]


def long_line(kind: str, n: int) -> str:
    return {
        "refs": "Footnote. Article 1 as amended by " + "dated 01.01.2020 № 1-VI (shall be enforced from 01.01.2021); " * (n % 400),
        "words": "1. " + "word " * (n * 10),
        "x": "x" * (n * 100),
        "symbols": "№(" * (n * 5),
        "dates": "Footnote. Article 2 as amended by " + "01.01.2020 " * (n * 5),
        "unclosed": "Footnote. Article 3 as amended by the Law dated 01.01.2020 № 2-VI (" + "shall be enforced " * n,
    }[kind]


# --- mutations: plain tuples (readable when Hypothesis reports a failing example) ---------------------
idx = st.integers(min_value=0, max_value=10**6)
text_line = st.builds(lambda p, s: _tame(p + s), st.sampled_from(PREFIXES),
                      st.text(st.sampled_from(SYNTAX), max_size=160)
                      | st.text(st.characters(codec="utf-8", exclude_characters="\n\r"), max_size=80))
def line_ops(text_line, suffixes: list[str]):
    """Every line mutation; ``text_line`` for inserted/replacing lines, ``suffixes`` for inserted headings."""
    return st.one_of(
        st.tuples(st.just("delete"), idx, st.integers(1, 40)),
        st.tuples(st.just("duplicate"), idx, st.integers(1, 5)),
        st.tuples(st.just("shuffle"), idx, st.integers(2, 60), st.integers(0, 2**32)),
        st.tuples(st.just("date"), idx, idx, st.sampled_from(GARBLED_DATES), idx),
        st.tuples(st.just("number"), idx, idx, st.sampled_from(LAW_NUMBERS), idx),
        st.tuples(st.just("words"), idx, idx, st.sampled_from(UNKNOWN_WORDS)),
        st.tuples(st.just("paren"), idx, idx, st.sampled_from(PARENS)),
        st.tuples(st.just("unparen"), idx, idx),
        st.tuples(st.just("long"), idx, st.sampled_from(["refs", "words", "x", "symbols", "dates", "unclosed"]),
                  st.integers(1, 2000)),
        st.tuples(st.just("insert"), idx, text_line),
        st.tuples(st.just("replace"), idx, text_line),
        st.tuples(st.just("homoglyph"), idx),
        st.tuples(st.just("heading"), idx, st.sampled_from(["Article", "Chapter", "SECTION"]),
                  st.integers(0, 120), st.sampled_from(suffixes)),
    )


LINE_OPS = line_ops(text_line, ["", "-1", "-2", "-1-1"])
BYTE_OPS = st.one_of(
    st.tuples(st.just("bytes"), idx, st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("truncate"), idx),
    st.tuples(st.just("bom"),),
    st.tuples(st.just("newlines"), st.sampled_from(["\r\n", "\r"])),
    st.tuples(st.just("encode"), st.sampled_from(["utf-16", "utf-16-le", "cp1251", "latin-1", "utf-32"])),
    st.tuples(st.just("flip"), idx, st.integers(0, 255)),
)


def apply_line_op(lines: list[str], op: tuple, mutable: list[int]) -> None:
    """Apply ``op`` to ``lines`` in place, touching only the positions listed in ``mutable``."""
    if not mutable:
        return
    name, i = op[0], mutable[op[1] % len(mutable)]
    if name == "delete":
        for j in sorted({mutable[(op[1] + k) % len(mutable)] for k in range(op[2])}, reverse=True):
            lines[j] = None  # removed below (keeps the indices of ``mutable`` valid)
    elif name == "duplicate":
        lines[i] = "\n".join([lines[i]] * (op[2] + 1))
    elif name == "shuffle":
        window = [mutable[(op[1] + k) % len(mutable)] for k in range(min(op[2], len(mutable)))]
        values = [lines[j] for j in window]
        random.Random(op[3]).shuffle(values)
        for j, v in zip(window, values):
            lines[j] = v
    elif name == "date":
        lines[i] = _replace_match(lines[i], _DATE, op[2], op[3], op[4])
    elif name == "number":
        lines[i] = _replace_match(lines[i], _NUMBER, op[2], op[3], op[4])
    elif name == "words":
        lines[i] = _at(lines[i], op[2], f" {op[3]} ")
    elif name == "paren":
        lines[i] = _at(lines[i], op[2], op[3])
    elif name == "unparen":
        closers = [m.start() for m in re.finditer(r"\)", lines[i])]
        if closers:
            c = closers[op[2] % len(closers)]
            lines[i] = lines[i][:c] + lines[i][c + 1:]
    elif name == "long":
        lines[i] = f"{lines[i]}\n{long_line(op[2], op[3])}"
    elif name == "insert":
        lines[i] = f"{lines[i]}\n{op[2]}"
    elif name == "replace":
        lines[i] = op[2]
    elif name == "homoglyph":
        lines[i] = lines[i].translate(HOMOGLYPHS)
    elif name == "heading":
        lines[i] = f"{lines[i]}\n{op[2]} {op[3]}{op[4]}. Fuzzed heading"


def apply_byte_op(data: bytes, op: tuple) -> bytes:
    name = op[0]
    if name == "bytes":
        p = op[1] % (len(data) + 1)
        return data[:p] + op[2] + data[p:]
    if name == "truncate":
        return data[:op[1] % (len(data) + 1)]
    if name == "bom":
        return b"\xef\xbb\xbf" + data
    if name == "newlines":
        return data.replace(b"\n", op[1].encode())
    if name == "encode":
        return data.decode("utf-8", "replace").encode(op[1], "replace")
    if name == "flip" and data:
        p = op[1] % len(data)
        return data[:p] + bytes([op[2]]) + data[p + 1:]
    return data


def mutate(line_ops: list[tuple], byte_ops: list[tuple]) -> bytes:
    lines: list[str | None] = list(LINES)
    for op in line_ops:
        apply_line_op(lines, op, [i for i, line in enumerate(lines) if line is not None])
    data = "\n".join(line for line in lines if line is not None).encode("utf-8", "surrogatepass")
    for op in byte_ops:
        data = apply_byte_op(data, op)
    return data


def check_guarantees(parsed) -> None:
    """What ``structure`` and ``parse`` promise about a result they return."""
    eids = [u.eid for u in parsed.units]
    assert len(eids) == len(set(eids)), "unit ids are not unique"
    assert [u.position for u in parsed.units] == list(range(1, len(eids) + 1))
    seen: set[str] = set()
    for u in parsed.units:
        assert u.parent is None or u.parent in seen, f"{u.eid} comes before its parent {u.parent}"
        assert not re.search(r"\s", u.eid)
        seen.add(u.eid)
    assert parsed.number and re.fullmatch(r"\d+-[IVX]+", parsed.number)
    assert len(parsed.units) < 20_000, "a mutation of one edition cannot hold this many units"
    for e in parsed.events:
        assert e.kind in ("inserted", "amended", "new_wording", "excluded")
        assert e.effective_basis in ("explicit", "computed", "estimated", "referral"), e.effective_basis
        assert e.source_line in {n.line for n in parsed.notes}
    for w in parsed.warnings:
        assert w.severity in ("repaired", "unparsed")


def only_ingest_errors(line_ops: list[tuple], byte_ops: list[tuple]) -> None:
    data = mutate(line_ops, byte_ops)
    try:
        parsed = parse(data)
    except IngestError as err:
        message = str(err)
        assert message.startswith("fuzzed.txt") and "\n" not in message, message
        note(f"IngestError: {err.what.split(';')[0].split('(')[0].strip()[:50]}")
        return
    check_guarantees(parsed)
    note("parsed")


raise_ops = dict(line_ops=st.lists(LINE_OPS, min_size=1, max_size=8), byte_ops=st.lists(BYTE_OPS, max_size=2))
FUZZ = dict(deadline=None, database=None, suppress_health_check=list(HealthCheck))


@settings(max_examples=DEFAULT_EXAMPLES["raise"], **FUZZ)
@given(**raise_ops)
def test_mutations_raise_nothing_but_ingest_error(line_ops, byte_ops):
    only_ingest_errors(line_ops, byte_ops)


@pytest.mark.slow
@SLOW
@settings(max_examples=SLOW_EXAMPLES, **FUZZ)
@given(**raise_ops)
def test_mutations_raise_nothing_but_ingest_error_long_run(line_ops, byte_ops):
    only_ingest_errors(line_ops, byte_ops)


# --- property 2: untouched footnotes keep their events -------------------------------------------------
@cache
def reference():
    """The fixture's parse, and the footnotes whose events do not depend on where they stand."""
    parsed = parse(BASE)
    head = next(i for i, line in enumerate(LINES) if line.strip().startswith("Article 1."))
    signature = next(i for i, line in enumerate(LINES) if line.strip().startswith("President of the"))
    free = []
    for n in parsed.notes:
        if n.kind != "footnote":
            continue
        text = LINES[n.line - 1].strip()
        with_ctx = read_note(text, n.line, n.context, "footnote", [])
        without = read_note(text, n.line, None, "footnote", [])
        if with_ctx and [(e.unit, e.kind, e.law_number) for e in with_ctx] == \
                [(e.unit, e.kind, e.law_number) for e in without]:
            free.append(n.line - 1)
    return parsed, head, signature, free


def events_of(parsed, footnote_texts: set[str]) -> Counter:
    lines = {n.line for n in parsed.notes if n.kind == "footnote" and n.text in footnote_texts}
    return Counter((e.unit, e.kind, e.law_number, e.law_date, e.effect_clause)
                   for e in parsed.events if e.source_line in lines)


def footnotes_keep_their_events(chosen: list[int], line_ops: list[tuple], tail: int | None) -> None:
    ref, head, signature, free = reference()
    keep = sorted({free[c % len(free)] for c in chosen})
    texts = {LINES[i].strip() for i in keep}
    expected = events_of(ref, texts)
    assert expected, "the chosen footnotes give events in the fixture"
    # only lines between the header (through "Article 1.") and the signature, other than the kept ones
    protected = set(range(head + 1)) | set(keep) | set(range(signature, len(LINES)))
    lines: list[str | None] = list(LINES)
    for op in line_ops:
        apply_line_op(lines, op, [i for i, line in enumerate(lines) if line is not None and i not in protected])
    if tail is not None:  # truncate somewhere after the last kept footnote
        cut = keep[-1] + 1 + tail % (len(LINES) - keep[-1])
        lines = lines[:cut]
    data = "\n".join(line for line in lines if line is not None).encode("utf-8")
    parsed = parse(data)  # the header and "Article 1." are intact: this must not raise
    check_guarantees(parsed)
    got = events_of(parsed, texts)
    note(f"kept footnotes: {len(keep)}")
    missing = expected - got
    assert not missing, f"events of untouched footnotes lost: {sorted(missing)[:5]}"
    # each kept footnote still gives exactly the laws it gave
    for i in keep:
        text = LINES[i].strip()
        want = {e.law_number for e in ref.events if e.source_line == i + 1}
        lines_now = [n.line for n in parsed.notes if n.text == text]
        assert lines_now, f"footnote of line {i + 1} not found any more"
        for ln in lines_now:
            assert {e.law_number for e in parsed.events if e.source_line == ln} == want


safe_text = st.builds(lambda p, s: _tame(p + s), st.sampled_from([p for p in PREFIXES if not p.startswith("President")]),
                      st.text(st.sampled_from(SYNTAX), max_size=160)
                      | st.text(st.characters(codec="utf-8", exclude_characters="\n\r\x00<"), max_size=80))
KEEP_OPS = line_ops(safe_text, ["", "-1", "-2"])
keep_ops = dict(chosen=st.lists(idx, min_size=1, max_size=8), line_ops=st.lists(KEEP_OPS, min_size=1, max_size=10),
                tail=st.none() | idx)


@settings(max_examples=DEFAULT_EXAMPLES["keep"], **FUZZ)
@given(**keep_ops)
def test_untouched_footnotes_keep_their_events(chosen, line_ops, tail):
    footnotes_keep_their_events(chosen, line_ops, tail)


@pytest.mark.slow
@SLOW
@settings(max_examples=SLOW_EXAMPLES, **FUZZ)
@given(**keep_ops)
def test_untouched_footnotes_keep_their_events_long_run(chosen, line_ops, tail):
    footnotes_keep_their_events(chosen, line_ops, tail)


def test_reference_has_context_free_footnotes():
    """The property above is not vacuous: most footnotes name their article."""
    _, _, _, free = reference()
    assert len(free) >= 60


@pytest.mark.parametrize("line_ops, byte_ops", [
    ([("delete", 0, 40)] * 60, []),                                  # most of the text gone
    ([("date", 300, 0, "31.02.2020", 0), ("date", 306, 0, "2020.13.01", 0)], []),
    ([("number", 306, 0, "№ 999-XX", 0)], []),
    ([("paren", 306, 10, "((((")], []),
    ([("long", 400, "refs", 399), ("long", 500, "words", 2000), ("long", 600, "x", 2000)], []),
    ([], [("truncate", 200)]),                                       # cut inside the header
    ([], [("encode", "utf-16")]),
    ([], [("bytes", 5000, b"\x00\xff")]),
])
def test_chosen_mutations(line_ops, byte_ops):
    """A few mutations spelled out, so that a regression names its input without Hypothesis."""
    only_ingest_errors(line_ops, byte_ops)


# --- known defects: each a strict xfail with a bound on time and memory --------------------------------
def _parse_in_child(mutation: str, seconds: int, memory_mb: int = 1500) -> subprocess.CompletedProcess:
    """Parse the fixture after ``mutation`` (Python code on ``lines``) in a child with limits."""
    code = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({memory_mb} << 20, {memory_mb} << 20))
        sys.path.insert(0, {str(ROOT)!r})
        from ingest.parse import parse_law
        from ingest.source import decode_source
        from ingest.errors import IngestError
        lines = open({str(FIXTURE)!r}, encoding="utf-8").read().split("\\n")
        {mutation}
        try:
            p = parse_law(decode_source("\\n".join(lines).encode("utf-8"), "fuzzed.txt"))
        except IngestError as err:
            print("IngestError", err)
        else:
            print("units", len(p.units))
    """)
    try:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=seconds)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess([], -9, "", f"timed out after {seconds} s")


def test_article_number_jump_is_bounded():
    # Article 48 follows the excluded Chapter 7 (no articles): a typo in its number
    r = _parse_in_child("lines = [l.replace('Article 48. Documentation', 'Article 100000000. Documentation') "
                        "for l in lines]", seconds=30)
    assert r.returncode == 0, r.stderr[-300:]
    out = r.stdout.split()
    assert out[0] == "IngestError" or int(out[1]) < 1400, r.stdout  # the fixture has 1,277 units


def test_whitespace_run_in_a_line_is_linear():
    r = _parse_in_child("lines.insert(320, '1. a' + ' ' * 150_000 + 'b')", seconds=5)
    assert r.returncode == 0, r.stderr[-300:]


def test_many_verbs_in_one_note_is_linear():
    r = _parse_in_child("lines.insert(306, 'Footnote. Article 1 ' + 'as amended by ' * 40_000 + "
                        "'dated 01.01.2020 № 1-VI (x)')", seconds=5)
    assert r.returncode == 0, r.stderr[-300:]
