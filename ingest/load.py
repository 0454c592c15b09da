"""Write a ``ParsedLaw`` into the database — the only ingest module that imports ``model``.

``load_parsed`` runs in one transaction: either every row of the edition is written, or (on any
error, or if the process dies) the database is left exactly as it was. Loading the same source
(same sha256) again changes nothing. Another edition of the same law adds its source, notes, events
and unit versions (never duplicate units), and records the word diffs of units whose text differs
from the editions just before and after it. Point-in-time answers use the newest edition's notes
and treat older editions' texts as dated wordings.

``store_parsed`` does the same inside a transaction the caller holds (``ingest.batch`` stores many
laws in one), optionally with the unit versions already derived by ``version_rows`` (a pure function
of the parsed text, so a worker process can run it). ``store_streamed`` takes a law half parsed
(``parse.parse_head``) and finishes its parse while the units are written.
"""
from __future__ import annotations

import functools
import json
import queue
import sys
import threading
from dataclasses import dataclass
from datetime import date
from typing import Callable

from sqlalchemy import Date, ForeignKeyConstraint, UniqueConstraint, bindparam, insert, text, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ingest.parse import ParsedHead, ParsedLaw, gc_paused
from model import tables as t
from model.engine import init_db
from model.labels import short_label
from model.lifecycle import LEvent, LUnit, changes_touching, derive_lifecycles
from model.textdiff import classify, word_diff
from model.versions import edition_versions

DEFAULT_COMMENCEMENT = date(2016, 1, 1)


@dataclass(frozen=True)
class LoadResult:
    law_id: int
    source_id: int
    unchanged: bool
    units: int
    events: int
    notes: int
    warnings: int
    amending_laws: int
    versions: int


def load_parsed(engine: Engine, parsed: ParsedLaw, *, edition_date: date | None = None,
                progress: Callable[[str], None] = lambda _m: None) -> LoadResult:
    """Store ``parsed`` in its own transaction; idempotent per source file (see the module docstring)."""
    init_db(engine)
    before = statistics_basis(engine)
    with Session(engine) as session, session.begin():
        result = store_parsed(session, parsed, edition_date=edition_date, progress=progress)
        refresh_statistics(session, before, 0 if result.unchanged else result.versions)
    return result


_ANALYZED = (t.Law, t.Source, t.AmendingLaw, t.Unit, t.UnitVersion, t.Event, t.Note, t.ParseWarningRow)


def analyze_statement() -> str:
    """``ANALYZE`` of the law tables, each on its key columns only: primary key, foreign keys, indexed and
    unique columns — what every query selects, joins and orders by (law, source, unit, position, date,
    amending law). The other columns are only ever filtered after an index lookup of one law's rows; their
    statistics change no plan. Sampling every column was 3× the time (22–31 ms against 8 for one law);
    autovacuum's own ANALYZE later takes them all."""
    parts = []
    for table in _ANALYZED:
        tab = table.__table__
        keys = {c.name for c in tab.primary_key.columns}
        for ix in tab.indexes:
            keys |= {c.name for c in ix.columns}
        for con in tab.constraints:
            if isinstance(con, (UniqueConstraint, ForeignKeyConstraint)):
                keys |= {c.name for c in con.columns}
        parts.append(f'"{tab.name}" ({", ".join(c.name for c in tab.columns if c.name in keys)})')
    return "ANALYZE " + ", ".join(parts)


