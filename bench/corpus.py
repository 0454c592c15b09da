"""Scale: a synthetic corpus of N distinct laws made from the fixture, ingested on SQLite or PostgreSQL.

Law ``i`` of the corpus is the fixture with
1. its own number in the law line (``№ 418-V`` → ``№ {10001 + i}-V``), so it is a distinct law;
2. every date in the text (law line, notes, entry-into-force clauses, commencement) moved ``(37·i) mod 730``
   days later, so its events and lifecycles differ from the others';
3. about 3 % of its body lines perturbed (" the " → " the said ", lines chosen by a seeded RNG), so its
   sha256 and wordings differ. The structure (numbering, notes) is unchanged.

``run_scale(url, sizes, texts_dir)`` writes the corpus's texts as files (outside the timers), then grows
one database through the sizes (1, 10, 100, 1000: laws 1..1, 2..10, 11..100, 101..1000) the way
``lawtrack ingest FILE…`` does: ``ingest.batch.ingest_many`` calls (parsed in worker processes while this
process stores them, one transaction each). Every throughput figure is the median of 5 timed runs (see
``run_scale`` for how each stage is repeated), and after each stage ``as_of`` is measured on the corpus's
first law (the same query at every N) and on laws spread over the corpus. Run as a script
(``python -m bench.corpus URL SIZES OUT.json [WORKERS]``) so that its peak RSS is its own (the workers'
included: GNU time reports the largest of the process tree).
"""
from __future__ import annotations

import gc
import json
import os
import random
import re
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "informatization_418-V_eng.txt"
_NUM_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_DMY = re.compile(rf"\b(\d{{1,2}}) ({'|'.join(_MONTHS)}) (\d{{4}})\b")
_MDY = re.compile(rf"\b({'|'.join(_MONTHS)}) (\d{{1,2}}), (\d{{4}})\b")


def _shift_num(m: re.Match, days: int) -> str:
    try:
        d = date(int(m.group(3)), int(m.group(2)), int(m.group(1))) + timedelta(days=days)
    except ValueError:  # a month-first slip ("12.28.2017") stays as it is: the parser repairs it
        return m.group(0)
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def _shift_dmy(m: re.Match, days: int) -> str:
    d = date(int(m.group(3)), _MONTHS.index(m.group(2)) + 1, int(m.group(1))) + timedelta(days=days)
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _shift_mdy(m: re.Match, days: int) -> str:
    d = date(int(m.group(3)), _MONTHS.index(m.group(1)) + 1, int(m.group(2))) + timedelta(days=days)
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"


def synthetic_law(base: str, i: int) -> str:
    """The text of corpus law ``i`` (see the module docstring)."""
    days = (37 * i) % 730
    text = base.replace("№ 418-V.", f"№ {10001 + i}-V.", 1)
    if days:
        text = _NUM_DATE.sub(lambda m: _shift_num(m, days), text)
        text = _DMY.sub(lambda m: _shift_dmy(m, days), text)
        text = _MDY.sub(lambda m: _shift_mdy(m, days), text)
    rng = random.Random(i)
    lines = text.split("\n")
    for k, line in enumerate(lines):
        if line.startswith("      ") and " the " in line and rng.random() < 0.03:
            lines[k] = line.replace(" the ", " the said ", 1)
    return "\n".join(lines)


def _sample(n_laws: int, k: int = 7) -> list[int]:
    """Up to ``k`` corpus indexes spread over 0..n_laws-1 (repeats when there are fewer laws)."""
    if n_laws >= k:
        return [round(j * (n_laws - 1) / (k - 1)) for j in range(k)]
    return [j % n_laws for j in range(k)]


def write_texts(n: int, texts_dir: Path) -> list[Path]:
    """The files of corpus laws 0..n-1 in ``texts_dir`` (written once; reused when present and complete)."""
    texts_dir.mkdir(parents=True, exist_ok=True)
    base = FIXTURE.read_text(encoding="utf-8")
    paths = []
    for i in range(n):
        path = texts_dir / f"law_{i:04d}.txt"
        if not path.exists():
            tmp = path.with_suffix(".part")
            tmp.write_text(synthetic_law(base, i), encoding="utf-8")
            tmp.replace(path)
        paths.append(path)
    return paths


