"""Helpers of the hardening tests: run the real CLI, fingerprint a database, make editions.

- ``run_cli(*args, db=)``      ``python -m lawtrack …`` as a user runs it (a subprocess, no LAWTRACK_DB leak)
- ``error_lines(stderr)``      the ``lawtrack: error`` lines of a run
- ``snapshot(url)``            every table's row count and a checksum of its rows, free of surrogate keys
- ``newer_edition(path, …)``   a copy of the fixture with one word changed (a different sha256)
- ``pg_database()``            a throwaway PostgreSQL database (skips when LAWTRACK_TEST_PG is unset)
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "fixtures" / "informatization_418-V_eng.txt"
TABLES = ("law", "amending_law", "source", "unit", "unit_version", "event", "note", "parse_warning",
          "witness_match", "text_change")
# the word changed in the "newer edition": Article 1, subparagraph 1) automation - the process …
OLD_WORD, NEW_WORD = "automation - the process of using", "automation - the procedure of using"


def cli_cmd(*args: str | bytes, db: str | None = None) -> list:
    return [sys.executable, "-m", "lawtrack", *args] + (["--db", db] if db else [])


def cli_env(env: dict | None = None) -> dict:
    e = dict(os.environ)
    e.pop("LAWTRACK_DB", None)
    e.pop("LAWTRACK_DEBUG", None)
    e["PYTHONUNBUFFERED"] = "1"
    if env:
        e.update(env)
    return e


def run_cli(*args: str | bytes, db: str | None = None, env: dict | None = None, timeout: float = 120,
            text: bool = True, **kw) -> subprocess.CompletedProcess:
    """Run ``python -m lawtrack ARGS [--db DB]`` from the project root; capture stdout and stderr."""
    return subprocess.run(cli_cmd(*args, db=db), capture_output=True, text=text, cwd=ROOT, env=cli_env(env),
                          timeout=timeout, **kw)


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("lawtrack: error")]


def _engine(url: str):
    from model.engine import make_engine
    return make_engine(url)


def snapshot(url: str) -> dict[str, tuple[int, str]]:
    """``{table: (rows, sha256 of the sorted rows)}``; a missing table counts as empty.

    Surrogate keys are left out and foreign keys replaced by what they point at (law number, source
    sha256), so the same data gives the same snapshot on SQLite and PostgreSQL and after a rolled-back
    transaction consumed PostgreSQL sequence numbers.
    """
    from sqlalchemy import MetaData, inspect, select
    from model.engine import sqlite_path
    path = sqlite_path(url)
    if path is not None and not os.path.exists(path):
        return {t: (0, hashlib.sha256(b"").hexdigest()) for t in TABLES}
    engine = _engine(url)
    try:
        present = set(inspect(engine).get_table_names())
        meta = MetaData()
        meta.reflect(engine, only=[t for t in TABLES if t in present])
        out: dict[str, tuple[int, str]] = {}
        with engine.connect() as c:
            laws = {r.id: r.number for r in c.execute(select(meta.tables["law"]))} if "law" in present else {}
            sources = {r.id: r.sha256 for r in c.execute(select(meta.tables["source"]))} if "source" in present else {}
            for name in TABLES:
                if name not in present:
                    out[name] = (0, hashlib.sha256(b"").hexdigest())
                    continue
                rows = []
                for r in c.execute(select(meta.tables[name])).mappings():
                    d = {}
                    for k, v in r.items():
                        if k == "id":
                            continue
                        if k == "law_id":
                            v = laws.get(v, v)
                        elif k in ("source_id", "older_source_id", "newer_source_id"):
                            v = sources.get(v, v)
                        d[k] = v
                    rows.append(repr(sorted(d.items())))
                rows.sort()
                out[name] = (len(rows), hashlib.sha256("\n".join(rows).encode("utf-8", "backslashreplace")).hexdigest())
        return out
    finally:
        engine.dispose()


def counts(snap: dict[str, tuple[int, str]]) -> dict[str, int]:
    return {k: v[0] for k, v in snap.items()}


def newer_edition(path: Path, old: str = OLD_WORD, new: str = NEW_WORD) -> Path:
    """Write a copy of the fixture with ``old`` replaced by ``new`` (exactly once) to ``path``."""
    text = FIXTURE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@contextlib.contextmanager
def pg_database():
    """A throwaway PostgreSQL database URL (created and dropped like ``tests/conftest.py`` does)."""
    from tests.conftest import _make_pg_db
    url, drop = _make_pg_db()  # skips with the reason when LAWTRACK_TEST_PG is unset or unreachable
    try:
        yield url
    finally:
        drop()
