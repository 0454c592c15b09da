"""``bench/run``: every figure of bench/README.md, one line each: ``name  median  unit  target  pass|fail``.

Figures go to stdout; for each, the runs' spread and its peak memory go to stderr (and, with ``--json``,
everything to a file). ``--quick``: single-law figures only (no corpus, no peer), within a minute.
Exit status 0 unless ``--strict`` and a figure failed.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.calibrate import NOMINAL_MS
from bench.corpus import SMALL_STAGE
from bench.measure import Figure, child
from bench.pgdb import pg_create, pg_drop

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgresql://lawtrack:lawtrack@127.0.0.1:5432/postgres"


def log(msg: str) -> None:
    print(f"# {msg}", file=sys.stderr, flush=True)


def header() -> str:
    try:
        rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
    except OSError:
        rev, dirty = "?", ""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"lawtrack bench — {time.strftime('%Y-%m-%d %H:%M:%S')} — git {rev}{'+dirty' if dirty else ''} — "
            f"Python {platform.python_version()} — {os.cpu_count()} CPUs — load average {load}")


def emit(fig: Figure, results: list[Figure]) -> None:
    results.append(fig)
    print(fig.line(), flush=True)
    print(f"#   {fig.detail()}", file=sys.stderr, flush=True)


# ---- scale ------------------------------------------------------------------------------------

def scale_figures(backend: str, url: str, sizes: list[int], workdir: Path) -> list[Figure]:
    """Run bench.corpus in a child process (its own peak RSS) and turn its stages into figures."""
    out = workdir / f"scale_{backend}.json"
    os.sync()  # the earlier figures' writes on disk first
    t0 = time.perf_counter()
    r = child([sys.executable, "-m", "bench.corpus", url, ",".join(map(str, sizes)), str(out)], cwd=str(ROOT))
    if r.returncode != 0:
        return [Figure(f"scale {backend}", "MB/s", [], error=r.stderr.decode(errors="replace").strip()[-500:])]
    log(f"scale {backend}: {time.perf_counter() - t0:.0f} s, child peak RSS {r.max_rss_mb:.0f} MB")
    result = json.loads(out.read_text())
    stages, single = result["stages"], result.get("single")
    figs = []
    base = stages[0]
    if single:
        mb = base["mb"]  # the stage N=1 ingests the same one law
        how = "1 warm-up + 5 runs, each into an empty database of its own (ingest_many, as `lawtrack ingest FILE`)"
        figs.append(Figure(f"scale {backend} N=1: ingest throughput", "MB/s",
                           [mb / (ms / 1000) for ms in single["ingest"]], target=2, higher_is_better=True,
                           peak_mb=base["max_rss_mb"], memory_kind="rss",
                           note=f"{mb:.2f} MB; the tables exist (created before the timer); {how}; machine speed "
                                f"before / after {single['machine_ms'][0]:.0f} / {single['machine_ms'][1]:.0f} ms"))
        speeds = single.get("run_machine_ms") or []
        if len(speeds) == len(single["ingest"]):
            figs.append(Figure(f"scale {backend} N=1: ingest throughput, machine at {NOMINAL_MS} ms", "MB/s",
                               [mb / (ms / 1000) * (speed / NOMINAL_MS)
                                for ms, speed in zip(single["ingest"], speeds)], higher_is_better=True,
                               peak_mb=base["max_rss_mb"], memory_kind="rss",
                               note="each run's throughput × (the reference workload's ms just before it / "
                                    f"{NOMINAL_MS}): what the run would give at the machine's usual speed, if the "
                                    "ingest slows as the reference workload does (both are this process's Python); "
                                    "reference workload before the runs: "
                                    + ", ".join(f"{x:.0f}" for x in speeds) + " ms; no target: the target is the "
                                    "figure above"))
        figs.append(Figure(f"scale {backend} N=1: first ingest into a new database", "MB/s",
                           [mb / (ms / 1000) for ms in single["new_database"]], higher_is_better=True,
                           peak_mb=base["max_rss_mb"], memory_kind="rss",
                           note=f"the call creates the tables and makes the first connection; {how}"))
        figs.append(Figure(f"scale {backend}: create the tables in a new database", "ms", single["create_tables"],
                           peak_mb=base["max_rss_mb"], memory_kind="rss",
                           note="init_db on an empty database, the first connection included (once per database)"))
    for st in stages:
        if single and st is base:
            continue  # measured above, five times
        b = st["batches"]
        how = (f"{len(b)} runs, each in a new database holding the earlier stages' laws" if st["ingested"] < SMALL_STAGE
               else f"the stage's {st['ingested']} laws in {len(b)} consecutive batches")
        figs.append(Figure(f"scale {backend} N={st['n']}: ingest throughput", "MB/s", st["mb_per_s"], target=2,
                           higher_is_better=True, peak_mb=st["max_rss_mb"], memory_kind="rss",
                           note=f"{how} (ingest_many, {b[0]['workers']} parsing worker(s); per batch "
                                f"{b[0]['laws']} laws, {b[0]['mb']:.1f} MB; CPU of the first: this process "
                                f"{b[0]['cpu_main_s']:.1f} s, workers {b[0]['cpu_workers_s']:.1f} s); machine "
                                f"speed before / after the stage {st['machine_ms'][0]:.0f} / {st['machine_ms'][1]:.0f} ms"))
    for kind in ("cold", "warm"):
        for st in stages:
            ref = st.get(f"as_of_{kind}_base_ms") or base[f"as_of_{kind}_ms"]
            b = sorted(ref)[len(ref) // 2]
            fig = Figure(f"scale {backend} N={st['n']}: as_of of the first law, {kind}", "ms", st[f"as_of_{kind}_ms"],
                         target=round(1.5 * b, 1) if st["n"] > 1 else None, peak_mb=st["max_rss_mb"],
                         memory_kind="rss",
                         note=("law_index built (database queries) + as_of" if kind == "cold" else
                               "index cached, second date") + "; each run: the mean of 7 date pairs on the same law; "
                                                               f"target 1.5 × the same runs on a database holding "
                                                               f"that law alone, alternated with these (median "
                                                               f"{b:.1f} ms)",
                         extra={"reference_runs": ref} if st["n"] > 1 else {})
            figs.append(fig)
        for st in stages:
            if st["n"] > 1:
                figs.append(Figure(f"scale {backend} N={st['n']}: as_of of 7 laws across the corpus, {kind}", "ms",
                                   st[f"as_of_{kind}_spread_ms"], peak_mb=st["max_rss_mb"], memory_kind="rss",
                                   note="one law each (its own history: the work differs from law to law)"))
    return figs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench/run", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="single-law figures only (no corpus, no peer)")
    ap.add_argument("--runs", type=int, default=7, help="timed runs per figure after the warm-up (default 7)")
    ap.add_argument("--sizes", default="1,10,100,1000", help="corpus sizes N (default 1,10,100,1000)")
    ap.add_argument("--pg", default=os.environ.get("LAWTRACK_BENCH_PG", DEFAULT_PG),
                    help="PostgreSQL server URL whose role may create databases ('' to skip)")
    ap.add_argument("--json", help="write every figure with its runs to this file")
    ap.add_argument("--strict", action="store_true", help="exit 1 if a figure fails its target")
    args = ap.parse_args(argv)
    if args.runs < 5:
        ap.error("--runs must be at least 5 (figures are medians of at least 5 runs)")
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    head = header()
    print(head, flush=True)
    results: list[Figure] = []
    workdir = Path(tempfile.mkdtemp(prefix="lawtrack-bench-"))
    t_start = time.perf_counter()
    try:
        from bench.calibrate import machine_figure
        emit(machine_figure(args.runs), results)
        from bench.single import FIXTURE, single_law_figures
        for fig in single_law_figures(workdir, runs=args.runs):
            emit(fig, results)
        if not args.quick:
            ingest = next(f for f in results if f.name.startswith("full ingest"))
            from bench.peer import peer_figures
            for fig in peer_figures(FIXTURE.read_text(encoding="utf-8"), workdir, args.runs, ingest.median, log):
                emit(fig, results)
            sizes = [int(x) for x in args.sizes.split(",")]
            for fig in scale_figures("sqlite", f"sqlite:///{workdir / 'corpus.db'}", sizes, workdir):
                emit(fig, results)
            for name in ("corpus.db", "corpus.db-wal", "corpus.db-shm"):  # ~1 GB: not written back under the next figures
                (workdir / name).unlink(missing_ok=True)
            os.sync()
            if args.pg:
                url, why = pg_create(args.pg)
                if url is None:
                    emit(Figure("scale postgresql", "MB/s", [], error=f"PostgreSQL not available: {why}"), results)
                else:
                    try:
                        for fig in scale_figures("postgresql", url, sizes, workdir):
                            emit(fig, results)
                    finally:
                        pg_drop(args.pg, url)
            emit(machine_figure(args.runs, "at the end"), results)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    failed = [f.name for f in results if f.verdict == "fail"]
    log(f"{len(results)} figures in {time.perf_counter() - t_start:.0f} s; "
        f"{len(failed)} failed{': ' + ', '.join(failed) if failed else ''}; load average now "
        + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    if args.json:
        Path(args.json).write_text(json.dumps({"header": head, "figures": [f.as_dict() for f in results]},
                                              indent=1, default=str))
    return 1 if (args.strict and failed) else 0


if __name__ == "__main__":
    sys.exit(main())