def _new_database(url: str, k: int, variant: str) -> tuple[str, Callable[[], None]]:
    """An empty database beside ``url``'s (a new SQLite file, or a new PostgreSQL database) and its removal."""
    if url.startswith("postgresql"):
        from bench.pgdb import pg_create, pg_drop
        new, why = pg_create(url)
        if new is None:
            raise RuntimeError(f"cannot create a PostgreSQL database: {why}")
        return new, lambda: pg_drop(url, new)
    path = Path(url[len("sqlite:///"):]).with_name(f"single_{variant}_{k}.db")

    def remove() -> None:  # the file and its WAL companions
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    remove()
    return f"sqlite:///{path}", remove


def machine_ms() -> float:
    """The machine's speed now: ``bench.calibrate.reference_workload`` milliseconds, median of 3."""
    from bench.calibrate import reference_workload
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        reference_workload()
        times.append((time.perf_counter() - t0) * 1000)
    return sorted(times)[1]


def _machine_now() -> float:
    """One run of ``bench.calibrate.reference_workload``, in milliseconds: the machine's speed at this moment."""
    from bench.calibrate import reference_workload
    t0 = time.perf_counter()
    reference_workload()
    return (time.perf_counter() - t0) * 1000


def single_law_runs(url: str, path: Path, runs: int = 5, warmup: int = 1, progress=lambda m: None) -> dict:
    """One law ingested (``ingest_many``, as ``lawtrack ingest FILE``) into an empty database beside ``url``'s:
    ``warmup`` + ``runs`` times, each into a database of its own, in two variants:

    * ``ingest``: the tables exist (created, the engine connected once, before the timer) — the law's own cost;
    * ``new_database``: the call creates the tables (and makes the first connection) — what a first
      ``lawtrack ingest`` into a new database costs.

    Wall milliseconds of the timed runs (warm-ups dropped), the milliseconds of creating the tables
    before the ``ingest`` variant's timer, and the machine's speed just before each ``ingest`` run
    (``run_machine_ms``: one reference workload, outside the timer)."""
    from ingest.batch import Job, ingest_many
    from model.engine import init_db, make_engine

    out: dict[str, list[float]] = {"ingest": [], "new_database": [], "create_tables": [], "machine_ms": [machine_ms()],
                                   "run_machine_ms": []}
    for k in range(warmup + runs):
        for variant in ("ingest", "new_database"):
            new, remove = _new_database(url, k, variant)
            engine = make_engine(new)
            try:
                os.sync()  # the previous run's (or benchmark's) writes on disk first: each run starts on an idle disk
                if variant == "ingest":
                    speed = _machine_now()  # the machine's speed just before this run (one reference workload)
                    t0 = time.perf_counter()
                    init_db(engine)
                    tables = (time.perf_counter() - t0) * 1000
                    os.sync()
                t0 = time.perf_counter()
                ingest_many(engine, [Job(str(path))], {})
                wall = (time.perf_counter() - t0) * 1000
            finally:
                engine.dispose()
                remove()
            if k >= warmup:
                out[variant].append(wall)
                if variant == "ingest":
                    out["create_tables"].append(tables)
                    out["run_machine_ms"].append(speed)
        progress(f"one law into an empty database, run {k + 1}/{warmup + runs}")
    out["machine_ms"].append(machine_ms())
    return out


def _timed_batch(engine, paths: list[Path], workers: int | None, step=lambda m: None) -> tuple[dict, list]:
    """``ingest_many`` of ``paths`` (one call, one transaction): its figures and what it stored."""
    import resource

    from ingest.batch import Job, default_workers, ingest_many
    used = default_workers(len(paths)) if workers is None else workers
    nbytes = sum(p.stat().st_size for p in paths)
    cpu0, kids0 = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    stored = ingest_many(engine, [Job(str(p)) for p in paths], {}, workers=used, step=step)
    wall = time.perf_counter() - t0
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return dict(laws=len(paths), mb=nbytes / 1e6, wall_s=wall, mb_per_s=nbytes / 1e6 / wall, workers=used,
                cpu_main_s=time.process_time() - cpu0,
                cpu_workers_s=(kids.ru_utime + kids.ru_stime) - (kids0.ru_utime + kids0.ru_stime)), stored


