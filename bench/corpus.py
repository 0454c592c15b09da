"""Scale: a synthetic corpus of N distinct laws made from the fixture, ingested on SQLite or PostgreSQL.

Law ``i`` of the corpus is the fixture with
1. its own number in the law line (``№ 418-V`` → ``№ {10001 + i}-V``), so it is a distinct law;
2. every date in the text (law line, notes, entry-into-force clauses, commencement) moved ``(37·i) mod 730``
   days later, so its events and lifecycles differ from the others';
3. about 3 % of its body lines perturbed (" the " → " the said ", lines chosen by a seeded RNG), so its
   sha256 and wordings differ. The structure (numbering, notes) is unchanged.

``run_scale(url, sizes)`` grows one database through the sizes (1, 10, 100, 1000: laws 1..1, 2..10,
11..100, 101..1000), each law in its own ``load_parsed`` transaction, and after each stage measures
``as_of`` on sampled laws. Run as a script (``python -m bench.corpus URL SIZES OUT.json``) so that its
peak RSS is its own.
"""
from __future__ import annotations

import json
import random
import re
import sys
import time
from datetime import date, timedelta
from pathlib import Path

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


def run_scale(url: str, sizes: list[int], progress=lambda m: None) -> dict:
    """Grow one database through ``sizes`` and measure each stage (see the module docstring)."""
    import resource

    from sqlmodel import Session, select

    from ingest.load import load_parsed
    from ingest.parse import parse_law
    from ingest.source import decode_source
    from model import pointintime as pit
    from model import tables as t
    from model.engine import make_engine

    base = FIXTURE.read_text(encoding="utf-8")
    engine = make_engine(url)
    law_ids: list[int] = []
    stages = []
    done = 0
    for n in sizes:
        t_parse = t_load = 0.0
        nbytes = 0
        t0 = time.perf_counter()
        for i in range(done, n):
            data = synthetic_law(base, i).encode("utf-8")
            a = time.perf_counter()
            parsed = parse_law(decode_source(data, f"law_{i}.txt"), {})
            b = time.perf_counter()
            res = load_parsed(engine, parsed)
            t_parse += b - a
            t_load += time.perf_counter() - b
            nbytes += len(data)
            law_ids.append(res.law_id)
            if (i + 1) % 50 == 0:
                progress(f"{i + 1}/{n} laws ingested")
        wall = time.perf_counter() - t0
        ingested = n - done
        done = n
        cold, warm = [], []
        with Session(engine) as s:
            n_units = s.exec(select(t.Unit.id).order_by(t.Unit.id.desc()).limit(1)).first()
        for j, k in enumerate(_sample(n)):
            pit._CACHE.clear()  # cold: law_index (the database queries) is part of the figure
            on, other = date(2019 + j % 5, 3, 1), date(2023 - j % 5, 9, 1)
            with Session(engine) as s:
                a = time.perf_counter()
                pit.as_of(session=s, on=on, law_id=law_ids[k])
                cold.append((time.perf_counter() - a) * 1000)
                getattr(pit.law_index(session=s, law_id=law_ids[k]), "states", {}).clear()
                pit.as_of(session=s, on=on, law_id=law_ids[k])
                a = time.perf_counter()
                pit.as_of(session=s, on=other, law_id=law_ids[k])
                warm.append((time.perf_counter() - a) * 1000)
        stages.append(dict(n=n, ingested=ingested, mb=nbytes / 1e6,
                           # throughput counts parse + load only (the synthetic text is made outside the timer)
                           seconds=t_parse + t_load, parse_s=t_parse, load_s=t_load, wall_s=wall,
                           mb_per_s=(nbytes / 1e6) / (t_parse + t_load),
                           as_of_cold_ms=cold, as_of_warm_ms=warm, unit_rows=n_units,
                           max_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
        progress(f"N={n}: {stages[-1]['mb_per_s']:.2f} MB/s, as_of cold {sorted(cold)[len(cold) // 2]:.1f} ms")
    engine.dispose()
    return dict(url=url.split("@")[-1], stages=stages)


def main(argv: list[str]) -> None:
    url, sizes, out = argv[0], [int(x) for x in argv[1].split(",")], argv[2]
    result = run_scale(url, sizes, progress=lambda m: print(f"  [scale] {m}", file=sys.stderr, flush=True))
    Path(out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
