"""Single-law figures: the fixture text parsed, ingested and queried, the dashboard pages, the CLI.

``single_law_figures(workdir)`` returns the figures in the order of ``bench/README.md``. Every
figure runs on a SQLite file database made here from ``fixtures/informatization_418-V_eng.txt``.
"""
from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from bench.measure import Figure, Measured, child, in_process

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "informatization_418-V_eng.txt"
APP = ROOT / "dashboard" / "app.py"
PAGES = ["timeline", "churn", "compare", "export", "quality"]
# (first date, second date): the timed as_of call is the second, on a warm index
DATE_PAIRS = [(date(2016, 3, 1), date(2024, 9, 15)), (date(2017, 6, 1), date(2023, 2, 1)),
              (date(2018, 1, 1), date(2022, 6, 30)), (date(2019, 5, 5), date(2021, 1, 1)),
              (date(2020, 7, 1), date(2016, 12, 31)), (date(2021, 9, 9), date(2018, 4, 4)),
              (date(2022, 2, 2), date(2017, 1, 15)), (date(2023, 3, 3), date(2019, 10, 10)),
              (date(2024, 4, 4), date(2020, 2, 29)), (date(2025, 1, 1), date(2016, 6, 6))]


def _fig(name: str, m: Measured, target: float | None = None, note: str = "") -> Figure:
    return Figure(name, "ms", m.ms, target=target, peak_mb=m.peak_mb, note=note, cpu_ms=m.cpu_ms)


def _forget_states(idx) -> None:
    """Drop the per-date unit states memoised on every cached law index (``idx`` and the indexes of other
    languages or cache keys) and the combined states of both texts (older versions have neither)."""
    from model import pointintime
    for other in [idx, *getattr(pointintime, "_CACHE", {}).values()]:
        getattr(other, "states", {}).clear()
    try:
        from model import evidence
        evidence._MEMO.clear()
    except ImportError:
        pass


def _pair(i: int) -> tuple[date, date]:
    return DATE_PAIRS[i % len(DATE_PAIRS)]


def _as_of_second_date(session, idx, runs: int) -> Measured:
    """``as_of`` on a warm index, timed on the second of two far-apart dates, the memo forgotten before each run."""
    from model import pointintime as pit

    def first_call(i: int) -> date:
        _forget_states(idx)
        a, b = _pair(i)
        pit.as_of(session=session, on=a)
        return b
    return in_process(lambda on: pit.as_of(session=session, on=on), runs=max(runs, 9), setup=first_call)


def parse_and_ingest(workdir: Path, runs: int) -> tuple[list[Figure], str]:
    """Parse and full-ingest figures; returns them and the URL of a database holding the fixture."""
    from ingest.amending_laws import read_amending_laws
    from ingest.load import load_parsed
    from ingest.parse import parse_law
    from ingest.source import read_source
    from model.engine import make_engine

    amending = read_amending_laws()
    m = in_process(lambda _: parse_law(read_source(str(FIXTURE)), amending), runs=max(runs, 9), warmup=2)
    parse = _fig("parse law text (structure + events)", m, target=100,
                 note=f"{FIXTURE.stat().st_size / 1e3:.0f} kB, read_source + parse_law")

    def fresh_db(i: int) -> str:
        return f"sqlite:///{workdir / f'ingest_{i + 100}.db'}"

    def ingest(url: str) -> None:
        engine = make_engine(url)
        load_parsed(engine, parse_law(read_source(str(FIXTURE)), amending))
        engine.dispose()

    m = in_process(ingest, runs=runs, warmup=1, setup=fresh_db)
    full = _fig("full ingest into a fresh SQLite file", m, target=300,
                note="parse + load_parsed, new file database each run")
    url = f"sqlite:///{workdir / 'fixture.db'}"
    ingest(url)
    return [parse, full], url


def query_figures(url: str, runs: int) -> list[Figure]:
    """as_of, compare and the two change-log exports on a warm index."""
    from sqlmodel import Session

    from model import pointintime as pit
    from model.akn import akn_document
    from model.changes import changelog, compare
    from model.engine import make_engine
    from model.exports import CHANGELOG_COLUMNS, changelog_records, to_csv

    engine = make_engine(url)
    out = []
    with Session(engine) as s:
        idx = pit.law_index(session=s)  # the index is built once per content version: warm from here on
        last = idx.last_change

        m = _as_of_second_date(s, idx, runs)
        out.append(_fig("as_of whole law, warm, second date", m, target=20,
                        note=f"{len(idx.units)} units; index warm, states memoised only from the first date"))

        def no_states(i: int) -> date:
            _forget_states(idx)
            return _pair(i)[1]

        m = in_process(lambda on: pit.as_of(session=s, on=on), runs=max(runs, 9), setup=no_states)
        out.append(_fig("as_of whole law, warm index, no memo", m,
                        note="every unit state computed (first date asked on this index)"))

        def do_compare(_):
            return compare(session=s, d1=date(2016, 1, 1), d2=last)
        m = in_process(do_compare, runs=runs)
        n = len(do_compare(None).changes)
        out.append(_fig("compare(2016-01-01, latest change)", m, target=50,
                        note=f"{n} changes, to {last}; repeated call"))
        m = in_process(do_compare, runs=runs, setup=lambda i: _forget_states(idx))
        out.append(_fig("compare, no memo", m, note="unit states not memoised"))

        def csv_export(_):
            return to_csv(changelog_records(changelog(session=s)), CHANGELOG_COLUMNS)
        m = in_process(csv_export, runs=runs)
        out.append(_fig("change log export CSV, whole history", m, target=100,
                        note=f"{len(csv_export(None)) / 1e3:.0f} kB"))

        def akn_export(_):
            return akn_document(session=s, on=last, events=idx.events)
        m = in_process(akn_export, runs=runs)
        out.append(_fig("change log export Akoma Ntoso, all events", m, target=100,
                        note=f"{len(akn_export(None)) / 1e3:.0f} kB, on {last}, {len(idx.events)} events"))
        m = in_process(akn_export, runs=runs, setup=lambda i: _forget_states(idx))
        out.append(_fig("Akoma Ntoso export, no memo", m, note="unit states not memoised"))
    engine.dispose()
    return out


