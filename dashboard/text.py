"""Markdown for the pages, built from data (no Streamlit here). Law text is always escaped.

>>> esc("<b>x</b> [a](b)")
'\\\\<b\\\\>x\\\\</b\\\\> \\\\[a\\\\]\\\\(b\\\\)'
"""
from __future__ import annotations

from model.exports import md_escape

STATUS_BADGE = {"in_force": ":green-badge[in force]", "excluded": ":gray-badge[excluded]",
                "not_yet_inserted": ":violet-badge[not yet inserted]",
                "not_yet_in_force": ":violet-badge[not yet in force]", "uncertain": ":orange-badge[uncertain]"}
CONF_BADGE = {"exact": ":blue-badge[exact]", "later_amended": ":orange-badge[today's wording — later amended]",
              "unknown": ":red-badge[wording unknown]"}


def esc(text) -> str:
    """Escaped text; None and pandas' NaN become ""."""
    return md_escape(text) if isinstance(text, str) else ""


def badges(status: str, confidence: str | None, certainty: str | None) -> str:
    out = [STATUS_BADGE[status]]
    if certainty == "probable":  # NaN-safe comparison
        out.append(":gray-badge[existence probable]")
    if isinstance(confidence, str) and status != "excluded":
        out.append(CONF_BADGE[confidence])
    return " ".join(out)


def unit_markdown(row: dict) -> str:
    """One unit as a Markdown line: indented label, badges, escaped text."""
    indent = "&emsp;" * max(0, int(row["depth"]) - 2)
    head = f"{indent}**{esc(row['long_label'])}** {badges(row['status'], row.get('confidence'), row.get('certainty'))}"
    text = row.get("text")
    if not isinstance(text, str) or not text:
        return f"{head}  _wording not in the sources_"
    return f"{head}  {esc(text)}"


def excluded_markdown(row: dict) -> str:
    """An excluded unit collapsed to one line: "Excluded by Law № … from …"."""
    indent = "&emsp;" * max(0, int(row["depth"]) - 2)
    return f"{indent}:gray[{esc(row['long_label'])} — {esc(row['basis'][:1].upper() + row['basis'][1:])}]"


def diff_markdown(diff) -> str:
    """Word diff pairs as Markdown: deletions struck through in red, insertions in green."""
    parts = []
    for op, text in diff:
        t = esc(text)
        parts.append(t if op == "=" else (f":red-background[~~{t}~~]" if op == "-" else f":green-background[{t}]"))
    return " ".join(parts)
