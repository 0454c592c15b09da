"""Markdown tables from ``bench/run --json`` files: ``python -m bench.report AFTER.json [BEFORE.json]``.

One row per figure of AFTER: median, min, CPU-time median, peak memory and verdict; with BEFORE, its
median of the same figure beside it. The tables in bench/README.md were made with it.
"""
from __future__ import annotations

import json
import statistics
import sys


def _fmt(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.3g}" if abs(x) < 100 else f"{x:.0f}"


def table(after: dict, before: dict | None = None) -> str:
    prev = {f["name"]: f for f in (before or {}).get("figures", [])}
    head = ["figure", "target"] + (["before"] if before else []) + ["median", "min", "CPU median", "peak memory",
                                                                    "verdict"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for f in after["figures"]:
        runs = f["runs"]
        tgt = "—" if f["target"] is None else ("≥ " if f["higher_is_better"] else "≤ ") + _fmt(f["target"])
        mem = "—" if f["peak_mb"] is None else f"{f['peak_mb']:.1f} MB {'RSS' if f['memory_kind'] == 'rss' else 'traced'}"
        cpu = _fmt(statistics.median(f["cpu_ms"])) if f.get("cpu_ms") else "—"
        cells = [f["name"], f"{tgt} {f['unit']}" if f["target"] is not None else "—"]
        if before:
            b = prev.get(f["name"])
            cells.append(_fmt(b["median"]) if b and b["median"] is not None else "—")
        cells += [_fmt(f["median"]), _fmt(min(runs)) if runs else "—", cpu, mem,
                  f["verdict"] if not f.get("error") else f"not measured: {f['error'][:80]}"]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


if __name__ == "__main__":
    a = json.load(open(sys.argv[1]))
    b = json.load(open(sys.argv[2])) if len(sys.argv) > 2 else None
    print(a["header"])
    print()
    print(table(a, b))
