"""Atomic and idempotent ingest: SIGKILL ``lawtrack ingest`` at random moments.

After every kill the database must be exactly as before (every table's rows, see ``util.snapshot``)
or complete (equal to a reference ingest that was not interrupted) — never in between — and when it
is as before, a rerun must complete it. Trials are independent (one database each) and run two at a
time. Kills are aimed at the write: most wait for the CLI's "storing …" line and then
a random part of the time the reference run spent between that line and its exit; some are at a random
moment from the start. The seed is printed and can be fixed with ``LAWTRACK_KILL_SEED``.

Also: ingesting the same source again changes nothing; a newer edition (one word changed,
``--edition-date 2026-02-01``) adds one source and its events and versions, and duplicates no unit and
no event of the old one.
"""
from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel import Session, select

from model import tables as t
from model.engine import make_engine
from tests.hardening.util import ROOT, cli_cmd, cli_env, counts, newer_edition, pg_database, run_cli, snapshot

SEED = int(os.environ.get("LAWTRACK_KILL_SEED") or time.time_ns() % 10**9)
EDITION = "2026-02-01"


@dataclass
class Kill:
    mode: str          # "after storing" or "from start"
    delay: float
    killed: bool       # False: the process had already exited when the signal was due
    stage: str         # the last progress line it printed
    outcome: str = ""  # "before" | "complete"


