"""Storing a parse: counts, idempotence, atomicity — on SQLite and PostgreSQL."""
from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from ingest.load import load_parsed
from model import tables as t
from model.engine import make_engine
from model.queries import get_law, list_amending_laws, list_events, list_warnings

TABLES = [t.Law, t.AmendingLaw, t.Source, t.Unit, t.UnitVersion, t.Event, t.Note, t.ParseWarningRow]


def counts(engine) -> dict[str, int]:
    from sqlalchemy import inspect
    names = set(inspect(engine).get_table_names())
    with Session(engine) as s:
        return {m.__tablename__: (s.exec(select(func.count()).select_from(m)).one()
                                  if m.__tablename__ in names else -1) for m in TABLES}


def test_load_counts(db_url, parsed):
    engine = make_engine(db_url)
    res = load_parsed(engine, parsed)
    assert not res.unchanged
    assert (res.units, res.events, res.notes, res.amending_laws) == (1277, 417, 232, 31)
    with Session(engine) as s:
        law = get_law(session=s)
        assert (law.number, str(law.date), str(law.commencement)) == ("418-V", "2015-11-24", "2016-01-01")
        evs = list_events(session=s, law_id=law.id)
        assert len(evs) == 417 and evs[0].eid == "art_1__subpara_3-1"
        laws = list_amending_laws(session=s, law_id=law.id)
        assert [x.number for x in laws][:3] == ["36-VI", "112-VI", "128-VI"]
        assert len(list_warnings(session=s, law_id=law.id)) == len(parsed.warnings)
        unit = s.exec(select(t.Unit).where(t.Unit.eid == "art_7-1__subpara_3")).one()
        assert unit.label == "Art. 7-1, subpara. 3)"


def test_same_source_twice_changes_nothing(db_url, parsed):
    engine = make_engine(db_url)
    load_parsed(engine, parsed)
    before = counts(engine)
    with Session(engine) as s:
        ids_before = sorted(s.exec(select(t.Event.id)).all())
    res = load_parsed(engine, parsed)
    assert res.unchanged
    assert counts(engine) == before
    with Session(engine) as s:
        assert sorted(s.exec(select(t.Event.id)).all()) == ids_before


def test_failure_half_way_leaves_the_database_as_it_was(db_url, parsed, monkeypatch):
    engine = make_engine(db_url)
    import ingest.load as load_mod
    calls = {"n": 0}
    real = load_mod.edition_versions

    def flaky(*a, **k):
        calls["n"] += 1
        if calls["n"] > 500:
            raise RuntimeError("disk full (simulated)")
        return real(*a, **k)

    monkeypatch.setattr(load_mod, "edition_versions", flaky)
    with pytest.raises(RuntimeError):
        load_parsed(engine, parsed)
    assert all(n in (0, -1) for n in counts(engine).values())
    # a working ingest, then a failing newer edition: the first stays exactly as it was
    monkeypatch.setattr(load_mod, "edition_versions", real)
    load_parsed(engine, parsed)
    before = counts(engine)
    newer = dataclasses.replace(parsed, source=dataclasses.replace(parsed.source, sha256="0" * 64))
    calls["n"] = 0
    monkeypatch.setattr(load_mod, "edition_versions", flaky)
    with pytest.raises(RuntimeError):
        load_parsed(engine, newer)
    assert counts(engine) == before


def test_newer_edition_adds_a_source_not_duplicate_units(db_url, parsed):
    engine = make_engine(db_url)
    load_parsed(engine, parsed)
    before = counts(engine)
    newer = dataclasses.replace(parsed, source=dataclasses.replace(parsed.source, sha256="1" * 64, name="newer.txt"))
    load_parsed(engine, newer)
    after = counts(engine)
    assert after["unit"] == before["unit"]
    assert after["source"] == before["source"] + 1
    assert after["unit_version"] == 2 * before["unit_version"]  # its own versions; the old ones are kept
    with Session(engine) as s:
        law = get_law(session=s)
        assert len(list_events(session=s, law_id=law.id)) == 417  # the newest edition's events