RUSSIAN_ACT = ROOT / "fixtures" / "kazakhstan-law-codes" / "03-laws" / "20151124-o-kiberbezopasnosti-95699"


def bilingual_figures(workdir: Path, runs: int) -> list[Figure]:
    """as_of with both texts (the database `lawtrack serve` builds): the official text decides, every unit
    labelled with the translation's agreement; warm, second date, as the single-language figure."""
    from sqlmodel import Session

    from ingest.amending_laws import read_amending_laws
    from ingest.load import load_parsed
    from ingest.mirror import read_act_dir
    from ingest.parse import parse_law
    from ingest.parse_ru import parse_law_ru
    from ingest.source import read_source
    from model import pointintime as pit
    from model.engine import make_engine

    url = f"sqlite:///{workdir / 'bilingual.db'}"
    engine = make_engine(url)
    amending = read_amending_laws()
    load_parsed(engine, parse_law(read_source(str(FIXTURE)), amending))
    act = read_act_dir(str(RUSSIAN_ACT))
    load_parsed(engine, parse_law_ru(act, amending, number="418-V"), edition_date=act.edition_date)
    out = []
    with Session(engine) as s:
        states = pit.as_of(session=s, on=date(2026, 2, 1))
        m = _as_of_second_date(s, pit.law_index(session=s), runs)
        out.append(_fig("as_of whole law, both texts, warm, second date", m, target=20,
                        note=f"{len(states)} units; official text decides, translation labelled"))
    engine.dispose()
    return out


def dashboard_figures(url: str, runs: int) -> list[Figure]:
    """Each page rendered by AppTest, warm: after one render of the page, the median of re-renders."""
    os.environ["LAWTRACK_DB"] = url
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")  # no "missing ScriptRunContext" warnings
    from streamlit.testing.v1 import AppTest

    out = []
    for page in [None] + PAGES:
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.run()
        if page:
            at.switch_page(f"app_pages/{page}.py")
            at.run()
        name = f"dashboard page {page or 'law_as_of (default)'}"
        if at.exception:
            out.append(Figure(name, "ms", [], target=300, error=f"exception: {at.exception[0].value}"))
            continue
        m = in_process(lambda _: at.run(), runs=runs)
        fig = _fig(name, m, target=300, note="AppTest.run() of the page after a first render (caches warm)")
        if at.exception:
            fig.error = f"exception: {at.exception[0].value}"
        out.append(fig)
    return out


def cli_figure(url: str, runs: int) -> Figure:
    """`lawtrack laws` as a whole process: spawn to first byte on stdout."""
    exe = Path(sys.executable).parent / "lawtrack"
    cmd = [str(exe), "laws", "--db", url]
    env = dict(os.environ)
    env.pop("LAWTRACK_DB", None)
    warm = child(cmd, env=env)
    if warm.returncode != 0:
        return Figure("lawtrack laws start-up to first output", "ms", [], target=1000,
                      error=f"exit {warm.returncode}: {warm.stderr.decode(errors='replace').strip()[:200]}")
    rs = [child(cmd, env=env) for _ in range(runs)]
    return Figure("lawtrack laws start-up to first output", "ms", [r.first_output_ms for r in rs], target=1000,
                  peak_mb=max(r.max_rss_mb for r in rs), memory_kind="rss", cpu_ms=[r.cpu_ms for r in rs],
                  note="whole process (GNU time %M); to exit: median "
                       f"{sorted(r.total_ms for r in rs)[len(rs) // 2]:.0f} ms")


def single_law_figures(workdir: Path, runs: int = 7) -> list[Figure]:
    figures, url = parse_and_ingest(workdir, runs)
    figures += query_figures(url, runs)
    figures += bilingual_figures(workdir, runs)
    figures += dashboard_figures(url, runs)
    figures.append(cli_figure(url, runs))
    return figures
