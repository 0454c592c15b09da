"""Shared fixtures: the parsed fixture text, and databases (SQLite always; PostgreSQL when reachable).

PostgreSQL: set ``LAWTRACK_TEST_PG`` to a server URL whose role may create databases
(``.ci/run`` does). Without it, or when the server does not answer, PostgreSQL cases skip
with the reason.
"""
from __future__ import annotations

import contextlib
import os
import uuid
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "informatization_418-V_eng.txt"


@pytest.fixture(scope="session")
def fixture_source():
    from ingest.source import read_source
    return read_source(str(FIXTURE))


@pytest.fixture(scope="session")
def parsed(fixture_source):
    from ingest.amending_laws import read_amending_laws
    from ingest.parse import parse_law
    return parse_law(fixture_source, read_amending_laws())


@pytest.fixture(scope="session")
def events_by_unit(parsed):
    out: dict[str, list] = {}
    for e in parsed.events:
        out.setdefault(e.unit, []).append(e)
    return out


def _pg_admin_url() -> str | None:
    return os.environ.get("LAWTRACK_TEST_PG")


def _make_pg_db() -> tuple[str, callable]:
    from sqlalchemy import create_engine, text
    admin = _pg_admin_url()
    if not admin:
        pytest.skip("PostgreSQL not configured: set LAWTRACK_TEST_PG (CI does)")
    admin = admin.replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        eng = create_engine(admin, isolation_level="AUTOCOMMIT")
        name = f"lawtrack_test_{uuid.uuid4().hex[:10]}"
        with eng.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as err:  # server down: say why
        pytest.skip(f"PostgreSQL at LAWTRACK_TEST_PG not reachable: {str(err).splitlines()[0]}")
    url = admin.rsplit("/", 1)[0] + "/" + name

    def drop():
        from sqlalchemy.pool import NullPool  # noqa: F401
        with eng.connect() as c:
            # the test's own leftover client connections; an autovacuum worker in the database (a superuser
            # process this role may not signal) is stopped by DROP DATABASE itself
            c.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' "
                           "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"))
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        eng.dispose()
    return url, drop


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """An empty database URL, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    url, drop = _make_pg_db()
    yield url
    drop()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def loaded_db(request, tmp_path_factory, parsed):
    """A database with the fixture ingested (shared, read-only use), on SQLite and on PostgreSQL."""
    from ingest.load import load_parsed
    with _session_db(request.param, tmp_path_factory) as (url, engine):
        load_parsed(engine, parsed)
        yield url


@contextlib.contextmanager
def _session_db(backend: str, tmp_path_factory):
    """A fresh database (SQLite file or PostgreSQL) and its engine, dropped afterwards."""
    from model.engine import make_engine
    if backend == "sqlite":
        url, drop = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}", None
    else:
        url, drop = _make_pg_db()
    engine = make_engine(url)
    try:
        yield url, engine
    finally:
        engine.dispose()
        if drop:
            drop()


@pytest.fixture(scope="session")
def witnessed_db(tmp_path_factory, parsed):
    """A SQLite database with the fixture and the 2020 Council of Europe quotations (as `serve` builds it)."""
    from ingest.load import load_parsed
    from ingest.load_witness import load_witness
    from lawtrack.cli import COE_DATE, COE_PROFILE, COE_SOURCE
    from model.engine import make_engine
    url = f"sqlite:///{tmp_path_factory.mktemp('wdb') / 'witnessed.db'}"
    engine = make_engine(url)
    load_parsed(engine, parsed)
    load_witness(engine, path=COE_PROFILE, known_on=COE_DATE, source_description=COE_SOURCE)
    return url


RUSSIAN_ACT = ROOT / "fixtures" / "kazakhstan-law-codes" / "03-laws" / "20151124-o-kiberbezopasnosti-95699"


@pytest.fixture(scope="session")
def parsed_ru():
    """The official Russian text of the fixture act directory, parsed."""
    from ingest.mirror import read_act_dir
    from ingest.parse_ru import parse_law_ru
    return parse_law_ru(read_act_dir(str(RUSSIAN_ACT)), number="418-V")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def bilingual_db(request, tmp_path_factory, parsed, parsed_ru):
    """A database with the English fixture and the official Russian text (edition of 18.01.2026), as
    `lawtrack serve` builds it, plus the 2020 Council of Europe quotations; SQLite and PostgreSQL."""
    from ingest.load import load_parsed
    from ingest.load_witness import load_witness
    from lawtrack.cli import COE_DATE, COE_PROFILE, COE_SOURCE
    with _session_db(request.param, tmp_path_factory) as (url, engine):
        load_parsed(engine, parsed)
        load_parsed(engine, parsed_ru, edition_date=date(2026, 1, 18))
        load_witness(engine, path=COE_PROFILE, known_on=COE_DATE, source_description=COE_SOURCE)
        yield url
