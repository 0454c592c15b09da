"""The schema's guarantees, on SQLite and PostgreSQL: a bulk row's source must exist and be a source of
the row's own law (one reference on ``(law_id, source_id)``), a unit's law must exist, and a law or source
referred to cannot be deleted or re-keyed. Foreign keys on SQLite; on PostgreSQL triggers checking once per
statement (``model.references``), whose locking is tested here against concurrent transactions."""
from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from model import tables as t
from model.engine import init_db, make_engine


def _two_laws(session: Session) -> list[tuple[int, int]]:
    """Two laws with a source each: [(law id, source id)] (ids, not rows: the rows expire at commit)."""
    sources = []
    for number in ("1-I", "2-II"):
        law = t.Law(number=number, title="T")
        session.add(law)
        session.flush()
        src = t.Source(law_id=law.id, name=f"{number}.txt", sha256=number, size=1)
        session.add(src)
        session.flush()
        sources.append((law.id, src.id))
    return sources


def _database(db_url: str):
    """An engine on ``db_url`` with the tables and two laws with a source each: (engine, [(law id, source id)])."""
    engine = make_engine(db_url)
    init_db(engine)
    with Session(engine) as s, s.begin():
        sources = _two_laws(s)
    return engine, sources


def _referred_to(db_url: str, which: int):
    """``_database`` with law 1 referred to by a unit and by one bulk row (``_rows``' ``which``)."""
    engine, sources = _database(db_url)
    with Session(engine) as s, s.begin():
        s.add(_rows(*sources[0])[which])
        s.add(t.Unit(law_id=sources[0][0], eid="art_1", kind="article", position=0, label="Art. 1"))
    return engine, sources


def _rows(law_id: int, source_id: int) -> list:
    return [t.UnitVersion(law_id=law_id, eid="art_1", source_id=source_id, status="in_force", confidence="exact",
                          basis="b"),
            t.Event(law_id=law_id, source_id=source_id, eid="art_1", kind="amended", law_number="1-I",
                    effect_clause="", effective_basis="explicit", effective_note="", source_line=1, note_kind="inline"),
            t.Note(law_id=law_id, source_id=source_id, line=1, kind="inline", text="n"),
            t.ParseWarningRow(law_id=law_id, source_id=source_id, line=1, text="w", reason="r", severity="repaired")]


@pytest.mark.parametrize("which", range(4), ids=["unit_version", "event", "note", "parse_warning"])
def test_a_row_of_one_law_cannot_point_at_another_laws_source(db_url, which):
    engine = make_engine(db_url)
    init_db(engine)
    with Session(engine) as s, s.begin():
        (law_a, source_a), (_, source_b) = _two_laws(s)
        s.add(_rows(law_a, source_a)[which])  # its own law's source: fine
        s.flush()
    with Session(engine) as s, s.begin():
        s.add(_rows(law_a, source_b)[which])  # law 1, but the source of law 2
        with pytest.raises(IntegrityError):
            s.flush()
    with Session(engine) as s, s.begin():
        s.add(_rows(law_a, source_b + 100)[which])  # no such source
        with pytest.raises(IntegrityError):
            s.flush()
    engine.dispose()


def _bad(err) -> bool:
    """An integrity error, or a driver's foreign-key violation (a COPY on the raw connection)."""
    return isinstance(err, IntegrityError) or "foreign key" in str(err).lower()


def test_a_unit_of_a_law_that_does_not_exist_is_refused(db_url):
    engine = make_engine(db_url)
    init_db(engine)
    with Session(engine) as s, s.begin():
        (law_a, _), _ = _two_laws(s)
        s.add(t.Unit(law_id=law_a, eid="art_1", kind="article", position=0, label="Art. 1"))
    with Session(engine) as s, s.begin():
        s.add(t.Unit(law_id=law_a + 100, eid="art_1", kind="article", position=0, label="Art. 1"))
        with pytest.raises(IntegrityError):
            s.flush()
    engine.dispose()


