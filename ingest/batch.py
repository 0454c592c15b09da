"""Ingest many law texts at once: parsed in worker processes while this process writes, one transaction.

``ingest_many(engine, jobs, amending)`` reads and parses every job (a law text file, or an act
directory of the mirror) and derives its unit versions (``load.version_rows``) — in worker processes
when there is more than one job and more than one CPU — and stores the results in job order, in one
transaction.

After calling it, the following are guaranteed:

1. Every job is stored, each exactly as ``load.load_parsed`` would store it, in the order given (a
   later edition of a law sees the earlier ones of the same batch); or, on any error (a file that
   cannot be read or parsed, a database error, the process killed), **nothing** is stored.
2. An error is the first failing job's own: an ``IngestError`` naming the file (and line).
3. On PostgreSQL, the planner's statistics are fresh when it returns, if the batch grew the tables by
   more than a tenth (``load.refresh_statistics``).
4. Memory stays bounded whatever the number of jobs: workers run at most ``2 × workers`` jobs ahead of
   the writer, and only a small ``IngestSummary`` of each stored job is kept.

The tables are created (when missing) by a thread while the first job is parsed: on a new PostgreSQL
database that is 0.1–0.2 s of the server's work. The writer parses the first job itself (the only one
without workers) while the workers start on the next ones — of a law text only the first half
(``parse.parse_head``: the units) before storing it; ``load.store_streamed`` reads its notes while the
units are written and derives its unit versions while the notes and events are, so that PostgreSQL
works on the rows meanwhile.

Why worker processes: a law's parse and version derivation (~60 ms for the 265 kB fixture) and its
writing (~50 ms) are both Python work; on two CPUs they overlap (and on PostgreSQL the server works
on the rows meanwhile), so a corpus ingests at about the speed of the slower half.
"""
from __future__ import annotations

import dataclasses
import functools
import multiprocessing
import os
import pickle
import signal
from collections import Counter, deque
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable, Iterator

from sqlalchemy.engine import Engine
from sqlmodel import Session

from ingest.amending_laws import AmendingLawInfo
from ingest.errors import IngestError
from ingest.load import LoadResult, refresh_statistics, statistics_basis, store_parsed, store_streamed, version_rows
from ingest.mirror import read_act_dir
from ingest.parse import ParsedHead, ParsedLaw, gc_paused, parse_head, parse_law, parse_rest
from ingest.parse_ru import parse_law_ru
from ingest.source import read_source
from model.engine import init_db

UNIT_KINDS = ("section", "chapter", "article", "paragraph", "subparagraph", "part", "heading")  # then any other kind


@dataclass(frozen=True)
class Job:
    """One thing to ingest: a law text file, or (``act``) an act directory of the mirror."""

    path: str
    act: bool = False
    number: str | None = None          # an act directory's law number (its Russian text does not state it)
    edition_date: date | None = None   # the edition's date; an act directory's own date otherwise


@dataclass(frozen=True)
class Prepared:
    """A job parsed, with its unit versions derived: everything ``store_parsed`` needs — or (``rest``
    set) half parsed: ``store_streamed`` finishes the parse while it writes the units."""

    job: Job
    parsed: ParsedLaw | ParsedHead     # a whole parse: its ``source.lines`` dropped (not stored; spares the copy between processes)
    versions: list[tuple] | None       # None: derived while storing (``store_parsed``)
    edition_date: date | None
    rest: Callable[[], ParsedLaw] | None = None  # set: ``parsed`` is the head; ``rest()`` the whole (cached)


@dataclass(frozen=True)
class IngestSummary:
    """What a stored job held, for the ingest report."""

    path: str
    name: str
    title: str
    number: str
    date: date | None
    commencement: date | None
    language: str
    edition_date: date | None
    units: dict[str, int]              # per kind: ``UNIT_KINDS`` in that order, then the others (preamble, …)
    footnotes: int
    inline_markers: int
    events: dict[str, int]             # per kind
    effective_bases: dict[str, int]
    amending_laws: int
    warnings: int
    repaired: int
    unparsed: int
    result: LoadResult


