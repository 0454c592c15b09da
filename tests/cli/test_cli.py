"""The command line as a user meets it: real processes, exit codes, stderr."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args, db=None, cwd=None, env=None):
    e = dict(os.environ)
    e.pop("LAWTRACK_DB", None)
    if env:
        e.update(env)
    cmd = [sys.executable, "-m", "lawtrack", *args] + (["--db", db] if db else [])
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd or ROOT, env=e, timeout=120)


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'cli.db'}"
    r = run("ingest", db=db)
    assert r.returncode == 0, r.stderr
    return db, r


def test_ingest_prints_counts_and_progress(cli_db):
    _, r = cli_db
    assert "units: section 3, chapter 13, article 91, paragraph 259, subparagraph 698" in r.stdout
    assert "events: 417" in r.stdout and "amending laws: 31" in r.stdout
    assert "reading and parsing" in r.stderr and "deriving unit versions" in r.stderr


def test_a_law_without_title_notes_or_commencement_is_reported_in_words(tmp_path):
    """What the text does not say is said so, not printed as "None" or an empty pair of brackets."""
    text = tmp_path / "bare.txt"
    text.write_text("Law of the Republic of Kazakhstan dated 1 January 2016 № 1-VI.\nArticle 1. X\n", encoding="utf-8")
    r = run("ingest", str(text), db=f"sqlite:///{tmp_path / 'bare.db'}")
    assert r.returncode == 0, r.stderr
    assert "law: (no title) № 1-VI of 2016-01-01; in force from an unknown date (not found in the text)" in r.stdout
    assert "None" not in r.stdout and "events: 0\n" in r.stdout and "effective dates" not in r.stdout


def test_ingest_again_is_unchanged(cli_db):
    db, _ = cli_db
    r = run("ingest", db=db)
    assert r.returncode == 0 and "unchanged" in r.stdout


def test_events_csv_columns_and_rows(cli_db):
    db, _ = cli_db
    r = run("events", db=db)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert list(rows[0].keys()) == ["unit_id", "kind", "law_number", "law_date", "effect_clause",
                                    "effective_date", "effective_basis", "source_line"]
    assert len(rows) == 417
    assert rows[0] == {"unit_id": "art_1__subpara_3-1", "kind": "excluded", "law_number": "141-VII",
                       "law_date": "2022-07-14", "effect_clause": "shall be enforced from 01.01.2023",
                       "effective_date": "2023-01-01", "effective_basis": "explicit", "source_line": "25"}


def test_events_json(cli_db):
    db, _ = cli_db
    r = run("events", "--format", "json", db=db)
    data = json.loads(r.stdout)
    assert len(data) == 417 and {d["effective_basis"] for d in data} == {"explicit", "estimated", "referral"}


def test_laws_and_warnings(cli_db):
    db, _ = cli_db
    r = run("laws", db=db)
    assert r.returncode == 0 and "141-VII" in r.stdout and "2023-01-01 explicit" in r.stdout
    r = run("warnings", db=db)
    assert r.returncode == 0 and "line  1615  repaired" in r.stdout


@pytest.mark.parametrize("make, message", [
    (lambda p: None, "no such file"),
    (lambda p: p.write_bytes("Статья".encode("cp1251")), "not UTF-8"),
    (lambda p: p.write_text("hello", encoding="utf-8"), "not a law text"),
    (lambda p: p.mkdir(), "is a directory"),
])
def test_bad_files_one_line_exit_2_nothing_written(tmp_path, make, message):
    bad = tmp_path / "bad.txt"
    make(bad)
    db = tmp_path / "x.db"
    r = run("ingest", str(bad), db=f"sqlite:///{db}")
    assert r.returncode == 2
    assert message in r.stderr and "Traceback" not in r.stderr
    assert [line for line in r.stderr.splitlines() if line.startswith("lawtrack: error")] == [r.stderr.splitlines()[-1]]
    assert not db.exists()


def test_second_bad_file_writes_nothing(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("hello", encoding="utf-8")
    db = tmp_path / "x.db"
    r = run("ingest", str(ROOT / "fixtures" / "informatization_418-V_eng.txt"), str(bad), db=f"sqlite:///{db}")
    assert r.returncode == 2 and not db.exists()


def test_unreachable_database(tmp_path):
    r = run("events", db="postgresql://nobody:x@127.0.0.1:1/none")
    assert r.returncode == 2 and "database" in r.stderr and "Traceback" not in r.stderr
    r = run("events", db=f"sqlite:///{tmp_path}/missing/dir/x.db")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_empty_database_says_ingest_first(tmp_path):
    r = run("events", db=f"sqlite:///{tmp_path / 'empty.db'}")
    assert r.returncode == 2 and "lawtrack ingest" in r.stderr


def test_lawtrack_db_environment(tmp_path, cli_db):
    db, _ = cli_db
    r = run("laws", env={"LAWTRACK_DB": db})
    assert r.returncode == 0 and "231-VIII" in r.stdout


def test_asof_json_schema(cli_db):
    db, _ = cli_db
    r = run("asof", "2019-01-01", "--unit", "art_1", "--format", "json", db=db)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data[0]["unit_id"] == "art_1"
    assert {"unit_id", "label", "status", "confidence", "text", "valid_from", "valid_to", "basis", "laws"} <= set(data[0])
    sub8 = next(d for d in data if d["unit_id"] == "art_1__subpara_8")
    assert sub8["status"] == "in_force" and sub8["text"] is None


def test_asof_text_and_md(cli_db):
    db, _ = cli_db
    r = run("asof", "2024-01-01", "--unit", "art_7-3", db=db)
    assert r.returncode == 0 and "Article 7-3. Information security incident response service" in r.stdout
    r = run("asof", "2024-01-01", "--unit", "art_7-3", "--format", "md", db=db)
    assert r.returncode == 0 and r.stdout.startswith("# Law № 418-V")


def test_asof_errors(cli_db):
    db, _ = cli_db
    r = run("asof", "2024-13-01", db=db)
    assert r.returncode == 2 and "not a date" in r.stderr
    r = run("asof", "2024-01-01", "--unit", "art_999", db=db)
    assert r.returncode == 2 and "art_999" in r.stderr and "Traceback" not in r.stderr


def test_compare_effects_history_changelog(cli_db):
    db, _ = cli_db
    r = run("compare", "2022-12-31", "2023-01-01", db=db)
    assert r.returncode == 0 and "Art. 1, subpara. 3-1)" in r.stdout
    r = run("effects", "141-VII", db=db)
    assert r.returncode == 0 and "82 effect(s)" in r.stdout
    r = run("history", "art_1__subpara_8", db=db)
    assert r.returncode == 0 and "excluded by Law № 237-VI" in r.stdout
    r = run("changelog", "--from", "2023-01-01", "--to", "2023-12-31", "--format", "csv", db=db)
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and all("2023-01-01" <= x["effective_date"] <= "2023-12-31" for x in rows)
    r = run("changelog", "--law", "141-VII", "--kind", "excluded", "--format", "json", db=db)
    assert r.returncode == 0 and all(x["kind"] == "excluded" for x in json.loads(r.stdout))
    r = run("changelog", "--kind", "bogus", "--format", "csv", db=db)
    assert r.returncode == 2 and "kind must be one of" in r.stderr
