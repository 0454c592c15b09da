"""The Russian text on the command line: ingest DIR, ingest-git, reconcile; errors are one line, exit 2."""
from __future__ import annotations

import csv
import io
import json

import pytest

from tests.cli.test_cli import run
from tests.ingest.mirror_repo import ACT, NEW_PATH, build_repo

ACT_DIR = str(ACT)


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """A database with the English fixture, then the Russian act directory (number taken from the database)."""
    db = f"sqlite:///{tmp_path_factory.mktemp('ru-cli') / 'both.db'}"
    eng = run("ingest", db=db)
    assert eng.returncode == 0, eng.stderr
    rus = run("ingest", ACT_DIR, db=db)
    assert rus.returncode == 0, rus.stderr
    return db, rus


def one_line_error(r, *needles):
    """Exit 2 and one error line, the last one on stderr (progress lines may come before it)."""
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert [x for x in lines if x.startswith("lawtrack: error: ")] == [lines[-1]], r.stderr
    assert "Traceback" not in r.stderr
    for n in needles:
        assert n in lines[-1], lines[-1]


def test_ingest_dir_prints_counts(both):
    _, r = both
    assert "20151124-o-kiberbezopasnosti-95699/rus.md: stored" in r.stdout
    assert "law: Об информатизации № 418-V of 2015-11-24; in force from 2016-01-01" in r.stdout
    assert "text: official Russian text; edition of 2026-01-18" in r.stdout
    assert "units: section 3, chapter 14, article 95, paragraph 260, subparagraph 701" in r.stdout
    assert "notes: 92 footnotes, 149 inline markers" in r.stdout and "events: 429" in r.stdout


def test_ingest_dir_again_is_unchanged(both):
    db, _ = both
    r = run("ingest", ACT_DIR, db=db)
    assert r.returncode == 0 and "unchanged" in r.stdout


def test_warnings_name_the_part_file_and_line(both):
    db, _ = both
    r = run("warnings", "--language", "rus", db=db)
    assert "rus/sec002.md:202  repaired  Article 30-2 is placed for a law not yet in force" in r.stdout
    assert "rus/sec001.md:62  repaired  missing \")\" after the clause of Law № 128-VI" in r.stdout


def test_reconcile_text(both):
    db, _ = both
    r = run("reconcile", db=db)
    assert r.returncode == 0, r.stderr
    assert "editions eng undated, rus 18.01.2026; languages compared on 2026-01-18" in r.stdout
    assert "Art. 12, subpara. 13)" in r.stdout and "excluded in rus, in force in eng" in r.stdout
    assert "[rus] rus/sec001-ch002-part001.md:712: 13) исключен" in r.stdout
    assert r.stdout.strip().splitlines()[-1].startswith("43 finding(s): status differs 3, only in one language 9")


def test_reconcile_csv_and_json(both):
    db, _ = both
    r = run("reconcile", "--format", "csv", db=db)
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert r.returncode == 0 and len(rows) == 43
    assert list(rows[0]) == ["kind", "unit", "label", "sources", "dates", "detail", "evidence"]
    j = run("reconcile", "--format", "json", db=db)
    data = json.loads(j.stdout)
    assert [x["unit"] for x in data if x["kind"] == "verb_differs"] == ["art_22"]
    assert len(data) == 43 and [x["unit"] for x in data] == [x["unit"] for x in rows]


def test_reconcile_errors(both, tmp_path):
    db, _ = both
    one_line_error(run("reconcile", "--format", "xml", db=db), "--format must be one of text, csv, json")
    one_line_error(run("reconcile", db=f"sqlite:///{tmp_path / 'none.db'}"), "run `lawtrack ingest` first")


def test_ingest_dir_errors(tmp_path):
    db = f"sqlite:///{tmp_path / 'e.db'}"
    one_line_error(run("ingest", str(tmp_path), db=db), "nor an act directory of the mirror (no rus.md)")
    assert not (tmp_path / "e.db").exists()
    other = tmp_path / "20200101-o-drugom-1"
    (other / "rus").mkdir(parents=True)
    (other / "rus.md").write_text("# О другом\n\n## Статья 1. Текст\n\n1. Пункт.\n", encoding="utf-8")
    one_line_error(run("ingest", str(other), db=db), "does not state the act's number; give it with --number")
    assert not (tmp_path / "e.db").exists()
    ok = run("ingest", str(other), "--number", "1-VIII", db=db)
    assert ok.returncode == 0 and "№ 1-VIII of 2020-01-01" in ok.stdout