def summarize(parsed: ParsedLaw, result: LoadResult, edition_date: date | None, path: str = "") -> IngestSummary:
    """The report of one stored law text."""
    kinds = Counter(u.kind for u in parsed.units)
    sev = Counter(w.severity for w in parsed.warnings)
    return IngestSummary(
        path=path or parsed.source.path, name=parsed.source.name, title=parsed.title, number=parsed.number,
        date=parsed.date, commencement=parsed.commencement, language=parsed.language, edition_date=edition_date,
        units={k: kinds[k] for k in (*UNIT_KINDS, *sorted(kinds.keys() - set(UNIT_KINDS)))}, footnotes=sum(1 for n in parsed.notes if n.kind == "footnote"),
        inline_markers=sum(1 for n in parsed.notes if n.kind == "inline"),
        events=dict(sorted(Counter(e.kind for e in parsed.events).items())),
        effective_bases=dict(sorted(Counter(e.effective_basis for e in parsed.events).items())),
        amending_laws=len(parsed.amending_laws), warnings=len(parsed.warnings), repaired=sev.get("repaired", 0),
        unparsed=sev.get("unparsed", 0), result=result)


def prepare(job: Job, amending: dict[str, AmendingLawInfo],
            progress: Callable[[str], None] = lambda _m: None, *, derive: bool = True) -> Prepared:
    """Read and parse ``job`` and (``derive``) derive its unit versions (no database: runs in a worker process).

    Without ``derive`` (a job prepared in the writer's own process) the versions are left to the store,
    which on PostgreSQL derives them while the server writes the law's other rows; and a law text is
    only half parsed (``parse.parse_head``): the store reads its notes while the units are written."""
    if job.act:
        act = read_act_dir(job.path)
        parsed = parse_law_ru(act, amending, number=job.number)
        edition = job.edition_date or act.edition_date
    elif not derive:
        head = parse_head(read_source(job.path))
        return Prepared(job, head, None, job.edition_date, rest=functools.cache(lambda: parse_rest(head, amending)))
    else:
        parsed = parse_law(read_source(job.path), amending)
        edition = job.edition_date
    versions = None
    if derive:
        progress("deriving unit versions")
        versions = version_rows(parsed)
    parsed = dataclasses.replace(parsed, source=dataclasses.replace(parsed.source, lines=()))
    return Prepared(job, parsed, versions, edition)


