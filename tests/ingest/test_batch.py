"""Many law texts in one go (``ingest.batch``): all or nothing, the same rows as one law at a time,
parsed in worker processes at most two jobs ahead of the writer. On SQLite and PostgreSQL."""
from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from ingest.amending_laws import read_amending_laws
from ingest.batch import Job, default_workers, ingest_many, prepare
from ingest.errors import IngestError
from ingest.load import load_parsed
from ingest.parse import parse_law
from ingest.source import read_source
from model.engine import make_engine
from tests.hardening.util import snapshot

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "fixtures" / "informatization_418-V_eng.txt"


def variant(tmp: Path, number: int) -> Path:
    """The fixture as another law: its own number (so a distinct law) and one word changed."""
    text = FIXTURE.read_text(encoding="utf-8")
    assert "№ 418-V." in text
    text = reworded(text.replace("№ 418-V.", f"№ {number}-V.", 1))
    path = tmp / f"law_{number}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def reworded(text: str) -> str:
    """One word changed in the body (after the first article's heading), not in the law line."""
    body = text.index("Article 1.")
    return text[:body] + text[body:].replace(" the ", " the said ", 1)


@pytest.fixture(scope="module")
def amending():
    return read_amending_laws()


@pytest.fixture
def texts(tmp_path) -> list[Path]:
    return [FIXTURE] + [variant(tmp_path, n) for n in (9001, 9002, 9003, 9004)]


def test_the_bad_file_is_named_and_nothing_is_stored(db_url, tmp_path, texts, amending):
    bad = tmp_path / "bad.txt"
    bad.write_text("Law of the Republic of Kazakhstan\nnothing else\n", encoding="utf-8")
    engine = make_engine(db_url)
    load_parsed(engine, parse_law(read_source(str(FIXTURE)), amending))  # a law already there stays as it was
    before = snapshot(db_url)
    jobs = [Job(str(p)) for p in texts[1:3]] + [Job(str(bad))] + [Job(str(texts[3]))]
    with pytest.raises(IngestError) as err:
        ingest_many(engine, jobs, amending, workers=1)
    assert err.value.path == str(bad) and str(err.value).startswith(f"{bad}: ")
    # with the error raised (its traceback still alive), the worker processes are gone and the collector is on
    import gc
    import multiprocessing
    assert not multiprocessing.active_children() and gc.isenabled()
    engine.dispose()
    assert snapshot(db_url) == before


@pytest.mark.parametrize("workers", [0, 1, 2])
def test_same_rows_as_one_law_at_a_time(db_url, tmp_path, texts, amending, workers):
    one_by_one = f"sqlite:///{tmp_path / 'one_by_one.db'}"
    engine = make_engine(one_by_one)
    for p in texts:
        load_parsed(engine, parse_law(read_source(str(p)), amending))
    engine.dispose()
    engine = make_engine(db_url)
    stored = ingest_many(engine, [Job(str(p)) for p in texts], amending, workers=workers)
    engine.dispose()
    assert [s.number for s in stored] == ["418-V", "9001-V", "9002-V", "9003-V", "9004-V"]
    assert all(not s.result.unchanged for s in stored)
    assert snapshot(db_url) == snapshot(one_by_one)


def test_summary_counts_what_the_text_holds(tmp_path, amending):
    engine = make_engine(f"sqlite:///{tmp_path / 's.db'}")
    (s,) = ingest_many(engine, [Job(str(FIXTURE))], amending)
    # counted by hand in the fixture: "Section 1."… headings, "Article N." lines, "Footnote." notes
    text = FIXTURE.read_text(encoding="utf-8")
    headed = set(re.findall(r"^\s*Article (\d+(?:-\d+)*)\.", text, flags=re.M))
    # Chapter 7 ("excluded by … 141-VII") has no article headings left: the text goes from Article 44 to 48
    assert {"44", "48"} <= headed and not {"45", "46", "47"} & headed
    assert s.units["article"] == len(headed) + 3  # Articles 45–47 are units too (excluded with their chapter)
    # chapter headings are in capitals, Chapter 1 on the line of Section 1
    assert s.units["chapter"] == len(set(re.findall(r'\bChapter (\d+(?:-\d+)*)\. "?[A-Z]{3}', text)))
    assert s.footnotes == len(re.findall(r"^\s*Footnote\.", text, flags=re.M))
    assert s.language == "eng" and s.number == "418-V" and s.result.units == sum(s.units.values())
    again = ingest_many(engine, [Job(str(FIXTURE))], amending)
    assert again[0].result.unchanged