def test_a_bulk_write_of_rows_given_their_keys_once(db_url):
    """``_write``'s ``const``: the key columns given once for all rows (as an ingest writes them) are
    stored in every row; a wrong pair is refused like a wrong key in the rows; a string constant is
    quoted, whatever it holds; only integers and strings are taken."""
    from ingest.load import _VERSION_COLS, _write
    engine, ((law_a, source_a), (law_b, source_b)) = _database(db_url)
    rows = [(f"art_{i}", "text", None, None, "in_force", "exact", "b") for i in range(30)]
    with engine.begin() as conn:
        _write(conn, t.UnitVersion, _VERSION_COLS, rows,
               (("law_id", law_b), ("source_id", source_b), ("language", "it's")))
    with Session(engine) as s:
        stored = s.exec(select(t.UnitVersion.law_id, t.UnitVersion.source_id, t.UnitVersion.language,
                               t.UnitVersion.eid)).all()
    assert sorted(stored) == sorted((law_b, source_b, "it's", f"art_{i}") for i in range(30))
    with pytest.raises(Exception) as err:
        with engine.begin() as conn:
            _write(conn, t.UnitVersion, _VERSION_COLS, rows,
                   (("law_id", law_a), ("source_id", source_b), ("language", "eng")))
    assert _bad(err.value)
    for wrong in (True, 1.5, None):
        with pytest.raises(TypeError), engine.begin() as conn:
            _write(conn, t.UnitVersion, _VERSION_COLS, rows, (("law_id", law_b), ("source_id", wrong)))
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(t.UnitVersion)).one() == 30
    engine.dispose()


def test_a_bulk_write_with_one_bad_row_among_good_ones_is_refused_as_a_whole(db_url):
    """The path of an ingest (one COPY or executemany per table): the rows are checked as a set."""
    from ingest.load import _NOTE_COLS, _write
    engine, ((law_a, source_a), (law_b, source_b)) = _database(db_url)
    cols = ("law_id", "source_id", *_NOTE_COLS)
    good = [(law_a, source_a, i, "inline", "n", None) for i in range(50)]
    with engine.begin() as conn:
        _write(conn, t.Note, cols, good + [(law_b, source_b, 1, "inline", "n", None)])  # both fine
    with pytest.raises(Exception) as err:
        with engine.begin() as conn:
            _write(conn, t.Note, cols, good + [(law_a, source_b, 7, "inline", "bad", None)] + good)
    assert _bad(err.value)
    if db_url.startswith("postgresql"):  # the message names the missing key
        assert f"(law_id, source_id)=({law_a},{source_b})" in str(err.value) and '"note"' in str(err.value)
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(t.Note)).one() == 51
    engine.dispose()


def test_a_referenced_law_or_source_cannot_be_deleted_or_rekeyed(db_url):
    engine, ((law_a, source_a), (law_b, source_b)) = _referred_to(db_url, 0)
    statements = [f"DELETE FROM source WHERE id = {source_a}",
                  f"UPDATE source SET id = {source_a + 100} WHERE id = {source_a}",
                  f"DELETE FROM law WHERE id = {law_a}",
                  f"UPDATE law SET id = {law_a + 100} WHERE id = {law_a}"]
    for sql in statements:
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.exec_driver_sql(sql)
    with engine.begin() as conn:  # not re-keying (same key) and other columns: allowed
        conn.exec_driver_sql(f"UPDATE source SET id = id, description = 'd' WHERE id = {source_a}")
        conn.exec_driver_sql(f"UPDATE law SET title = 'T2' WHERE id = {law_a}")
    with engine.begin() as conn:  # nothing refers to law 2's source, nor (then) to law 2
        conn.exec_driver_sql(f"DELETE FROM source WHERE id = {source_b}")
        conn.exec_driver_sql(f"DELETE FROM law WHERE id = {law_b}")
    engine.dispose()


