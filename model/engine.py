"""Engine factory. Nothing is created at import time.

The database URL comes from, in order: the ``url`` argument (``--db``), ``LAWTRACK_DB``, and the
default SQLite file ``lawtrack.db`` in the current directory. SQLite runs in WAL mode so that a
reader (the dashboard) sees a consistent state while an ingest writes, with ``synchronous=NORMAL``
(commits are atomic and survive the process; only a machine crash can undo the last ones); every session transaction,
reads included, is one snapshot (an explicit BEGIN on SQLite, REPEATABLE READ on PostgreSQL).
"""
from __future__ import annotations

import os

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, create_engine

from model import tables  # noqa: F401  (registers the tables)

DEFAULT_URL = "sqlite:///lawtrack.db"


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else ``LAWTRACK_DB``, else the default SQLite file."""
    url = url or os.environ.get("LAWTRACK_DB") or DEFAULT_URL
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if "://" not in url:  # a bare path means a SQLite file
        url = f"sqlite:///{url}"
    return url


def make_engine(url: str | None = None) -> Engine:
    """Create an engine for ``url`` (see ``database_url``)."""
    url = database_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            if url not in ("sqlite://", "sqlite:///:memory:"):
                cur.execute("PRAGMA journal_mode=WAL")
                # a commit writes the WAL without waiting for the disk (no fsync): a committed ingest survives
                # the process being killed, and the file is never corrupted, but the last commits can be lost
                # if the machine itself crashes or loses power (then run the ingest again: it is idempotent).
                # SQLite's recommended setting for WAL; an fsync was 6 of the ~90 ms of a one-law ingest.
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
            dbapi_conn.isolation_level = None  # let SQLAlchemy emit BEGIN (below), also before reads

        @event.listens_for(engine, "begin")
        def _begin(conn):  # pragma: no cover - trivial
            conn.exec_driver_sql("BEGIN")  # one snapshot for every statement of a session's transaction
        return engine
    # REPEATABLE READ: every query of one session (one as_of) sees the same snapshot
    return create_engine(url, pool_pre_ping=True, isolation_level="REPEATABLE READ")


def init_db(engine: Engine) -> None:
    """Create missing tables (idempotent)."""
    SQLModel.metadata.create_all(engine)


def sqlite_path(url: str) -> str | None:
    """The file path of a SQLite URL, or None for other databases and in-memory SQLite."""
    url = database_url(url)
    if url.startswith("sqlite:///") and url not in ("sqlite:///:memory:",):
        return url[len("sqlite:///"):]
    return None