def test_two_editions_give_dated_wordings_and_diffs(db_url, fixture_source):
    """Two dated editions whose texts differ where no note records a change (a newer edition with one
    word of the untouched Article 2 changed): word diff recorded; between the two dates the wording is
    unknown; before the first and after the second each edition's text is exact."""
    from datetime import date

    from ingest.parse import parse_law
    from ingest.source import decode_source
    from model.changes import history
    from model.pointintime import as_of

    engine = make_engine(db_url)
    text = "\n".join(fixture_source.lines)
    old_line = "1. Legislation of the Republic of Kazakhstan on informatization is based on the Constitution"
    assert old_line in text
    newer = parse_law(decode_source(text.replace(old_line, old_line.replace("is based on", "rests on"))
                                    .encode("utf-8"), "edition-2026-06.txt"))
    load_parsed(engine, parse_law(fixture_source), edition_date=date(2026, 1, 18))
    load_parsed(engine, newer, edition_date=date(2026, 6, 1))
    with Session(engine) as s:
        changes = s.exec(select(t.TextChange).where(t.TextChange.eid == "art_2__para_1")).all()
        assert len(changes) == 1 and changes[0].classification == "substantive"
        assert (changes[0].older_date, changes[0].newer_date) == (date(2026, 1, 18), date(2026, 6, 1))
        st = as_of(session=s, on=date(2025, 1, 1), unit="art_2__para_1")[0]
        assert "is based on" in st.text and st.confidence == "exact"
        st = as_of(session=s, on=date(2026, 3, 1), unit="art_2__para_1")[0]
        assert st.confidence == "unknown" and "somewhere between" in st.basis
        st = as_of(session=s, on=date(2026, 6, 2), unit="art_2__para_1")[0]
        assert "rests on" in st.text and st.confidence == "exact"
        assert len(history(session=s, unit_id="art_2__para_1").text_changes) == 1


def test_a_stored_source_is_not_parsed_further(db_url, parsed, fixture_source):
    """``store_streamed`` of a text already stored: unchanged, and the rest of its parse never asked for."""
    from ingest.load import store_streamed
    from ingest.parse import parse_head

    def rest():
        raise AssertionError("the rest of the parse was asked for")

    engine = make_engine(db_url)
    load_parsed(engine, parsed)
    with Session(engine) as s, s.begin():
        res = store_streamed(s, parse_head(fixture_source), rest)
    engine.dispose()
    assert res.unchanged and (res.units, res.events, res.notes) == (1277, 417, 232)


def test_amending_laws_are_added_and_updated_and_unchanged_ones_are_not_rewritten(db_url, parsed):
    """The upsert of a law's amending laws: a known one gets the values of the new text; one whose
    values are the same is left alone (PostgreSQL: its row version, ``xmin``, is the same; SQLite: no row
    counted as changed)."""
    from sqlalchemy import text

    from ingest.load import _upsert_amending
    engine = make_engine(db_url)
    load_parsed(engine, parsed)
    rows = [(a.number, a.date, a.title, a.publication_date, a.source) for a in parsed.amending_laws]
    pg = db_url.startswith("postgresql")

    def versions(c):
        return dict(c.exec_driver_sql("SELECT number, xmin::text FROM amending_law").all()) if pg else None

    with engine.begin() as c:
        before, changes = versions(c), c.connection.driver_connection.total_changes if not pg else 0
        _upsert_amending(c, rows)  # the same values again
        assert versions(c) == before
        assert pg or c.connection.driver_connection.total_changes == changes
        first = rows[0]
        _upsert_amending(c, [(first[0], first[1], "A new title", first[3], first[4]),
                             ("999-IX", None, "An amending law not seen before", None, None)])
        got = {r.number: r.title for r in c.execute(text("SELECT number, title FROM amending_law"))}
        after = versions(c)
    engine.dispose()
    assert got[first[0]] == "A new title" and got["999-IX"] == "An amending law not seen before"
    assert len(got) == len(rows) + 1 and got[rows[1][0]] == rows[1][2]
    if pg:
        assert {n for n in before if after[n] != before[n]} == {first[0]}


def test_a_failed_write_is_the_error_and_the_writes_after_it_are_not_made(db_url, parsed):
    """The ordered writer: a write that fails (a unit of a law that does not exist: its foreign key) is
    raised when the block ends, the writes queued after it are not made, and the connection is free."""
    import sys
    import threading

    from sqlalchemy.exc import IntegrityError

    from ingest.load import _UNIT_COLS, _Writer
    engine = make_engine(db_url)
    load_parsed(engine, parsed)
    threads, switch, ran = threading.active_count(), sys.getswitchinterval(), []
    with Session(engine) as s:
        with pytest.raises(Exception) as err:
            with s.begin(), _Writer(s) as w:
                w.insert(t.Unit, _UNIT_COLS, [("art_1", "article", "1", None, 0, "Art. 1", True, 1, 2)],
                         (("law_id", 12345),))
                w.run(lambda conn: ran.append(conn))
        assert isinstance(err.value, IntegrityError) or "foreign key" in str(err.value).lower()
        assert ran == []
        assert s.exec(select(func.count()).select_from(t.Law)).one() == 1  # the connection answers again
    engine.dispose()
    assert threading.active_count() == threads and sys.getswitchinterval() == switch