def test_workers_stay_at_most_two_jobs_ahead(tmp_path, texts, amending):
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    lines: list[str] = []
    ingest_many(engine, [Job(str(p)) for p in texts], amending, workers=1, step=lines.append)
    read = stored = 0
    for line in lines:
        if "reading and parsing" in line:
            read += 1
        elif line.startswith("storing"):
            stored += 1
            assert read <= stored + 2, lines  # job i stored while at most jobs i+1, i+2 are in the worker
    assert (read, stored) == (5, 5)


def test_the_writer_parses_the_first_job_while_the_workers_start_on_the_next(tmp_path, texts, amending):
    engine = make_engine(f"sqlite:///{tmp_path / 'f.db'}")
    lines: list[str] = []
    stored = ingest_many(engine, [Job(str(p)) for p in texts], amending, workers=1, step=lines.append)
    reads = [line for line in lines if "reading and parsing" in line]
    assert reads[:3] == [f"[2/5] reading and parsing {texts[1]} (worker process)",
                         f"[3/5] reading and parsing {texts[2]} (worker process)",
                         f"[1/5] reading and parsing {texts[0]}"]  # submitted first, then parsed here
    assert [s.path for s in stored] == [str(p) for p in texts]  # stored in the order given


def test_two_editions_of_one_law_in_one_batch(tmp_path, amending):
    newer = tmp_path / "newer.txt"
    newer.write_text(reworded(FIXTURE.read_text(encoding="utf-8")), encoding="utf-8")
    engine = make_engine(f"sqlite:///{tmp_path / 'e.db'}")
    stored = ingest_many(engine, [Job(str(FIXTURE)), Job(str(newer), edition_date=None)], amending, workers=1)
    assert [s.number for s in stored] == ["418-V", "418-V"]
    assert stored[1].result.units == stored[0].result.units  # the second edition duplicates no unit


def test_an_error_crosses_the_process_boundary_whole():
    err = pickle.loads(pickle.dumps(IngestError("no such file", "a/b.txt", 7)))
    assert (err.what, err.path, err.line, str(err)) == ("no such file", "a/b.txt", 7, "a/b.txt:7: no such file")


def test_one_job_or_one_cpu_parses_in_this_process(monkeypatch):
    monkeypatch.setattr("os.sched_getaffinity", lambda _pid: {0})
    assert default_workers(5) == 0
    monkeypatch.setattr("os.sched_getaffinity", lambda _pid: {0, 1, 2, 3})
    assert default_workers(1) == 0 and default_workers(2) == 2 and default_workers(10) == 3


def test_prepare_drops_the_lines_it_does_not_store(amending):
    p = prepare(Job(str(FIXTURE)), amending)
    assert p.parsed.source.lines == () and p.parsed.source.sha256 == read_source(str(FIXTURE)).sha256
    assert {v[0] for v in p.versions} == {u.eid for u in p.parsed.units}


