"""How a figure is measured and printed: median of runs after a warm-up, with peak memory.

- ``in_process(fn, …)``   time ``fn`` with ``time.perf_counter`` (warm-up first, then ``runs`` timed calls),
                          then one more call under ``tracemalloc`` for its peak of traced memory;
- ``child(cmd, …)``       one whole process: wall time to its first byte on stdout and to its exit, and
                          its peak resident memory (``ru_maxrss`` of that child, from ``os.wait4``);
- ``Figure``              a named median with its unit, target and pass/fail, printed as one line.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
import tracemalloc
from dataclasses import asdict, dataclass, field
from typing import Callable


@dataclass
class Figure:
    """One benchmark figure: the median of ``runs`` against a target (``None``: informational)."""

    name: str
    unit: str
    runs: list[float]
    target: float | None = None
    higher_is_better: bool = False
    peak_mb: float | None = None      # peak memory of one run (traced, or the child's max RSS)
    memory_kind: str = "traced"       # traced (tracemalloc) | rss (ru_maxrss)
    note: str = ""
    error: str | None = None          # the figure could not be measured: why
    extra: dict = field(default_factory=dict)
    cpu_ms: list[float] = field(default_factory=list)  # CPU time of the same runs: less sensitive to a busy machine

    @property
    def median(self) -> float | None:
        return statistics.median(self.runs) if self.runs else None

    @property
    def verdict(self) -> str:
        if self.error is not None:
            return "fail"
        if self.target is None:
            return "info"
        ok = self.median >= self.target if self.higher_is_better else self.median <= self.target
        return "pass" if ok else "fail"

    def line(self) -> str:
        med = "-" if self.median is None else _fmt(self.median)
        tgt = "-" if self.target is None else ((">=" if self.higher_is_better else "<=") + _fmt(self.target))
        return f"{self.name:<44} {med:>10}  {self.unit:<6} {tgt:>9}  {self.verdict}"

    def detail(self) -> str:
        if self.error is not None:
            return f"{self.name}: not measured: {self.error}"
        parts = [f"{self.name}: n={len(self.runs)} min={_fmt(min(self.runs))} max={_fmt(max(self.runs))}"]
        if self.cpu_ms:
            parts.append(f"CPU median {_fmt(statistics.median(self.cpu_ms))}")
        if self.peak_mb is not None:
            parts.append(f"peak {'RSS' if self.memory_kind == 'rss' else 'traced'} {self.peak_mb:.1f} MB")
        if self.note:
            parts.append(self.note)
        return "; ".join(parts)

    def as_dict(self) -> dict:
        d = asdict(self)
        d.update(median=self.median, verdict=self.verdict)
        return d


def _fmt(x: float) -> str:
    return f"{x:.3g}" if abs(x) < 100 else f"{x:.0f}"


@dataclass
class Measured:
    """Timed runs of one function: wall and CPU milliseconds, and a traced peak in MB."""

    ms: list[float]
    cpu_ms: list[float]
    peak_mb: float | None


def in_process(fn: Callable[[object], object], *, runs: int = 7, warmup: int = 1,
               setup: Callable[[int], object] = lambda i: None, memory: bool = True) -> Measured:
    """Milliseconds (wall and CPU) of ``fn(setup(i))`` for ``runs`` calls after ``warmup`` calls, and a traced peak.

    ``setup`` runs before each call, untimed (e.g. a fresh database path, or the call that makes the
    timed one "the second with a different date"). The memory run is an extra call: tracemalloc slows
    Python down, so it is never one of the timed ones.
    """
    for i in range(warmup):
        fn(setup(-1 - i))
    times = []
    cpu = []
    for i in range(runs):
        arg = setup(i)
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn(arg)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    peak = None
    if memory:
        arg = setup(runs)
        tracemalloc.start()
        try:
            fn(arg)
            peak = tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()
    return Measured(times, cpu, peak)


@dataclass
class ChildRun:
    first_output_ms: float | None
    total_ms: float
    max_rss_mb: float
    cpu_ms: float | None  # user + system time of the child
    returncode: int
    stdout: bytes
    stderr: bytes


TIME = "/usr/bin/time"


def child(cmd: list[str], *, env: dict | None = None, cwd: str | None = None) -> ChildRun:
    """Run ``cmd`` once: time to its first stdout byte and to its exit, its peak RSS and CPU time.

    Peak RSS comes from GNU time (``/usr/bin/time -f %M``) when it is installed: Linux carries a
    process's RSS high-water mark across ``exec``, so ``ru_maxrss`` of a child forked from this (large)
    process would report our own peak. GNU time forks from a small process. Without it, ``os.wait4``.
    """
    with tempfile.TemporaryFile() as errfile, tempfile.NamedTemporaryFile("r") as timefile:
        wrapped = [TIME, "-f", "%M %U %S", "-o", timefile.name, *cmd] if os.path.exists(TIME) else cmd
        t0 = time.perf_counter()
        p = subprocess.Popen(wrapped, stdout=subprocess.PIPE, stderr=errfile, env=env, cwd=cwd)
        first = p.stdout.read(1)
        t_first = (time.perf_counter() - t0) * 1000 if first else None
        out = first + p.stdout.read()
        _, status, usage = os.wait4(p.pid, 0)
        total = (time.perf_counter() - t0) * 1000
        p.returncode = os.waitstatus_to_exitcode(status)
        p.stdout.close()
        errfile.seek(0)
        err = errfile.read()
        rss, cpu = usage.ru_maxrss / 1024, (usage.ru_utime + usage.ru_stime) * 1000
        if wrapped is not cmd:
            fields = timefile.read().split()[-3:]  # a killed child makes GNU time write a line before them
            if len(fields) == 3:
                rss, cpu = int(fields[0]) / 1024, (float(fields[1]) + float(fields[2])) * 1000
    return ChildRun(t_first, total, rss, cpu, p.returncode, out, err)