def statistics_basis(engine: Engine) -> float | None:
    """PostgreSQL: the number of unit versions its planner statistics were taken on (-1: never); None elsewhere."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT reltuples FROM pg_class WHERE relname = 'unit_version'").scalar()


def refresh_statistics(session: Session, basis: float | None, versions_written: int) -> None:
    """PostgreSQL: ANALYZE the law tables when a load added more than a tenth to what their statistics
    describe (autovacuum's own rule, applied at once rather than a minute or more later: meanwhile the
    planner takes the grown tables for the small ones it last sampled and picks nested loops over
    thousands of rows). ``basis``: ``statistics_basis`` before the load.

    Called in the load's own transaction, before its commit: ANALYZE counts and samples the rows the
    transaction wrote, and its statistics are committed (or rolled back) with them — one commit, not two
    (a second one waited for its own WAL flush)."""
    if basis is None or versions_written <= 50 + 0.1 * max(basis, 0):
        return
    conn = session.connection()
    # A sample of 3,000 rows a table (PostgreSQL's default: 30,000): enough for what plans a "this law"
    # query — the tables' sizes and the number of laws, units and sources among the key columns — at a
    # quarter of the time (a 10-law database: 13 against 45–63 ms for its unit versions alone).
    # Autovacuum's own ANALYZE later takes the default sample. For this transaction only (SET LOCAL).
    conn.exec_driver_sql("SET LOCAL default_statistics_target = 10")
    conn.exec_driver_sql(analyze_statement())


def version_rows(parsed: ParsedLaw) -> list[tuple]:
    """Every unit version of the edition, as ``(eid, text, valid_from, valid_to, status, confidence, basis)``
    rows in unit order. Depends on ``parsed`` alone (no database): ``ingest.batch`` runs it in the worker
    process that parsed the text."""
    with gc_paused():
        lunits = [LUnit(u.eid, u.kind, u.number, u.parent, u.present) for u in parsed.units]
        levents = [LEvent(e.unit, e.kind, e.law_number, e.effective_date, e.effective_basis) for e in parsed.events]
        lcs = derive_lifecycles(lunits, levents, parsed.commencement or DEFAULT_COMMENCEMENT)
        changes = changes_touching(lunits, levents)
        memo: dict = {}
        return [tuple(v)  # (eid, text, valid_from, valid_to, status, confidence, basis)
                for u in parsed.units
                for v in edition_versions(u.eid, u.text, u.present, lcs[u.eid], changes.get(u.eid, []), memo)]


def store_parsed(session: Session, parsed: ParsedLaw, *, edition_date: date | None = None,
                 progress: Callable[[str], None] = lambda _m: None,
                 versions: list[tuple] | None = None) -> LoadResult:
    """Store ``parsed`` in the session's transaction (the caller begins and commits it; the tables exist).

    ``versions``: ``version_rows(parsed)`` if already derived (elsewhere, e.g. in a worker process);
    derived here otherwise. Idempotent per source file, as ``load_parsed``.
    """
    return store_streamed(session, parsed, lambda: parsed, edition_date=edition_date, progress=progress,
                          versions=versions)


def store_streamed(session: Session, head: ParsedHead | ParsedLaw, rest: Callable[[], ParsedLaw], *,
                   edition_date: date | None = None, progress: Callable[[str], None] = lambda _m: None,
                   versions: list[tuple] | None = None) -> LoadResult:
    """``store_parsed`` of a law whose parse ``rest()`` finishes while its units are written.

    ``head``: the first half of the parse (``parse.parse_head``: number, title, dates, units), or the
    whole ``ParsedLaw``; ``rest()``: the whole ``ParsedLaw`` (``parse.parse_rest``) — called once, after
    the law's and source's rows are written, while the units are (on PostgreSQL the server works on
    them meanwhile). Nothing is called when the source is already stored. An error of ``rest()`` is
    raised as it is, the session's transaction to be rolled back by the caller.
    """
    with gc_paused():
        if session.connection().dialect.name == "postgresql":
            # every query of a load is an index lookup, the reference checks included (``model.references``:
            # once per statement; in a database made before them, a foreign-key check per row). With
            # statistics of a few-row ``source`` PostgreSQL planned a sequential scan for the per-row check
            # and kept that plan while a batch grew the table ten-fold (a 900-law batch ingested at half the speed)
            session.exec(text("SET LOCAL enable_seqscan = off"))
        return _store(session, head, rest, edition_date, progress, versions)


# The rows of the law and its source, in SQL written out: as ORM objects, their statements (select, insert,
# update) were compiled anew by every engine — half of the 10 ms a law took to start writing its units.
_LAW_ID = text("SELECT id FROM law WHERE number = :number")
_SOURCE_ID = text("SELECT id FROM source WHERE law_id = :law_id AND sha256 = :sha256")
_NEW_LAW = text("INSERT INTO law (number, title, date, commencement, content_version) "
                "VALUES (:number, :title, :date, :commencement, 0) RETURNING id").bindparams(
    bindparam("date", type_=Date), bindparam("commencement", type_=Date))
_NEW_SOURCE = text("INSERT INTO source (law_id, name, sha256, size, kind, language, edition_date) "
                   "VALUES (:law_id, :name, :sha256, :size, 'consolidated', :language, :edition_date) "
                   "RETURNING id").bindparams(bindparam("edition_date", type_=Date))
_SOURCE_DESCRIBED = text("UPDATE source SET description = :description WHERE id = :id")
_LAW_UPDATED = text(  # the title people read in this tool is the English one
    "UPDATE law SET content_version = COALESCE(content_version, 0) + 1, "
    "title = CASE WHEN :english OR title IS NULL OR title = '' THEN :title ELSE title END, "
    "date = :date, commencement = COALESCE(:commencement, commencement) WHERE id = :id").bindparams(
    bindparam("date", type_=Date), bindparam("commencement", type_=Date))


def _store(session: Session, head: ParsedHead | ParsedLaw, rest: Callable[[], ParsedLaw],
           edition_date: date | None, progress: Callable[[str], None], versions: list[tuple] | None) -> LoadResult:
    session.flush()  # (statements below go around the ORM: nothing of it may be pending)
    conn = session.connection()
    law_id = conn.execute(_LAW_ID, {"number": head.number}).scalar()
    new_law = law_id is None  # nothing of this law is stored yet: no query needs to look for its rows
    if new_law:
        law_id = conn.execute(_NEW_LAW, {"number": head.number, "title": head.title, "date": head.date,
                                         "commencement": head.commencement}).scalar_one()
    else:
        existing = conn.execute(_SOURCE_ID, {"law_id": law_id, "sha256": head.source.sha256}).scalar()
        if existing is not None:
            progress("source already ingested: nothing to do")
            return _counts(session, law_id, existing, unchanged=True)
    src_id = conn.execute(_NEW_SOURCE, {"law_id": law_id, "name": head.source.name, "sha256": head.source.sha256,
                                        "size": head.source.size, "language": head.language,
                                        "edition_date": edition_date}).scalar_one()  # described below
    progress(f"writing {len(head.units)} units")
    known = {} if new_law else {u.eid: u for u in session.exec(select(t.Unit).where(t.Unit.law_id == law_id))}
    new_units = []
    for u in head.units:
        row = known.get(u.eid)
        if row is None:
            new_units.append((u.eid, u.kind, u.number, u.parent, u.position, short_label(u.eid), u.present,
                              u.line_start, u.line_end))
        elif head.language == "eng":  # the English edition orders the units shown (see latest_edition)
            row.kind, row.number, row.parent_eid, row.position = u.kind, u.number, u.parent, u.position
            row.label, row.present, row.line_start, row.line_end = (short_label(u.eid), u.present,
                                                                    u.line_start, u.line_end)
    # Rows are written in bulk (one executemany or COPY per table), not one ORM object each:
    # building and flushing thousands of SQLModel objects was most of the ingest time. On PostgreSQL
    # the server writes each batch while this thread computes the next (see ``_Writer``).
    # The key columns (law, source, language) are the same for every row of a table: given once
    # (``_write``'s ``const``), not in each row.
    law_key, source_key = (("law_id", law_id),), (("law_id", law_id), ("source_id", src_id))
    with _Writer(session) as w:
        w.insert(t.Unit, _UNIT_COLS, new_units, law_key)
        parsed = rest()
        progress(f"writing {len(parsed.amending_laws)} amending laws, {len(parsed.notes)} notes and "
                 f"{len(parsed.events)} events")
        w.run(_upsert_amending, [(a.number, a.date, a.title, a.publication_date, a.source)
                                 for a in parsed.amending_laws])
        w.insert(t.Note, _NOTE_COLS, [(n.line, n.kind, n.text, n.context) for n in parsed.notes], source_key)
        w.insert(t.Event, _EVENT_COLS,
                 [(e.unit, e.kind, e.law_number, e.law_date, e.effect_clause, e.effective_date, e.effective_basis,
                   e.effective_note, e.source_line, e.note_kind) for e in parsed.events], source_key)
        w.insert(t.ParseWarningRow, _WARNING_COLS,
                 [(w_.line, w_.text, w_.reason, w_.severity) for w_ in parsed.warnings], source_key)
        if versions is None:
            progress("deriving unit versions")
            versions = version_rows(parsed)
        w.insert(t.UnitVersion, _VERSION_COLS, versions, (*source_key, ("language", parsed.language)))
    conn.execute(_SOURCE_DESCRIBED, {"id": src_id, "description": f"consolidated text, amendments up to Law № "
                                     f"{parsed.amending_laws[-1].number if parsed.amending_laws else '—'}"})
    progress("comparing with the neighbouring editions")
    if not new_law:  # a new law has one edition: nothing to compare with
        _record_edition_changes(session, law_id, session.get(t.Source, src_id),
                                {u.eid: u.text for u in parsed.units if u.present})
    conn.execute(_LAW_UPDATED, {"id": law_id, "english": parsed.language == "eng", "title": parsed.title,
                                "date": parsed.date, "commencement": parsed.commencement})
    session.flush()
    if not new_law:
        return _counts(session, law_id, src_id, unchanged=False)
    # every row of a new law was written just now, in this transaction: count what was written
    return LoadResult(law_id=law_id, source_id=src_id, unchanged=False, units=len(new_units),
                      events=len(parsed.events), notes=len(parsed.notes), warnings=len(parsed.warnings),
                      amending_laws=len({e.law_number for e in parsed.events}), versions=len(versions))


def _edition_texts(session: Session, law_id: int, source_id: int) -> dict[str, str]:
    # law_id leads the table's indexes (source_id alone has none: a scan of every law's versions)
    rows = session.exec(select(t.UnitVersion).where(t.UnitVersion.law_id == law_id,
                                                    t.UnitVersion.source_id == source_id,
                                                    t.UnitVersion.valid_to.is_(None),
                                                    t.UnitVersion.status == "in_force")).all()
    return {v.eid: v.text for v in rows if v.text is not None}


def _record_edition_changes(session: Session, law_id: int, new: t.Source, new_texts: dict[str, str]) -> None:
    """TextChange rows between the new edition and the editions just before and after it in time."""
    eds = session.exec(select(t.Source).where(t.Source.law_id == law_id, t.Source.kind == "consolidated",
                                              t.Source.language == new.language)).all()  # same language only
    order = sorted(eds, key=lambda s: (s.edition_date or date.max, s.id))
    i = [s.id for s in order].index(new.id)
    pairs = []
    if i > 0:
        pairs.append((order[i - 1], new))
    if i + 1 < len(order):
        pairs.append((new, order[i + 1]))
    for older, newer in pairs:
        a = new_texts if older.id == new.id else _edition_texts(session, law_id, older.id)
        b = new_texts if newer.id == new.id else _edition_texts(session, law_id, newer.id)
        for eid in sorted(set(a) & set(b)):
            kind = classify(a[eid], b[eid])
            if kind != "same":
                session.add(t.TextChange(law_id=law_id, eid=eid, older_source_id=older.id, newer_source_id=newer.id,
                                         older_date=older.edition_date, newer_date=newer.edition_date,
                                         classification=kind, diff=json.dumps(word_diff(a[eid], b[eid]),
                                                                              ensure_ascii=False)))


_AMENDING_COLS = ("number", "date", "title", "publication_date", "source")
# The columns of the rows ``_store`` writes (the keys — law, source, language — are given once: ``_write``)
_UNIT_COLS = ("eid", "kind", "number", "parent_eid", "position", "label", "present", "line_start", "line_end")
_NOTE_COLS = ("line", "kind", "text", "context_eid")
_EVENT_COLS = ("eid", "kind", "law_number", "law_date", "effect_clause", "effective_date", "effective_basis",
               "effective_note", "source_line", "note_kind")
_WARNING_COLS = ("line", "text", "reason", "severity")
_VERSION_COLS = ("eid", "text", "valid_from", "valid_to", "status", "confidence", "basis")


class _Writer:
    """Writes in the order given, on the session's connection, while the ``with`` block computes the next.

    PostgreSQL: in a thread, so that the server's work on the rows (heap, indexes and the reference
    checks: most of a load there) overlaps the block's computation (the rest of the parse, the versions).
    Elsewhere at once (SQLite works in this process: a thread would only contend for the GIL). The
    block must not use the session. It ends when every write has: the first write's error is raised
    then (or at the next ``insert``/``run``); an error of the block stops the writes not started and
    is raised once the connection is free (the transaction is the caller's to roll back).
    """

    def __init__(self, session: Session) -> None:
        session.flush()  # rows of the ORM objects added so far first (their ids are referenced)
        self._conn = session.connection()
        self._queue: queue.SimpleQueue | None = None
        self._error: BaseException | None = None
        self._stop = False

    def __enter__(self) -> "_Writer":
        if self._conn.dialect.name == "postgresql":
            self._queue = queue.SimpleQueue()
            self._switch = sys.getswitchinterval()
            # The writing thread waits for the server at every COPY's start and end; each time, it got the
            # GIL back only when the computing thread yielded it — after up to a whole 5 ms switch interval,
            # while the server sat idle (a 20-row COPY took 5–23 ms; 1–5 with 0.5 ms).
            sys.setswitchinterval(0.0005)
            self._thread = threading.Thread(target=self._work, name="lawtrack-writer", daemon=True)
            self._thread.start()
        return self

    def insert(self, table: type, cols: tuple[str, ...], rows: list[tuple],
               const: tuple[tuple[str, int | str], ...] = ()) -> None:
        """``rows`` (one value per column of ``cols``; ``const``: columns with one value for every row)
        into ``table`` (see ``_write``)."""
        if rows:
            self.run(_write, table, cols, rows, const)

    def run(self, fn: Callable, *args) -> None:
        """``fn(connection, *args)`` in turn (``connection``: the session's SQLAlchemy connection)."""
        if self._queue is None:
            fn(self._conn, *args)
            return
        if self._error is not None:
            raise self._error
        self._queue.put((fn, args))

    def _work(self) -> None:
        while (task := self._queue.get()) is not None:
            if self._error is None and not self._stop:
                try:
                    task[0](self._conn, *task[1])
                except BaseException as err:  # raised in the computing thread
                    self._error = err

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._queue is None:
            return
        self._stop = exc is not None  # the block failed: nothing more to write
        self._queue.put(None)
        try:
            self._thread.join()  # the connection is free again (before any rollback)
        finally:
            sys.setswitchinterval(self._switch)
        if exc is None and self._error is not None:
            raise self._error


def _upsert_amending(conn, rows: list[tuple]) -> None:
    """The law's amending laws (``_AMENDING_COLS`` rows): new ones added, known ones given these values
    (rewritten only where they differ; the parse gives each number once). The SQL is written out here:
    built by SQLAlchemy it was compiled anew by every engine (3–9 ms a law, more than its execution).
    Other databases: a query, then an update or insert per law."""
    if not rows:
        return
    name = conn.dialect.name
    if name in ("postgresql", "sqlite"):
        cols, values = ", ".join(_AMENDING_COLS), _AMENDING_COLS[1:]
        if name == "postgresql":  # one statement, one round trip (an executemany: one per row, 3–19 ms)
            source = ("SELECT * FROM unnest(%s::varchar[], %s::date[], %s::varchar[], %s::date[], %s::varchar[])",
                      [list(c) for c in zip(*rows)])
            differs = (f"({', '.join('amending_law.' + c for c in values)}) IS DISTINCT FROM "
                       f"({', '.join('excluded.' + c for c in values)})")
        else:  # in this process: no round trips to spare
            source = ("VALUES (?, ?, ?, ?, ?)", _bound(conn.dialect, t.AmendingLaw, _AMENDING_COLS, rows))
            differs = " OR ".join(f"amending_law.{c} IS NOT excluded.{c}" for c in values)
        cur = conn.connection.driver_connection.cursor()
        try:
            sql = (f"INSERT INTO amending_law ({cols}) {source[0]} ON CONFLICT (number) DO UPDATE SET "
                   f"{', '.join(f'{c} = excluded.{c}' for c in values)} WHERE {differs}")
            if name == "postgresql":
                cur.execute(sql, source[1])
            else:
                cur.executemany(sql, source[1])
        finally:
            cur.close()
        return
    table = t.AmendingLaw.__table__
    params = [dict(zip(_AMENDING_COLS, r)) for r in rows]
    known = set(conn.execute(select(table.c.number).where(table.c.number.in_([p["number"] for p in params])))
                .scalars())
    for p in params:
        if p["number"] in known:
            conn.execute(update(table).where(table.c.number == p["number"]).values(**p))
    new = [p for p in params if p["number"] not in known]
    if new:
        conn.execute(insert(table), new)


def _write(conn, table: type, cols: tuple[str, ...], rows: list[tuple],
           const: tuple[tuple[str, int | str], ...] = ()) -> None:
    """Write ``rows`` (one value per column of ``cols``, in that order) into ``table``, in the
    transaction of ``conn`` (a SQLAlchemy connection). ``const``: (column, value) pairs, the same for
    every row (a law's id, a source's), given once rather than in each row; integers or strings.

    PostgreSQL: one COPY stream (psycopg); an executemany there costs a round of the pipeline per row and
    made loading twice as slow. SQLite: one executemany on the DBAPI connection (so in its transaction),
    each value passed through the bind processor SQLAlchemy would apply (dates stored as the same
    strings); SQLAlchemy's per-row parameter handling was most of the insert time. The ``const`` values
    are literals of the statement: each bound parameter costs SQLite's binding per row (a law's 2,206
    versions: 10 → 7 parameters a row). Elsewhere: one Core executemany.
    """
    dialect = conn.dialect
    dbapi_conn = conn.connection.driver_connection
    names = tuple(c for c, _ in const)
    values = tuple(_constant(v) for _, v in const)
    if dialect.name == "postgresql":
        _copy(dbapi_conn, table, names + cols, rows, values)
        return
    if dialect.name != "sqlite":
        conn.execute(insert(table.__table__), [dict(zip(names + cols, values + r)) for r in rows])
        return
    cur = dbapi_conn.cursor()
    try:
        slots = ", ".join((*map(_literal, values), *["?"] * len(cols)))
        cur.executemany(f'INSERT INTO "{table.__tablename__}" ({", ".join(names + cols)}) VALUES ({slots})',
                        _bound(dialect, table, cols, rows))
    finally:
        cur.close()


def _constant(value: int | str) -> int | str:
    """``value`` if it is an integer or a string (the ``const`` values of ``_write``); a TypeError otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"a constant column value must be an integer or a string, not {value!r}")
    return value


def _literal(value: int | str) -> str:
    """The SQL literal of an integer or a string (its quotes doubled)."""
    return str(int(value)) if isinstance(value, int) else "'" + value.replace("'", "''") + "'"


def _bound(dialect, table: type, cols: tuple[str, ...], rows: list[tuple]) -> list[tuple]:
    """``rows`` with each value passed through the bind processor SQLAlchemy would apply to its column
    (SQLite: dates stored as the same strings), column by column: few distinct values, each processed once."""
    columns = table.__table__.c
    procs = [(i, p) for i, c in enumerate(cols)
             if (p := columns[c].type.dialect_impl(dialect).bind_processor(dialect)) is not None]
    if not procs:
        return rows
    columns_of_rows = list(zip(*rows))
    for i, process in procs:
        done = {v: process(v) for v in set(columns_of_rows[i])}
        columns_of_rows[i] = [done[v] for v in columns_of_rows[i]]
    return list(zip(*columns_of_rows))


def _copy(dbapi_conn, table: type, cols: tuple[str, ...], rows: list[tuple], prefix: tuple = ()) -> None:
    """PostgreSQL: ``rows``, each after ``prefix`` (the values of the first columns of ``cols``), into
    ``table`` as one binary COPY stream on the psycopg connection (the server reads binary values as they
    are; text ones it parses, dates and integers included)."""
    sql = f'COPY "{table.__tablename__}" ({", ".join(cols)}) FROM STDIN (FORMAT BINARY)'
    with dbapi_conn.cursor() as cur, cur.copy(sql) as copy:
        copy.set_types(_pg_types(table, cols))
        write = copy.write_row
        if prefix:
            for r in rows:
                write(prefix + r)
        else:
            for r in rows:
                write(r)


@functools.cache
def _pg_types(table: type, cols: tuple[str, ...]) -> list[str]:
    """PostgreSQL's names of the types of ``cols`` of ``table`` (``integer``, ``varchar``, ``date``, …)."""
    from sqlalchemy.dialects import postgresql
    dialect = postgresql.dialect()
    return [table.__table__.c[c].type.compile(dialect=dialect).lower() for c in cols]


def _counts(session: Session, law_id: int, source_id: int, unchanged: bool) -> LoadResult:
    from sqlalchemy import func

    def n(model, *where) -> int:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()

    return LoadResult(law_id=law_id, source_id=source_id, unchanged=unchanged,
                      units=n(t.Unit, t.Unit.law_id == law_id),
                      # law_id too: source_id has no index of its own, law_id leads one on every table
                      events=n(t.Event, t.Event.law_id == law_id, t.Event.source_id == source_id),
                      notes=n(t.Note, t.Note.law_id == law_id, t.Note.source_id == source_id),
                      warnings=n(t.ParseWarningRow, t.ParseWarningRow.law_id == law_id,
                                 t.ParseWarningRow.source_id == source_id),
                      amending_laws=len(set(session.exec(select(t.Event.law_number).where(
                          t.Event.law_id == law_id, t.Event.source_id == source_id)).all())),
                      versions=n(t.UnitVersion, t.UnitVersion.law_id == law_id))