def test_ingest_git(tmp_path):
    repo = build_repo(tmp_path)
    db = f"sqlite:///{tmp_path / 'g.db'}"
    r = run("ingest-git", str(repo), "--act", NEW_PATH, db=db)
    assert r.returncode == 0, r.stderr
    assert "2 edition(s) of 03-laws/20151124-o-kiberbezopasnosti-95699, 1 commit(s) skipped" in r.stdout
    assert "edition of 2025-11-01" in r.stdout and "edition date from the commit date" in r.stdout
    assert "edition date from the front matter" in r.stdout
    one_line_error(run("ingest-git", str(repo), "--act", "03-laws/nothing", db=db), "no history of 03-laws/nothing")


# --- best evidence: the official text decides, --language switches the wording ----------------------

def test_asof_follows_the_official_text(both):
    db, _ = both
    r = run("asof", "2026-02-01", "--unit", "art_12", db=db)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "status from the official Russian text (rus 18.01.2026); wording from the official Russian text" in out
    line = next(x for x in out.splitlines() if "Art. 12, subpara. 13):" in x)
    assert "13) исключен Законом РК от 14.07.2022 № 141-VII" in line and "[EXCLUDED" in line
    assert "translation DIFFERS" in line
    assert "the English (unofficial translation), edition eng undated shows it in force" in out


def test_asof_in_english_keeps_the_official_status(both):
    db, _ = both
    r = run("asof", "2026-02-01", "--unit", "art_7", "--language", "eng", db=db)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "wording from the unofficial English translation" in lines[0]
    s52 = next(x for x in lines if "Art. 7, subpara. 52):" in x)
    assert "52) organizes the recording of information" in s52 and "[EXCLUDED, wording unknown" in s52
    s41 = next(x for x in lines if "Art. 7, subpara. 4-1):" in x)
    assert "4-1) разрабатывает и утверждает" in s41 and ", rus; translation missing]" in s41
    data = json.loads(run("asof", "2026-02-01", "--unit", "art_7", "--language", "eng", "--format", "json",
                          db=db).stdout)
    by = {d["unit_id"]: d for d in data}
    assert by["art_7__subpara_52"]["language"] == "eng" and by["art_7__subpara_52"]["agreement"] == "differs"
    assert by["art_7__subpara_4-1"]["language"] == "rus"


def test_language_option_everywhere(both):
    db, _ = both
    ru = list(csv.DictReader(io.StringIO(run("events", db=db).stdout)))
    en = list(csv.DictReader(io.StringIO(run("events", "--language", "eng", db=db).stdout)))
    assert any(e["law_number"] == "256-VIII" for e in ru) and not any(e["law_number"] == "256-VIII" for e in en)
    assert "256-VIII" in run("laws", db=db).stdout and "256-VIII" not in run("laws", "--language", "eng", db=db).stdout
    log = list(csv.DictReader(io.StringIO(run("changelog", "--format", "csv", "--language", "eng", db=db).stdout)))
    assert log and {r["language"] for r in log} == {"eng"}
    assert "rus@" in run("changelog", "--format", "akn", "--law", "141-VII", db=db).stdout
    assert "Статья 28-1" in run("history", "art_28-1", db=db).stdout or \
        "256-VIII" in run("history", "art_28-1", db=db).stdout
    for cmd in (["asof", "2026-02-01"], ["events"], ["laws"], ["warnings"], ["compare", "2020-01-01", "2021-01-01"],
                ["effects", "141-VII"], ["history", "art_7"], ["changelog", "--format", "csv"]):
        one_line_error(run(*cmd, "--language", "kaz", db=db), "--language kaz", "ingested: rus, eng")


def test_asof_piped_into_head_is_not_an_error(both):
    import subprocess
    import sys
    db, _ = both
    p = subprocess.run(f"{sys.executable} -m lawtrack asof 2026-02-01 --db {db} | head -2", shell=True,
                       capture_output=True, text=True, timeout=120)
    assert len(p.stdout.splitlines()) == 2 and "error" not in p.stderr.lower(), p.stderr
