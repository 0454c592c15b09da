"""A reader process for ``test_concurrency``: reads a SQLite database in a loop until told to stop.

``python -m tests.hardening.reader DB_PATH STOP_FILE OUT_FILE UNIT`` writes one JSON line per read:

- ``{"raw": [...]}``: row counts of source, event, note, unit, unit_version and parse_warning taken in one
  read transaction of a plain sqlite3 connection (what any other client would see);
- ``{"api": {...}}``: what lawtrack's own queries answered, through ``make_engine`` and a ``Session`` as the
  dashboard uses them: ``list_events`` (count, the sources of its events, the newest edition) and
  ``as_of`` for the whole law (count) and for UNIT (its wording);
- ``{"error": "..."}``: any exception, with its type.

The point-in-time cache is cleared before every ``as_of`` so that each call reads the database.
"""
from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
import traceback
from datetime import date

TABLES = ("source", "event", "note", "unit", "unit_version", "parse_warning")


def main(db_path: str, stop_file: str, out_file: str, unit: str) -> None:
    from sqlmodel import Session

    import model.pointintime as pit
    from model.engine import make_engine
    from model.queries import get_law, latest_edition, list_events

    engine = make_engine(f"sqlite:///{db_path}")
    raw = sqlite3.connect(db_path, isolation_level=None, timeout=30)
    with open(out_file, "w", encoding="utf-8") as out:
        def emit(**record) -> None:
            record["t"] = time.monotonic()
            out.write(json.dumps(record, default=str) + "\n")
            out.flush()
        while not os.path.exists(stop_file):
            try:
                for _ in range(20):
                    raw.execute("BEGIN")
                    row = [raw.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in TABLES]
                    raw.execute("COMMIT")
                    emit(raw=row)
                pit._CACHE.clear()
                with Session(engine) as s:
                    law = get_law(session=s)
                    newest = latest_edition(session=s, law_id=law.id).id
                    events = list_events(session=s, law_id=law.id)
                    whole = pit.as_of(session=s, on=date(2026, 3, 15))
                    one = pit.as_of(session=s, on=date(2026, 3, 15), unit=unit)
                emit(api={"events": len(events), "event_sources": sorted({e.source_id for e in events}),
                          "newest": newest, "states": len(whole), "text": one[0].text})
            except Exception as err:  # noqa: BLE001 - the test wants to see every one
                emit(error=f"{type(err).__name__}: {err}", trace=traceback.format_exc()[-2000:])
                if raw.in_transaction:
                    raw.execute("ROLLBACK")
    raw.close()
    engine.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:5])