def test_planner_statistics_are_fresh_after_a_batch(db_url, texts, amending):
    from ingest.load import statistics_basis
    engine = make_engine(db_url)
    stored = ingest_many(engine, [Job(str(p)) for p in texts[:3]], amending, workers=0)
    basis = statistics_basis(engine)
    engine.dispose()
    if db_url.startswith("sqlite"):
        assert basis is None  # SQLite: nothing to refresh
    else:  # the three laws' versions were sampled, not the empty table the statistics knew before
        assert basis == sum(s.result.versions for s in stored) > 6000


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_statistics_describe_the_key_columns_queries_select_join_and_order_by(db_url, texts, amending):
    from sqlalchemy import text
    engine = make_engine(db_url)
    ingest_many(engine, [Job(str(p)) for p in texts[:1]], amending, workers=0)
    with engine.connect() as c:
        def cols(table):
            return set(c.execute(text("SELECT attname FROM pg_stats WHERE tablename = :t"), {"t": table}).scalars())
        versions, events, units = cols("unit_version"), cols("event"), cols("unit")
    engine.dispose()
    assert versions == {"id", "law_id", "eid", "source_id"}  # not the wordings, bases, dates, statuses
    assert {"law_id", "source_id", "eid", "law_number", "effective_date"} <= events
    assert not events & {"effect_clause", "effective_note", "kind"}
    assert units == {"id", "law_id", "eid", "position"}


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_statistics_sample_is_small_and_the_plans_still_use_the_indexes(db_url, texts, amending):
    """The refresh samples 3,000 rows a table (statistics target 10: at most 10 common values and 11
    histogram bounds a column), for this transaction only; "this law" questions still go by the index."""
    from sqlalchemy import text
    engine = make_engine(db_url)
    ingest_many(engine, [Job(str(p)) for p in texts], amending, workers=0)
    with engine.connect() as c:
        bounds = c.execute(text("SELECT max(cardinality(histogram_bounds::text::text[])) FROM pg_stats "
                                "WHERE tablename = 'unit_version'")).scalar()
        target = c.execute(text("SHOW default_statistics_target")).scalar()
        law = c.execute(text("SELECT id FROM law WHERE number = '9002-V'")).scalar()
        plan = "\n".join(c.execute(text("EXPLAIN SELECT * FROM unit_version WHERE law_id = :l AND eid = 'art_7'"),
                                    {"l": law}).scalars())
    engine.dispose()
    assert bounds == 11 and target == "100"
    assert "Index Scan" in plan and "Seq Scan" not in plan


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_foreign_key_checks_use_the_index_whatever_the_statistics(db_url, tmp_path, amending):
    """A PostgreSQL database made before the statement-level reference checks has a foreign key per bulk
    table, checked row by row with a plan made once per connection; with statistics of a few-row
    ``source`` that plan was a sequential scan, kept while a batch grew the table."""
    import time

    from sqlalchemy import text

    from model.engine import init_db
    from model.references import REFERENCES
    engine = make_engine(db_url)
    init_db(engine)
    with engine.begin() as c:  # the schema as it was: foreign keys instead of the triggers
        for ref in REFERENCES:
            c.execute(text(f"ALTER TABLE {ref.child} ADD FOREIGN KEY ({', '.join(ref.child_cols)}) "
                           f"REFERENCES {ref.parent} ({', '.join(ref.parent_cols)})"))
            for suffix, table in (("insert", ref.child), ("update", ref.child), ("delete", ref.parent),
                                  ("rekey", ref.parent)):
                c.execute(text(f"DROP TRIGGER {ref.name}_{suffix} ON {table}"))
    ingest_many(engine, [Job(str(variant(tmp_path, n))) for n in (8001, 8002)], amending, workers=0)
    with engine.connect() as c:
        c.execute(text("ANALYZE source"))  # two rows: a sequential scan is the cheapest plan on paper
        c.commit()
    engine.dispose()
    before = _source_tuples_scanned(db_url)
    engine = make_engine(db_url)
    ingest_many(engine, [Job(str(variant(tmp_path, n))) for n in (8003, 8004, 8005)], amending, workers=0)
    engine.dispose()  # its backend exits and reports its statistics
    time.sleep(1.0)
    assert _source_tuples_scanned(db_url) - before < 1000  # ~13,000 checks: by index, not reading source


def _source_tuples_scanned(url: str) -> int:
    from sqlalchemy import create_engine, text
    eng = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with eng.connect() as c:
        c.execute(text("SELECT pg_stat_clear_snapshot()"))
        n = c.execute(text("SELECT seq_tup_read FROM pg_stat_user_tables WHERE relname = 'source'")).scalar()
    eng.dispose()
    return n


def test_the_tables_are_created_while_the_first_text_is_parsed(tmp_path, monkeypatch, amending):
    import threading

    import ingest.batch as batch
    parsing, seen = threading.Event(), []
    real_prepare, real_ready = batch.prepare, batch._database_ready

    def slow_prepare(*args, **kwargs):
        parsing.set()
        return real_prepare(*args, **kwargs)

    def ready(engine):
        seen.append(parsing.wait(10))  # False if the tables were created before the parse began
        return real_ready(engine)

    monkeypatch.setattr(batch, "prepare", slow_prepare)
    monkeypatch.setattr(batch, "_database_ready", ready)
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    stored = ingest_many(engine, [Job(str(FIXTURE))], amending, workers=0)
    assert seen == [True] and stored[0].result.units == 1277


def test_a_database_that_cannot_be_opened_is_the_error_and_nothing_is_left_running(tmp_path, amending):
    import threading

    from sqlalchemy.exc import OperationalError
    engine = make_engine(f"sqlite:///{tmp_path / 'no such dir' / 'x.db'}")
    threads = threading.active_count()
    with pytest.raises(OperationalError):
        ingest_many(engine, [Job(str(FIXTURE)), Job(str(FIXTURE))], amending, workers=1)
    assert threading.active_count() == threads


def test_in_this_process_the_versions_are_left_to_the_writer(amending):
    p = prepare(Job(str(FIXTURE)), amending, derive=False)
    assert p.versions is None and len(p.parsed.units) == 1277


def test_in_this_process_a_law_text_is_half_parsed_and_finished_by_the_store(amending, parsed):
    p = prepare(Job(str(FIXTURE)), amending, derive=False)
    assert p.rest is not None and p.parsed.number == "418-V" and len(p.parsed.units) == 1277
    assert p.rest() == parsed and p.rest() is p.rest()  # the whole parse, once