def default_workers(n_jobs: int) -> int:
    """Worker processes for ``n_jobs``: one CPU is left to the writer; 0 (parse here) for one job or one CPU."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return 0 if n_jobs <= 1 else max(0, min(cpus - 1, n_jobs))


def ingest_many(engine: Engine, jobs: Iterable[Job], amending: dict[str, AmendingLawInfo], *,
                workers: int | None = None, step: Callable[[str], None] = lambda _m: None,
                progress: Callable[[str], None] = lambda _m: None) -> list[IngestSummary]:
    """Store every job in one transaction (see the module guarantees); their summaries, in job order.

    ``workers``: parsing processes (default ``default_workers``; 0: parse in this process, one job at a
    time). ``step`` hears one line as each job is read and as it is stored; ``progress`` the details.
    """
    jobs = list(jobs)
    n = len(jobs)
    workers = default_workers(n) if workers is None else workers
    out = []
    with ThreadPoolExecutor(max_workers=1) as setup_pool:
        # The tables are created (on a new PostgreSQL database, 0.1–0.2 s of the server's work) while the
        # first job is parsed. Started only once the worker processes are forked: no fork while a thread runs.
        setup: list[Future] = []

        def start_setup() -> None:
            setup.append(setup_pool.submit(_database_ready, engine))

        with Session(engine) as session, session.begin():  # the connection is taken by the first store
            prepared = _prepared(jobs, amending, workers, step, progress, start_setup)
            try:
                for i in range(1, n + 1):
                    # The collector is paused for a whole job — its parse (or unpickling), store and summary —
                    # and resumes once the job's ~100,000 objects are freed (by reference counting): a pause of
                    # each step alone ended with a collection scanning them while still alive (3 ms a law).
                    with gc_paused():
                        p = next(prepared)
                        before = setup[0].result()  # the setup's error, if any, is raised here
                        step(f"storing {p.parsed.source.name} ({i}/{n})")
                        if p.rest is None:
                            res = store_parsed(session, p.parsed, edition_date=p.edition_date, progress=progress,
                                               versions=p.versions)
                        else:
                            res = store_streamed(session, p.parsed, p.rest, edition_date=p.edition_date,
                                                 progress=progress, versions=p.versions)
                        out.append(summarize(p.rest() if p.rest else p.parsed, res, p.edition_date, p.job.path))
                        del p, res
                next(prepared, None)  # to its end (no jobs: it starts the setup)
            finally:  # also on an error: the worker pool shut down now, not when the traceback is freed
                prepared.close()
            before = setup[0].result()
            refresh_statistics(session, before, sum(x.result.versions for x in out if not x.result.unchanged))
    return out


def _database_ready(engine: Engine) -> float | None:
    """The tables created if missing; ``load.statistics_basis`` before the batch."""
    init_db(engine)
    return statistics_basis(engine)


def _prepared(jobs: list[Job], amending: dict[str, AmendingLawInfo], workers: int,
              step: Callable[[str], None], progress: Callable[[str], None],
              started: Callable[[], None] = lambda: None) -> Iterator[Prepared]:
    """``prepare`` of every job, in order: here (the versions left to the writer), or in ``workers``
    processes at most ``2 × workers`` jobs ahead — all but the first, which this process parses while the
    workers start on the next ones (it would otherwise wait for the first result with nothing to do).
    ``started`` is called once the processes are forked."""
    n = len(jobs)
    if workers <= 0:
        started()
        for i, job in enumerate(jobs, start=1):
            step(f"[{i}/{n}] reading and parsing {job.path}")
            yield prepare(job, amending, progress, derive=False)
        return
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")  # fork: no re-import per worker
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(amending,))
    pending: deque[tuple[Job, Future]] = deque()
    submitted = 1  # the first job is parsed here (below) while the workers start on the next ones at once

    def submit() -> None:
        nonlocal submitted
        job = jobs[submitted]
        submitted += 1
        step(f"[{submitted}/{n}] reading and parsing {job.path} (worker process)")
        pending.append((job, pool.submit(_prepare_in_worker, job)))

    try:
        while submitted < min(n, 1 + 2 * workers):
            submit()
        started()
        if n:  # nothing to wait for yet: the writer parses the first job itself (its versions left to the store)
            step(f"[1/{n}] reading and parsing {jobs[0].path}")
            yield prepare(jobs[0], amending, progress, derive=False)
        while pending:
            job, fut = pending.popleft()
            try:
                prepared = pickle.loads(fut.result())
            except BrokenProcessPool as err:
                raise IngestError(f"the worker process parsing it stopped ({err})", job.path) from None
            if submitted < n:
                submit()
            yield prepared
    finally:  # also when the writer fails: jobs not started are dropped, running ones finish
        pool.shutdown(wait=True, cancel_futures=True)


_AMENDING: dict[str, AmendingLawInfo] = {}


def _init_worker(amending: dict[str, AmendingLawInfo]) -> None:
    global _AMENDING
    _AMENDING = amending
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the writer's to handle (it rolls back), not each worker's


def _prepare_in_worker(job: Job) -> bytes:
    """``prepare`` of ``job``, pickled here with the collector paused throughout: the ~100,000 objects of a
    parse are freed (by reference counting) once pickled, before the collector runs again — rather than
    scanned by it after the parse and after the versions' derivation while still alive (a worker's law
    80 → 71 ms)."""
    with gc_paused():
        return pickle.dumps(prepare(job, _AMENDING), protocol=pickle.HIGHEST_PROTOCOL)