def run_and_kill(args: list[str], db: str, rng: random.Random, window: float, total: float) -> Kill:
    """Start ``lawtrack ingest ARGS --db DB`` and SIGKILL it at a random moment."""
    mode = "after storing" if rng.random() < 0.75 else "from start"
    delay = rng.uniform(0, window if mode == "after storing" else total)
    p = subprocess.Popen(cli_cmd("ingest", *args, db=db), cwd=ROOT, env=cli_env(), text=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen: list[str] = []
    try:
        if mode == "after storing":
            for line in p.stderr:
                seen.append(line.rstrip())
                if line.startswith("storing"):
                    break
        time.sleep(delay)
        killed = p.poll() is None
        if killed:
            p.send_signal(signal.SIGKILL)  # this child only, by its pid
        rest = p.communicate(timeout=60)[1]
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    seen += rest.splitlines()
    assert killed or p.returncode == 0, seen[-3:]
    stage = next((s.strip(" …") for s in reversed(seen) if s.startswith(("storing", "  …", "["))), "(nothing)")
    return Kill(mode, round(delay, 3), killed, stage)


def timed_ingest(args: list[str], db: str) -> tuple[float, float]:
    """A full ingest: (seconds from "storing" to exit, seconds in all)."""
    t0 = time.monotonic()
    p = subprocess.Popen(cli_cmd("ingest", *args, db=db), cwd=ROOT, env=cli_env(), text=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t_store = None
    for line in p.stderr:
        if line.startswith("storing") and t_store is None:
            t_store = time.monotonic()
    assert p.wait(timeout=120) == 0
    end = time.monotonic()
    return end - (t_store or t0), end - t0


@pytest.fixture(scope="module")
def refs(tmp_path_factory):
    """Reference databases: the fixture (``old``) and the fixture then the newer edition (``new``)."""
    d = tmp_path_factory.mktemp("kill_refs")
    newer = newer_edition(d / "informatization_418-V_eng_2026-02-01.txt")
    old_db = d / "old.db"
    window, total = timed_ingest([], f"sqlite:///{old_db}")
    new_db = d / "new.db"
    shutil.copy(old_db, new_db)
    timed_ingest([str(newer), "--edition-date", EDITION], f"sqlite:///{new_db}")
    # two trials run at a time and each is slower than this lone run: aim over twice its write window
    return dict(dir=d, newer=newer, old_db=old_db, new_db=new_db, old=snapshot(f"sqlite:///{old_db}"),
                new=snapshot(f"sqlite:///{new_db}"), window=2 * max(window, 0.05), total=total)


def report(kills: list[Kill], where: str) -> None:
    print(f"\n[{where}] seed {SEED}: {len(kills)} kills, outcomes {dict(Counter(k.outcome for k in kills))}, "
          f"killed while running {sum(k.killed for k in kills)}")
    for k in kills:
        print(f"  {k.mode:<13} +{k.delay:.3f}s killed={k.killed!s:<5} stage={k.stage[:50]!r:<52} -> {k.outcome}")


def trial(args: list[str], url: str, before: dict, complete: dict, seed: int, window: float, total: float) -> Kill:
    """One kill, then: the database is ``before`` or ``complete``; after a kill that left it as before,
    a rerun completes it."""
    k = run_and_kill(args, url, random.Random(seed), window, total)
    now = snapshot(url)
    k.outcome = "before" if now == before else "complete" if now == complete else "PARTIAL"
    assert k.outcome != "PARTIAL", (SEED, k, counts(now))
    if k.outcome == "before":
        r = run_cli("ingest", *args, db=url)
        assert r.returncode == 0 and "stored" in r.stdout, r.stderr
        assert snapshot(url) == complete
    return k


def trials(jobs: list[tuple]) -> list[Kill]:
    """Independent trials (each its own database), two at a time."""
    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(lambda j: trial(*j), jobs))


def test_kill_fresh_ingest_sqlite(tmp_path, refs):
    empty = snapshot(f"sqlite:///{tmp_path / 'absent.db'}")
    kills = trials([([], f"sqlite:///{tmp_path / f'fresh{i}.db'}", empty, refs["old"], SEED + i, refs["window"],
                     refs["total"]) for i in range(6)])
    report(kills, "sqlite, fresh database")


def test_kill_newer_edition_sqlite(tmp_path, refs):
    args = [str(refs["newer"]), "--edition-date", EDITION]
    for i in range(6):
        shutil.copy(refs["old_db"], tmp_path / f"ed{i}.db")
    kills = trials([(args, f"sqlite:///{tmp_path / f'ed{i}.db'}", refs["old"], refs["new"], SEED + 100 + i,
                     refs["window"], refs["total"]) for i in range(6)])
    report(kills, "sqlite, newer edition")


def test_reingest_changes_nothing(tmp_path, refs):
    db = tmp_path / "again.db"
    shutil.copy(refs["new_db"], db)
    url = f"sqlite:///{db}"
    for args in ([], [str(refs["newer"]), "--edition-date", EDITION]):
        r = run_cli("ingest", *args, db=url)
        assert r.returncode == 0 and "unchanged (already ingested)" in r.stdout, r.stdout + r.stderr
        assert snapshot(url) == refs["new"]


def test_newer_edition_adds_a_source_and_duplicates_nothing(refs):
    old, new = counts(refs["old"]), counts(refs["new"])
    assert new["source"] == old["source"] + 1 == 2
    assert new["law"] == 1 and new["unit"] == old["unit"]
    assert new["event"] == 2 * old["event"] and new["note"] == 2 * old["note"]
    assert new["unit_version"] > old["unit_version"]
    engine = make_engine(f"sqlite:///{refs['new_db']}")
    with Session(engine) as s:
        sources = s.exec(select(t.Source).order_by(t.Source.id)).all()
        assert [x.edition_date for x in sources] == [None, date.fromisoformat(EDITION)]
        eids = [u.eid for u in s.exec(select(t.Unit))]
        assert len(eids) == len(set(eids))
        for src in sources:
            evs = s.exec(select(t.Event).where(t.Event.source_id == src.id)).all()
            keys = Counter((e.eid, e.kind, e.law_number, e.source_line) for e in evs)
            assert len(evs) == old["event"] and max(keys.values()) == 1  # each edition its own, once
            assert s.exec(select(t.UnitVersion).where(t.UnitVersion.source_id == src.id)).first() is not None
        # the old edition's events are exactly what they were
    old_events = _events_by_source(f"sqlite:///{refs['old_db']}")
    new_events = _events_by_source(f"sqlite:///{refs['new_db']}")
    assert new_events[sources[0].sha256] == old_events[sources[0].sha256]
    # and the newer edition's wording is the one shown today
    from model.pointintime import as_of
    with Session(engine) as s:
        state = as_of(session=s, on=date(2026, 3, 1), unit="art_1__subpara_1")[0]
    assert "the procedure of using" in state.text
    engine.dispose()


def _events_by_source(url: str) -> dict[str, list[tuple]]:
    engine = make_engine(url)
    with Session(engine) as s:
        sha = {x.id: x.sha256 for x in s.exec(select(t.Source))}
        out: dict[str, list[tuple]] = {}
        for e in s.exec(select(t.Event)):
            out.setdefault(sha[e.source_id], []).append(
                (e.eid, e.kind, e.law_number, e.law_date, e.effect_clause, e.effective_date, e.effective_basis,
                 e.effective_note, e.source_line, e.note_kind))
    engine.dispose()
    return {k: sorted(v, key=repr) for k, v in out.items()}


def test_kill_ingest_postgresql(refs):
    """Five kills into fresh PostgreSQL databases; then a newer edition and a re-ingest give the SQLite rows."""
    with contextlib.ExitStack() as stack:
        urls = [stack.enter_context(pg_database()) for _ in range(5)]  # skips when PostgreSQL is not configured
        empty = snapshot(urls[0])
        kills = trials([([], url, empty, refs["old"], SEED + 200 + i, refs["window"], refs["total"])
                        for i, url in enumerate(urls)])
        report(kills, "postgresql, fresh database")
        url = urls[0]  # complete now; the newer edition, and again: the same rows as on SQLite
        args = [str(refs["newer"]), "--edition-date", EDITION]
        assert run_cli("ingest", *args, db=url).returncode == 0
        r = run_cli("ingest", *args, db=url)
        assert "unchanged" in r.stdout
        assert snapshot(url) == refs["new"]