def test_the_units_are_written_while_the_notes_are_read(db_url, monkeypatch, amending):
    """The writer's first job: its unit rows go to the database before the rest of its parse runs — on
    PostgreSQL the rest waits here until the writing thread has started them (it would time out if the
    units were only written after the parse)."""
    import threading

    import ingest.batch as batch
    import ingest.load as load
    unit_write, real_write, real_rest = threading.Event(), load._write, batch.parse_rest
    order = []

    def write(conn, table, cols, rows, const=()):
        order.append(table.__tablename__)
        if table.__tablename__ == "unit":
            unit_write.set()
        return real_write(conn, table, cols, rows, const)

    def rest(head, amending_):
        order.append("rest of the parse")
        assert unit_write.wait(10)
        return real_rest(head, amending_)

    monkeypatch.setattr(load, "_write", write)
    monkeypatch.setattr(batch, "parse_rest", rest)
    engine = make_engine(db_url)
    stored = ingest_many(engine, [Job(str(FIXTURE))], amending, workers=0)
    engine.dispose()
    # 89: the lines of the text holding "Footnote." (grep -c) — the rest of the parse did run
    assert (stored[0].result.units, stored[0].result.events, stored[0].footnotes) == (1277, 417, 89)
    assert order[:2] in (["unit", "rest of the parse"], ["rest of the parse", "unit"])
    assert order[2:] == ["note", "event", "parse_warning", "unit_version"]


def test_an_error_of_the_rest_of_the_parse_leaves_nothing(db_url, tmp_path, monkeypatch, amending):
    """The rest of the parse fails while the units are being written: the error is the law's own, nothing
    is stored, no thread is left and Python's GIL switch interval is what it was."""
    import sys
    import threading

    import ingest.batch as batch
    engine = make_engine(db_url)
    load_parsed(engine, parse_law(read_source(str(FIXTURE)), amending))
    before, threads, switch = snapshot(db_url), threading.active_count(), sys.getswitchinterval()

    def rest(head, amending_):
        raise IngestError("the notes cannot be read", head.source.path, 7)

    monkeypatch.setattr(batch, "parse_rest", rest)
    path = variant(tmp_path, 9101)
    with pytest.raises(IngestError, match="the notes cannot be read") as err:
        ingest_many(engine, [Job(str(path))], amending, workers=0)
    assert err.value.path == str(path)
    engine.dispose()
    assert snapshot(db_url) == before
    assert threading.active_count() == threads and sys.getswitchinterval() == switch


def test_the_head_and_the_rest_of_a_parse_are_the_whole_parse(parsed, fixture_source, amending):
    from ingest.parse import parse_head, parse_rest
    head = parse_head(fixture_source)
    assert (head.number, str(head.date), str(head.commencement)) == ("418-V", "2015-11-24", "2016-01-01")
    assert head.units == parsed.units and parse_rest(head, amending) == parsed


def test_a_worker_pickles_its_result_with_the_collector_paused(monkeypatch, amending):
    """A worker's result is ``prepare``'s, pickled in the worker with Python's cyclic collector paused
    throughout the parse and the pickling (and enabled again after)."""
    import gc

    import ingest.batch as batch
    seen, real_prepare = [], batch.prepare

    def prepare_(*args, **kwargs):
        seen.append(gc.isenabled())
        out = real_prepare(*args, **kwargs)
        seen.append(gc.isenabled())
        return out

    monkeypatch.setattr(batch, "prepare", prepare_)
    monkeypatch.setattr(batch, "_AMENDING", amending)
    data = batch._prepare_in_worker(Job(str(FIXTURE)))
    assert seen == [False, False] and gc.isenabled()
    assert pickle.loads(data) == real_prepare(Job(str(FIXTURE)), amending)


@pytest.mark.parametrize("workers", [0, 1])
def test_each_job_is_stored_with_the_collector_paused_and_leaves_no_garbage(tmp_path, monkeypatch, texts, amending,
                                                                            workers):
    """The cyclic collector is paused for a whole job (parse, store, summary) and on again after the batch;
    what a job built is freed by reference counting — no cycle is left for a collection to find (a collection
    would otherwise scan a law's objects while they are still alive, or free them only later)."""
    import gc

    import ingest.batch as batch
    engine = make_engine(f"sqlite:///{tmp_path / 'gc.db'}")
    ingest_many(engine, [Job(str(p)) for p in texts[:1]], amending, workers=0)  # the tables, SQLAlchemy's caches
    seen = []
    for name in ("store_streamed", "store_parsed"):  # a job of this process, and one from a worker
        def store(*args, real=getattr(batch, name), **kwargs):
            seen.append(gc.isenabled())
            return real(*args, **kwargs)
        monkeypatch.setattr(batch, name, store)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        ingest_many(engine, [Job(str(p)) for p in texts[1:4]], amending, workers=workers)
        assert gc.isenabled()
        gc.collect()
        ours = [o for o in gc.garbage if type(o).__module__.split(".")[0] in ("ingest", "model")]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        engine.dispose()
    assert seen == [False] * 3 and ours == []