def test_a_row_cannot_be_moved_to_a_source_or_law_that_does_not_fit(db_url):
    engine, ((law_a, source_a), (law_b, source_b)) = _referred_to(db_url, 1)
    for sql in (f"UPDATE event SET source_id = {source_b}",  # law 1's row, law 2's source
                f"UPDATE event SET law_id = {law_a + 100}, source_id = {source_a + 100}",
                f"UPDATE unit SET law_id = {law_b + 100}"):
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.exec_driver_sql(sql)
    with engine.begin() as conn:  # to law 2 and its source together: fine
        conn.exec_driver_sql(f"UPDATE event SET law_id = {law_b}, source_id = {source_b}")
        conn.exec_driver_sql(f"UPDATE unit SET law_id = {law_b}")
    engine.dispose()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_on_postgresql_the_references_are_checked_once_per_statement(db_url):
    """The design that keeps an ingest's server work down: no per-row foreign key on the bulk tables, a
    statement-level trigger on insert instead (and row triggers only where a key changes)."""
    engine = make_engine(db_url)
    init_db(engine)
    bulk = ("unit", "unit_version", "event", "note", "parse_warning")
    with engine.connect() as c:
        fks = c.exec_driver_sql(
            "SELECT conrelid::regclass::text FROM pg_constraint WHERE contype = 'f'").scalars().all()
        triggers = c.exec_driver_sql(
            "SELECT tgrelid::regclass::text, tgname, tgtype & 1 = 1 FROM pg_trigger WHERE NOT tgisinternal").all()
    assert not set(fks) & set(bulk)
    inserts = {(tab, row) for tab, name, row in triggers if name.endswith("_insert")}
    assert inserts == {(tab, False) for tab in bulk}  # FOR EACH STATEMENT
    assert {tab for tab, name, _ in triggers if name.endswith(("_delete", "_rekey"))} == {"law", "source"}
    engine.dispose()


def _pg_raw(url: str):
    import psycopg
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1))


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_on_postgresql_a_source_being_referred_to_cannot_be_deleted_meanwhile(db_url):
    """An ingest's rows lock their source (FOR KEY SHARE, as a foreign key's check): a DELETE of it waits
    for the ingest's commit, then sees its rows and is refused (READ COMMITTED)."""
    import threading

    import psycopg
    engine, ((law_a, source_a), _) = _database(db_url)
    engine.dispose()
    ingest, other, outcome = _pg_raw(db_url), _pg_raw(db_url), []
    try:
        ingest.execute("INSERT INTO note (law_id, source_id, line, kind, text) VALUES (%s, %s, 1, 'inline', 'n')",
                       (law_a, source_a))  # not committed yet
        other.autocommit = True

        def delete() -> None:
            try:
                other.execute("DELETE FROM source WHERE id = %s", (source_a,))
                outcome.append("deleted")
            except psycopg.errors.ForeignKeyViolation:
                outcome.append("refused")
        worker = threading.Thread(target=delete)
        worker.start()
        worker.join(0.5)
        assert worker.is_alive()  # waiting for the lock the ingest's check took
        ingest.commit()
        worker.join(10)
        assert outcome == ["refused"]
    finally:
        ingest.close()
        other.close()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_on_postgresql_rows_referring_to_a_source_being_deleted_are_refused(db_url):
    """The other order: the DELETE first (not committed), then an insert referring to the source waits for
    it and, once it is committed, is refused."""
    import threading

    import psycopg
    engine, ((law_a, source_a), _) = _database(db_url)
    engine.dispose()
    deleting, ingest, outcome = _pg_raw(db_url), _pg_raw(db_url), []
    try:
        deleting.execute("DELETE FROM source WHERE id = %s", (source_a,))

        def insert() -> None:
            try:
                ingest.execute("INSERT INTO note (law_id, source_id, line, kind, text) "
                               "VALUES (%s, %s, 1, 'inline', 'n')", (law_a, source_a))
                ingest.commit()
                outcome.append("inserted")
            except psycopg.errors.ForeignKeyViolation:
                ingest.rollback()
                outcome.append("refused")
        worker = threading.Thread(target=insert)
        worker.start()
        worker.join(0.5)
        assert worker.is_alive()
        deleting.commit()
        worker.join(10)
        assert outcome == ["refused"]
    finally:
        deleting.close()
        ingest.close()