def _as_of_runs(engine, law_ids: list[int]) -> tuple[list[float], list[float]]:
    """Cold and warm ``as_of`` milliseconds, one pair per law of ``law_ids`` (the j-th with the j-th pair of dates)."""
    from sqlmodel import Session

    from model import pointintime as pit
    cold, warm = [], []
    for j, law_id in enumerate(law_ids):
        pit._CACHE.clear()  # cold: law_index (the database queries) is part of the figure
        gc.collect()  # every question starts from the same collector state (outside the timers): a full
        # collection otherwise lands wherever the allocations of the passes before it put it
        on, other = date(2019 + j % 5, 3, 1), date(2023 - j % 5, 9, 1)
        with Session(engine) as s:
            a = time.perf_counter()
            pit.as_of(session=s, on=on, law_id=law_id)
            cold.append((time.perf_counter() - a) * 1000)
            getattr(pit.law_index(session=s, law_id=law_id), "states", {}).clear()
            pit.as_of(session=s, on=on, law_id=law_id)
            a = time.perf_counter()
            pit.as_of(session=s, on=other, law_id=law_id)
            warm.append((time.perf_counter() - a) * 1000)
    return cold, warm


def _as_of_repeated(engine, law_id: int, runs: int = 5) -> tuple[list[float], list[float]]:
    """``runs`` passes of the 7 questions of ``_as_of_runs`` on one law: each pass's mean cold and warm
    milliseconds per question (the work of the 7 date pairs differs, 1.5–9 ms warm: one pass's median
    would pick a different pair on a noisy moment; the mean of all 7, repeated, compares like with like)."""
    cold, warm = [], []
    for _ in range(runs):
        c, w = _as_of_runs(engine, [law_id] * 7)
        cold.append(sum(c) / len(c))
        warm.append(sum(w) / len(w))
    return cold, warm


def _as_of_alternating(engine, law_id: int, base_engine, base_law_id: int, runs: int = 5) -> dict[str, list[float]]:
    """``_as_of_repeated``'s passes on ``engine`` alternated with the same passes on ``base_engine`` (a database
    holding the same law alone): the ratio then compares measurements taken in the same seconds (the
    machine's speed drifts by up to 2× over minutes; a pass takes a second or two)."""
    out: dict[str, list[float]] = {"cold": [], "warm": [], "cold_base": [], "warm_base": []}
    for r in range(runs):
        order = ((engine, law_id, ""), (base_engine, base_law_id, "_base"))
        for eng, law, suffix in (order if r % 2 == 0 else order[::-1]):
            cold, warm = _as_of_repeated(eng, law, 1)
            out["cold" + suffix] += cold
            out["warm" + suffix] += warm
    return out


SMALL_STAGE = 25  # a stage of fewer laws is repeated in new databases; a larger one is split in five batches


def run_scale(url: str, sizes: list[int], texts_dir: Path, progress=lambda m: None,
              workers: int | None = None, runs: int = 5) -> dict:
    """Grow one database through ``sizes`` and measure each stage (see the module docstring).

    Throughput of a stage, ``runs`` numbers (their median is the figure):
    * N = 1: ``single_law_runs`` (one law into an empty database, each run a database of its own);
    * a stage of fewer than ``SMALL_STAGE`` laws (N = 10): ``runs`` repetitions, each in a new database
      holding the earlier stages' laws (ingested before the timer), of one ``ingest_many`` of the stage's laws;
    * a larger stage (N = 100, 1000): its laws in ``runs`` consecutive ``ingest_many`` calls on the growing
      database, each timed.
    ``as_of`` after each stage: of the corpus's first law (the same 7 questions on a database ``N`` times
    larger, ``runs`` passes, alternated with the same passes on a database holding that law alone:
    ``_as_of_alternating``; the ratio's figures) and of 7 laws spread over the corpus (one question each:
    how much the laws' own histories vary).
    """
    from model.engine import make_engine

    paths = write_texts(max(sizes), texts_dir)
    progress(f"{len(paths)} texts in {texts_dir}")
    single = single_law_runs(url, paths[0], runs=runs, progress=progress) if 1 in sizes else None
    base_url, remove_base = _new_database(url, 0, "base")  # the first law alone: the as_of ratio's reference
    base_engine = make_engine(base_url)
    try:
        base_law = _timed_batch(base_engine, paths[:1], 0)[1][0].result.law_id
        return _grow(url, sizes, paths, workers, runs, progress, base_engine, base_law, single)
    finally:
        base_engine.dispose()
        remove_base()


