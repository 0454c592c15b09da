"""Throwaway PostgreSQL databases for the benchmarks (the role of the URL must be allowed to create databases)."""
from __future__ import annotations

import uuid


def _admin_engine(admin_url: str):
    from sqlalchemy import create_engine
    return create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")


def pg_create(admin_url: str) -> tuple[str | None, str | None]:
    """A new empty database on the server of ``admin_url``: (its URL, None) or (None, why not)."""
    from sqlalchemy import text
    name = f"lawtrack_bench_{uuid.uuid4().hex[:10]}"
    try:
        eng = _admin_engine(admin_url)
        with eng.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        eng.dispose()
    except Exception as err:  # the server is down or the role may not create databases: say so
        return None, str(err).strip().splitlines()[0]
    return admin_url.rsplit("/", 1)[0] + "/" + name, None


def pg_drop(admin_url: str, url: str) -> None:
    from sqlalchemy import text
    name = url.rsplit("/", 1)[1]
    eng = _admin_engine(admin_url)
    with eng.connect() as c:
        # leftover client connections only: an autovacuum worker there (a superuser process) is stopped by DROP DATABASE
        c.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n "
                       "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"), {"n": name})
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    eng.dispose()
