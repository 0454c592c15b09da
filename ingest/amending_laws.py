"""The user-extensible list of amending laws: ``fixtures/amending_laws.csv``.

Columns: ``number,date,title,publication_date,source`` (dates as YYYY-MM-DD; any field but the number
may be empty). An empty field means "not known" — nothing is ever filled in by guessing.
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from datetime import date

from ingest.errors import IngestError

COLUMNS = ["number", "date", "title", "publication_date", "source"]
DEFAULT_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "fixtures", "amending_laws.csv")


@dataclass(frozen=True)
class AmendingLawInfo:
    number: str
    date: date | None
    title: str | None
    publication_date: date | None
    source: str | None


def _date(value: str, path: str, line: int, column: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise IngestError(f'column {column}: "{value}" is not a date (YYYY-MM-DD)', path, line) from None


def read_amending_laws(path: str = DEFAULT_PATH) -> dict[str, AmendingLawInfo]:
    """Read the CSV into ``{number: info}``; a missing file gives ``{}``."""
    if not os.path.exists(path):
        return {}
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != COLUMNS:
                raise IngestError(f"header must be {','.join(COLUMNS)}", path, 1)
            out: dict[str, AmendingLawInfo] = {}
            for row in reader:
                line = reader.line_num
                number = (row.get("number") or "").strip().replace("І", "I")
                if not number:
                    raise IngestError("empty law number", path, line)
                out[number] = AmendingLawInfo(
                    number=number, date=_date(row.get("date") or "", path, line, "date"),
                    title=(row.get("title") or "").strip() or None,
                    publication_date=_date(row.get("publication_date") or "", path, line, "publication_date"),
                    source=(row.get("source") or "").strip() or None)
            return out
    except UnicodeDecodeError:
        raise IngestError("not UTF-8", path) from None
    except OSError as err:  # a directory, no permission, …
        raise IngestError(f"cannot read: {err.strerror or err}", path) from None