def _grow(url, sizes, paths, workers, runs, progress, base_engine, base_law, single) -> dict:
    """``run_scale``'s stages on the growing database."""
    import resource

    from sqlmodel import Session, select

    from model import tables as t
    from model.engine import make_engine

    engine = make_engine(url)
    law_ids: list[int] = []
    stages = []
    done = 0
    for n in sizes:
        todo = paths[done:n]
        count = [done]
        speed = machine_ms()

        def step(message: str, count=count, n=n) -> None:  # a line every 100 laws stored
            if message.startswith("storing "):
                count[0] += 1
                if count[0] % 100 == 0:
                    progress(f"{count[0]}/{n} laws stored")
        batches = []
        if 1 < len(todo) < SMALL_STAGE:
            for k in range(runs):
                new, remove = _new_database(url, k, f"stage{n}")
                eng = make_engine(new)
                try:
                    _timed_batch(eng, paths[:done], 0)  # the earlier stages' laws, before the timer
                    os.sync()
                    batches.append(_timed_batch(eng, todo, workers)[0])
                finally:
                    eng.dispose()
                    remove()
            grown, stored = _timed_batch(engine, todo, workers, step)  # the growing database: not a figure
            law_ids += [x.result.law_id for x in stored]
        else:
            parts = [todo] if len(todo) < SMALL_STAGE else [todo[i * len(todo) // runs:(i + 1) * len(todo) // runs]
                                                             for i in range(runs)]
            for part in parts:
                fig, stored = _timed_batch(engine, part, workers, step)
                batches.append(fig)
                law_ids += [x.result.law_id for x in stored]
        done = n
        with Session(engine) as s:
            n_units = s.exec(select(t.Unit.id).order_by(t.Unit.id.desc()).limit(1)).first()
        first = _as_of_alternating(engine, law_ids[0], base_engine, base_law, runs)
        cold_spread, warm_spread = _as_of_runs(engine, [law_ids[k] for k in _sample(n)])
        rates = [b["mb_per_s"] for b in batches]
        stages.append(dict(n=n, ingested=len(todo), mb=sum(p.stat().st_size for p in todo) / 1e6,
                           batches=batches, mb_per_s=rates,
                           as_of_cold_ms=first["cold"], as_of_warm_ms=first["warm"],
                           as_of_cold_base_ms=first["cold_base"], as_of_warm_base_ms=first["warm_base"],
                           as_of_cold_spread_ms=cold_spread, as_of_warm_spread_ms=warm_spread, unit_rows=n_units,
                           machine_ms=[speed, machine_ms()],  # before the stage's ingests, after its as_of
                           max_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
        progress(f"N={n}: {sorted(rates)[len(rates) // 2]:.2f} MB/s (median of {len(rates)}), "
                 f"as_of cold {sorted(first['cold'])[runs // 2]:.1f} ms")
    engine.dispose()
    return dict(url=url.split("@")[-1], stages=stages, single=single)


def main(argv: list[str]) -> None:
    url, sizes, out = argv[0], [int(x) for x in argv[1].split(",")], argv[2]
    workers = int(argv[3]) if len(argv) > 3 else None
    result = run_scale(url, sizes, Path(out).parent / "corpus_texts", workers=workers,
                       progress=lambda m: print(f"  [scale] {m}", file=sys.stderr, flush=True))
    Path(out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
