"""The CLI against PostgreSQL: the key commands give exactly what they give on SQLite.

A throwaway database is created and dropped like ``tests/conftest.py`` does; without
``LAWTRACK_TEST_PG`` (or when the server does not answer) every test here skips and says why.
"""
from __future__ import annotations

import csv
import io
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.engine import make_url

from tests.hardening.util import error_lines, pg_database, run_cli

COMMANDS = {
    "events": ["events"],
    "asof": ["asof", "2019-01-01", "--unit", "art_1", "--format", "json"],
    "changelog csv": ["changelog", "--format", "csv"],
    "warnings": ["warnings"],
}


@pytest.fixture(scope="module")
def pg():
    with pg_database() as url:
        r = run_cli("ingest", db=url)
        assert r.returncode == 0, r.stderr
        yield url, r


@pytest.fixture(scope="module")
def sqlite(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('cli_pg') / 'ref.db'}"
    r = run_cli("ingest", db=url)
    assert r.returncode == 0, r.stderr
    return url, r


def test_ingest_reports_the_same_counts(pg, sqlite):
    (_, r_pg), (_, r_sq) = pg, sqlite
    assert "events: 417" in r_pg.stdout and "amending laws: 31" in r_pg.stdout
    assert r_pg.stdout == r_sq.stdout
    password = make_url(pg[0]).password
    assert "postgresql+psycopg://…@" in r_pg.stderr and f":{password}@" not in r_pg.stderr  # password hidden


def test_ingest_again_is_unchanged(pg):
    url, _ = pg
    r = run_cli("ingest", db=url)
    assert r.returncode == 0 and "unchanged (already ingested)" in r.stdout, r.stderr


@pytest.mark.parametrize("name", list(COMMANDS))
def test_command_output_equals_sqlite(pg, sqlite, name):
    with ThreadPoolExecutor(2) as pool:  # two independent processes: side by side
        runs = list(pool.map(lambda url: run_cli(*COMMANDS[name], db=url), (pg[0], sqlite[0])))
    for r in runs:
        assert r.returncode == 0, r.stderr
    out = [r.stdout for r in runs]
    assert out[0] == out[1]
    if name == "events":
        rows = list(csv.DictReader(io.StringIO(out[0])))
        assert len(rows) == 417 and rows[0]["unit_id"] == "art_1__subpara_3-1"
    elif name == "asof":
        data = json.loads(out[0])
        assert data[0]["unit_id"] == "art_1"
        assert next(d for d in data if d["unit_id"] == "art_1__subpara_8")["status"] == "in_force"
    elif name == "changelog csv":
        rows = list(csv.DictReader(io.StringIO(out[0])))
        assert len(rows) == 417 and {r["effective_basis"] for r in rows} <= {"explicit", "computed", "estimated",
                                                                              "referral"}


def test_errors_on_postgresql(pg):
    url, _ = pg
    r = run_cli("asof", "2024-01-01", "--unit", "art_999", db=url)
    assert r.returncode == 2 and "art_999" in r.stderr and "Traceback" not in r.stderr
    assert len(error_lines(r.stderr)) == 1


def test_empty_postgresql_database_says_ingest_first():
    with pg_database() as url:
        r = run_cli("events", db=url)
    assert r.returncode == 2 and "lawtrack ingest" in r.stderr and "Traceback" not in r.stderr
