"""Golden snapshot of the full parse (units and events), reviewed by hand.

Regenerate on purpose with ``UPDATE_GOLDEN=1 pytest tests/ingest/test_golden.py`` and review the
diff (``git diff tests/ingest/golden``) before committing.
"""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"


def _units_csv(parsed) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["eid", "kind", "number", "parent", "line_start", "line_end", "present", "text"])
    for u in parsed.units:
        w.writerow([u.eid, u.kind, u.number or "", u.parent or "", u.line_start or "", u.line_end or "",
                    int(u.present), u.text])
    return buf.getvalue()


def _events_csv(parsed) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["unit", "kind", "law_number", "law_date", "effect_clause", "effective_date",
                "effective_basis", "source_line", "note_kind"])
    for e in parsed.events:
        w.writerow([e.unit, e.kind, e.law_number, e.law_date or "", e.effect_clause, e.effective_date or "",
                    e.effective_basis, e.source_line, e.note_kind])
    return buf.getvalue()


def _warnings_csv(parsed) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["line", "severity", "reason"])
    for x in parsed.warnings:
        w.writerow([x.line, x.severity, x.reason])
    return buf.getvalue()


@pytest.mark.parametrize("name, render", [("units.csv", _units_csv), ("events.csv", _events_csv),
                                          ("warnings.csv", _warnings_csv)])
def test_golden(parsed, name, render):
    path = GOLDEN / name
    actual = render(parsed)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from the golden file; review and regenerate with UPDATE_GOLDEN=1"
