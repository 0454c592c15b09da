"""Exporters shared by the CLI and the dashboard: CSV, JSON and Markdown.

CSV cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) get a leading apostrophe; ``read_csv`` removes it again, so a CSV round-trips.
Markdown escapes the characters that would turn law text into markup (links, HTML, emphasis, tables).
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict
from datetime import date

from model.changes import ChangeRow, Comparison
from model.pointintime import UnitState

CHANGELOG_COLUMNS = ["effective_date", "effective_basis", "law_number", "law_date", "law_title", "unit_id",
                     "label", "kind", "source_line", "note", "old_wording", "new_wording",
                     "wording_confidence", "summary", "effective_note", "language"]
ASOF_COLUMNS = ["unit_id", "label", "kind", "status", "certainty", "confidence", "text", "text_source",
                "valid_from", "valid_to", "basis", "laws", "language", "status_from", "agreement", "agreement_note",
                "other_language", "other_text"]
_LANGUAGE = {"rus": "Russian, the official text", "eng": "English, an unofficial translation"}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def changelog_records(rows: list[ChangeRow]) -> list[dict]:
    """Rows as plain dicts with the change-log columns (dates as ISO strings, None kept)."""
    return [{k: _plain(getattr(r, k)) for k in CHANGELOG_COLUMNS} for r in rows]


def asof_records(states: list[UnitState], on: date) -> list[dict]:
    """``as_of`` states as plain dicts (the JSON export of ``lawtrack asof``)."""
    out = []
    for s in states:
        d = {k: _plain(getattr(s, "eid" if k == "unit_id" else k)) for k in ASOF_COLUMNS if k != "laws"}
        d["laws"] = list(s.laws)
        d["as_of"] = on.isoformat()
        out.append(d)
    return out


def neutralise(value) -> str:
    """A CSV cell that cannot run as a spreadsheet formula."""
    if value is None:
        return ""
    s = str(value)
    return "'" + s if s.startswith(_FORMULA + ("'",)) else s


def to_csv(records: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")  # quotes a field holding \r as well as \n
    w.writerow(columns)
    for r in records:
        w.writerow([neutralise("; ".join(r[c]) if isinstance(r.get(c), list) else r.get(c)) for c in columns])
    return buf.getvalue()


def read_csv(text: str) -> list[dict]:
    """Read a CSV written by ``to_csv`` back (undoing the formula guard; empty cells become None)."""
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        out.append({k: (None if v == "" else (v[1:] if v[:1] == "'" and v[1:2] in _FORMULA + ("'",) else v))
                    for k, v in row.items()})
    return out


def to_json(records: list[dict]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~$])")


def md_escape(text: str | None) -> str:
    """Escape Markdown and HTML so that law text stays text."""
    if text is None:
        return ""
    t = _MD_SPECIAL.sub(r"\\\1", text)
    t = t.replace("&", "&amp;")
    return t.replace("\n", " ")


def changelog_markdown(rows: list[ChangeRow], title: str) -> str:
    lines = [f"# {md_escape(title)}", "", f"{len(rows)} change(s).", "",
             "| in force from | basis | law | unit | change | wording |", "|---|---|---|---|---|---|"]
    langs = sorted({r.language for r in rows})
    if langs:
        lines[2:2] = [f"Notes and wordings: {', '.join(_LANGUAGE.get(x, x) for x in langs)}.", ""]
    for r in rows:
        wording = md_escape(r.new_wording) if r.new_wording else "_earlier/new wording not in the sources_"
        lines.append(f"| {r.effective_date or 'unknown'} | {r.effective_basis} | № {md_escape(r.law_number)}"
                     f" of {r.law_date or '?'} | {md_escape(r.label)} (`{r.unit_id}`) | {md_escape(r.summary)} "
                     f"| {wording} |")
    return "\n".join(lines) + "\n"


_BADGE = {"in_force": "in force", "excluded": "excluded", "not_yet_inserted": "not yet inserted",
          "not_yet_in_force": "not yet in force", "uncertain": "uncertain"}


def asof_markdown(states: list[UnitState], on: date, title: str) -> str:
    shown = sorted({s.language for s in states}, key=lambda x: x != "rus")
    status_from = sorted({s.status_from for s in states if s.status_from})
    both = any(s.agreement for s in states)
    lines = [f"# {md_escape(title)} — as of {on.isoformat()}", "",
             f"Wording: {'; '.join(_LANGUAGE.get(x, x) for x in shown)}. "
             + (f"Status from the official text ({', '.join(status_from)}); each unit says whether the "
                "translation agrees. " if both else "")
             + "Status and wording confidence per unit; "
             "*later_amended* means today's wording is shown although a later change may have altered it.", ""]
    for s in states:
        if s.kind == "heading":
            continue
        badge = f"**{_BADGE[s.status]}**" + (f", wording {s.confidence}" if s.confidence else "")
        if len(shown) > 1:
            badge += f", {s.language}"
        if s.agreement and s.agreement != "agrees":
            badge += f", translation: {s.agreement.replace('_', ' ')}"
        if s.kind in ("section", "chapter", "article"):
            lines += [f"{'#' * {'section': 2, 'chapter': 3, 'article': 4}[s.kind]} {md_escape(s.text or s.label)}",
                      f"{badge} — {md_escape(s.basis)}", ""]
        else:
            indent = "  " * max(0, s.depth - 3)
            body = md_escape(s.text) if s.text else "_wording not in the sources_"
            lines.append(f"{indent}- {md_escape(s.label)} [{badge}]: {body}")
    return "\n".join(lines) + "\n"


def comparison_records(cmp: Comparison) -> dict:
    return {"from": cmp.d1.isoformat(), "to": cmp.d2.isoformat(),
            "changes": changelog_records(cmp.changes),
            "status_changes": [{"unit_id": s.unit_id, "label": s.label, "before": s.before.status,
                                "after": s.after.status} for s in cmp.status_changes],
            "undated": changelog_records(cmp.undated),
            "wording_changes": [{"unit_id": w.unit_id, "label": w.label, "old": w.old, "new": w.new,
                                 "classification": w.classification, "old_source": w.old_source,
                                 "new_source": w.new_source, "diff": [list(p) for p in w.diff]}
                                for w in cmp.wording_changes]}


def state_dict(s: UnitState) -> dict:
    return {k: _plain(v) for k, v in asdict(s).items()}
