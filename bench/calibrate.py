"""The machine's speed at the time of a run: a fixed pure-Python workload, timed like every other figure.

Figures of runs on different days can only be compared with the machine's speed beside them: on this
shared 2-CPU virtual machine the same code has run 1.5–2 × slower on some days than on others (the host's
load is not visible from inside). The workload does not depend on lawtrack's code, so a change of this
figure between two runs is the machine's, not the code's.
"""
from __future__ import annotations

import random
import re
import string
import time

from bench.measure import Figure

_PAIRS = re.compile(r"[aeiou]{2}")
# The reference workload's milliseconds on this machine in its usual (fast) state: the run-start figures of
# rounds 5–9 were 97.5–108 ms; in its slow phases the same workload takes 130–200 ms.
NOMINAL_MS = 100


def reference_workload() -> int:
    """~100 ms of typical interpreter work on an idle machine: strings, dicts, sorting, a regex, integer arithmetic."""
    rng = random.Random(1)
    words = ["".join(rng.choice(string.ascii_lowercase) for _ in range(8)) for _ in range(20_000)]
    counts: dict[str, int] = {}
    for w in words:
        counts[w[:3]] = counts.get(w[:3], 0) + len(w)
    ordered = sorted(words)
    pairs = len(_PAIRS.findall(" ".join(ordered)))
    return pairs + sum(i * i % 7 for i in range(300_000)) + len(counts)


def machine_figure(runs: int = 7, when: str = "at the start") -> Figure:
    reference_workload()  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        c, t = time.process_time(), time.perf_counter()
        reference_workload()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return Figure(f"machine speed: reference Python workload, {when}", "ms", wall, cpu_ms=cpu,
                  note="fixed workload, independent of lawtrack (bench/calibrate.py): compare runs of different "
                       "days with it")
