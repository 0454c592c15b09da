"""Readers during an ingest: SQLite in WAL mode, a reader process, a writer process.

The reader (``tests/hardening/reader.py``) loops over plain read transactions and lawtrack's own queries
(``list_events``, ``as_of``) while ``lawtrack ingest`` stores two newer editions one after the other.
Every state it sees must be one of the states the database passes through between whole ingests —
never a partial edition — and no read may raise.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest

from model.engine import make_engine
from tests.hardening.util import FIXTURE, NEW_WORD, OLD_WORD, ROOT, cli_env, run_cli

UNIT = "art_1__subpara_1"
SECOND_OLD, SECOND_NEW = "informatization - organizational, socio-economic", \
    "informatization - organisational, socio-economic"
TABLES = ("source", "event", "note", "unit", "unit_version", "parse_warning")


def test_make_engine_puts_sqlite_in_wal_mode(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        # commits do not wait for an fsync (atomic still: WAL); a per-connection setting, so every connection's
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL (FULL is 2)
    engine.dispose()
    # and the mode is the file's, so any other client reading it meets WAL too
    raw = sqlite3.connect(tmp_path / "w.db")
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def test_in_memory_sqlite_is_not_put_in_wal_mode():
    engine = make_engine("sqlite://")
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "memory"


def _counts(db) -> tuple:
    raw = sqlite3.connect(db)
    try:
        return tuple(raw.execute(f"SELECT count(*) FROM {n}").fetchone()[0] for n in TABLES)
    finally:
        raw.close()


@pytest.fixture(scope="module")
def base_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("conc") / "base.db"
    r = run_cli("ingest", db=f"sqlite:///{db}")
    assert r.returncode == 0, r.stderr
    return db


def test_reader_sees_whole_editions_only(tmp_path, base_db):
    db = tmp_path / "live.db"
    shutil.copy(base_db, db)
    text = FIXTURE.read_text(encoding="utf-8")
    ed1 = tmp_path / "edition_2026-02-01.txt"
    ed1.write_text(text.replace(OLD_WORD, NEW_WORD), encoding="utf-8")
    ed2 = tmp_path / "edition_2026-03-01.txt"
    ed2.write_text(text.replace(OLD_WORD, NEW_WORD).replace(SECOND_OLD, SECOND_NEW), encoding="utf-8")
    wordings = set()

    states = [_counts(db)]
    stop, out = tmp_path / "stop", tmp_path / "reads.jsonl"
    reader = subprocess.Popen([sys.executable, "-m", "tests.hardening.reader", str(db), str(stop), str(out), UNIT],
                              cwd=ROOT, env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (out.exists() and '"api"' in out.read_text()):  # the reader is up and has read once
            assert reader.poll() is None and time.monotonic() < deadline, reader.stderr.read()
            time.sleep(0.05)
        writes = []
        for path, day in ((ed1, "2026-02-01"), (ed2, "2026-03-01")):
            t0 = time.monotonic()
            r = run_cli("ingest", str(path), "--edition-date", day, db=f"sqlite:///{db}")
            writes.append((t0, time.monotonic()))
            assert r.returncode == 0, r.stderr
            states.append(_counts(db))
        time.sleep(0.5)
    finally:
        stop.touch()
        try:
            reader.wait(timeout=60)
        finally:
            if reader.poll() is None:
                reader.kill()
                reader.wait()
    records = [json.loads(line) for line in out.read_text().splitlines()]

    errors = [r for r in records if "error" in r]
    assert not errors, errors[0]["error"] + "\n" + errors[0]["trace"]
    raw = [tuple(r["raw"]) for r in records if "raw" in r]
    api = [r["api"] for r in records if "api" in r]
    allowed = set(states)
    partial = [s for s in raw if s not in allowed]
    assert not partial, f"a reader saw a partial edition: {partial[0]} (whole states: {sorted(allowed)})"
    units = states[0][3]
    events_per_edition = states[0][1]
    for a in api:
        assert a["events"] == events_per_edition, a           # the newest edition's events, all of them
        assert a["event_sources"] == [a["newest"]], a         # and only its events
        assert a["states"] == units, a                         # every unit has a state
        wordings.add(a["text"])
    during = [r for r in records if any(t0 <= r["t"] <= t1 for t0, t1 in writes)]
    seen = {tuple(r["raw"]) for r in records if "raw" in r}
    print(f"\n[concurrency] {len(raw)} raw snapshots and {len(api)} API reads; {len(during)} during the two "
          f"ingests; distinct states seen: {len(seen)} of {len(allowed)}")
    assert len(seen) >= 2, "the reader never saw an ingest happen: the test did not overlap"
    assert len(during) >= 20
    assert all(w is not None and ("the process of using" in w or "the procedure of using" in w) for w in wordings)


# --- one query, one state ------------------------------------------------------------------------------
def _edition_with_a_new_article(path):
    """The fixture plus Article 15-1, inserted by a (fictitious) law in force from 01.01.2026."""
    lines = FIXTURE.read_text(encoding="utf-8").split("\n")
    i = next(k for k, line in enumerate(lines) if line.strip().startswith("Chapter 3. RIGHTS"))
    add = ["Article 15-1. Digital assistant", "", "      1. The digital assistant answers questions of individuals.",
           "", "      Footnote. Chapter 2 is supplemented by Article 15-1 in accordance with the Law of the Republic "
           "of Kazakhstan dated 01.12.2025 № 250-VIII (shall be enforced from 01.01.2026).", "", ""]
    path.write_text("\n".join(lines[:i] + add + lines[i:]), encoding="utf-8")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'one.db'}"
        return
    from tests.hardening.util import pg_database
    with pg_database() as url:
        yield url


def test_one_as_of_call_reads_one_state(tmp_path, any_db):
    """An ingest that commits while one ``as_of`` call is reading: the answer is the old or the new state."""
    from datetime import date

    from sqlalchemy import event
    from sqlmodel import Session

    import model.pointintime as pit

    edition = _edition_with_a_new_article(tmp_path / "edition_2026-02-01.txt")
    assert run_cli("ingest", db=any_db).returncode == 0
    on = date(2020, 1, 1)

    def states(hook: bool = False):
        pit._CACHE.clear()
        engine = make_engine(any_db)
        fired = []
        if hook:
            @event.listens_for(engine, "before_cursor_execute")
            def commit_an_edition_now(conn, cursor, statement, *args):
                if not fired and "FROM unit " in statement:  # after the law and its newest edition were read
                    fired.append(statement)
                    r = run_cli("ingest", str(edition), "--edition-date", "2026-02-01", db=any_db)
                    assert r.returncode == 0, r.stderr
        try:
            with Session(engine) as s:
                return pit.as_of(session=s, on=on), fired
        finally:
            engine.dispose()

    old, _ = states()
    mixed, fired = states(hook=True)
    new, _ = states()
    assert fired, "the edition was not ingested during the call"
    assert old != new and any(s.eid == "art_15-1" for s in new)
    assert mixed in (old, new), [(s.eid, s.status) for s in mixed if s.eid.startswith("art_15-1")]
