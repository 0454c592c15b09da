"""Instructions executed by one law's ingest: a measure of the code's work that the machine's speed does not move.

    python -m bench.instructions                 # this checkout, one law into SQLite
    python -m bench.instructions ../other-tree   # the same for each checkout given (an A/B of two commits)

Wall-clock figures on this shared machine move by up to 1.8 × within minutes (``bench/calibrate.py``), so a
change of a few per cent cannot be seen in them, even in interleaved pairs. Valgrind's callgrind counts the
instructions a process executes: the same code, text and Python give the same count (±0.1 % between runs,
with ``PYTHONHASHSEED`` fixed), whatever else the machine is doing.

A child process (``bench.instructions --child``) ingests the first corpus law (``bench.corpus``'s law 0, the
fixture with its own number) ``k`` times, each into a new SQLite file whose tables exist, as ``bench/run``'s
N = 1. Run under callgrind with k = 1 and k = 4, the difference divided by 3 is the count of one
steady-state ingest: the interpreter's start, the imports and the first, cold ingest cancel out. The checkouts
given are measured side by side (two CPUs), each with this project's ``.venv``. Needs ``valgrind``
(``apt-get install -y valgrind``); about two minutes.

It counts work, not time: a cache miss or a system call costs more than an instruction, and PostgreSQL's
server is another process (not counted) — this is for comparing Python-side changes to the ingest.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_COLLECTED = re.compile(r"Collected : (\d+)")


def _child(tree: str, text: str, runs: int, workdir: str) -> None:
    """``runs`` one-law ingests of ``text`` with the code of ``tree`` (run under callgrind)."""
    sys.path.insert(0, tree)
    from ingest.batch import Job, ingest_many
    from model.engine import init_db, make_engine
    for k in range(runs):
        path = Path(workdir) / f"law_{k}.db"
        engine = make_engine(f"sqlite:///{path}")
        init_db(engine)
        ingest_many(engine, [Job(text)], {})
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


def count(tree: Path, text: Path, runs: int) -> int:
    """Instructions of a child process doing ``runs`` ingests with the code of ``tree``."""
    with tempfile.TemporaryDirectory(prefix="lawtrack_instr_") as work:
        cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-m",
               "bench.instructions", "--child", str(tree), str(text), str(runs), work]
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or not found:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"callgrind run of {tree} failed (exit {done.returncode}): {last}")
    return int(found.group(1))


def per_ingest(tree: Path, text: Path) -> float:
    """Millions of instructions of one steady-state ingest with the code of ``tree`` (see the module docstring)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        one, four = pool.map(lambda k: count(tree, text, k), (1, 4))
    return (four - one) / 3 / 1e6


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.instructions", description=__doc__.split("\n\n")[0])
    p.add_argument("trees", nargs="*", type=Path, help="checkouts to measure (default: this one)")
    p.add_argument("--child", nargs=4, metavar=("TREE", "TEXT", "RUNS", "WORKDIR"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        tree, text, runs, work = args.child
        _child(tree, text, int(runs), work)
        return 0
    if shutil.which("valgrind") is None:
        print("bench.instructions: valgrind is not installed (apt-get install -y valgrind)", file=sys.stderr)
        return 1
    from bench.corpus import write_texts
    with tempfile.TemporaryDirectory(prefix="lawtrack_instr_text_") as tmp:
        text, = write_texts(1, Path(tmp))
        for tree in args.trees or [ROOT]:
            if not (tree / "ingest" / "batch.py").is_file():
                print(f"bench.instructions: {tree}: not a lawtrack checkout (no ingest/batch.py)", file=sys.stderr)
                return 1
            try:
                m = per_ingest(tree.resolve(), text)
            except RuntimeError as err:
                print(f"bench.instructions: {err}", file=sys.stderr)
                return 1
            print(f"{tree}  {m:.1f}  M instructions per one-law SQLite ingest")
    return 0


if __name__ == "__main__":
    sys.exit(main())
