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


AGREEMENT_BADGE = {"agrees": ":green-badge[translation agrees]", "notes_differ": ":orange-badge[notes differ]",
                   "differs": ":red-badge[translation differs]", "official_only": ":red-badge[not in the translation]",
                   "translation_only": ":red-badge[not in the official text]"}
LANGUAGE_TAG = {"rus": "RU", "eng": "EN"}


def edition_note(meta: dict) -> str:
    """Which text's notes a page shows: "From the notes of the official Russian text (edition of 18.01.2026)."."""
    lang = meta.get("language")
    name = {"rus": "the official Russian text", "eng": "the unofficial English translation"}.get(lang, esc(lang))
    edition = meta.get("edition", "")
    when = edition.split(" ", 1)[1] if " " in edition else ""
    out = f"From the notes of {name}" + (f" (edition of {when})" if when and when != "undated" else "") + "."
    if len(meta.get("languages", [])) > 1:
        out += " Switch the text in the sidebar."
    return out


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


def agreement(row: dict, shown: str | None = None) -> str:
    """With both texts ingested: a badge saying whether the translation agrees, and the wording's language
    when it is not the one chosen (e.g. ``RU`` for a unit the translation lacks). "" with one language."""
    value = row.get("agreement")
    if not isinstance(value, str):
        return ""
    out = [] if value == "agrees" else [AGREEMENT_BADGE[value]]
    lang = row.get("language")
    if shown and isinstance(lang, str) and lang != shown:
        out.append(f":gray-badge[{LANGUAGE_TAG.get(lang, esc(lang))} wording]")
    return " ".join(out)


def unit_markdown(row: dict, shown: str | None = None, other: bool = False) -> str:
    """One unit as a Markdown line: indented label, badges, escaped text; with ``other``, the other
    language's wording beneath it in grey, and why the translation does not agree."""
    indent = "&emsp;" * max(0, int(row["depth"]) - 2)
    extra = agreement(row, shown)
    head = (f"{indent}**{esc(row['long_label'])}** {badges(row['status'], row.get('confidence'), row.get('certainty'))}"
            + (f" {extra}" if extra else ""))
    text = row.get("text")
    line = f"{head}  _wording not in the sources_" if not isinstance(text, str) or not text else f"{head}  {esc(text)}"
    if other:
        o, lang = row.get("other_text"), row.get("other_language")
        if isinstance(o, str) and o and isinstance(lang, str):
            line += f"  \n{indent}:gray[{LANGUAGE_TAG.get(lang, esc(lang))}: {esc(o)}]"
        note = row.get("agreement_note")
        if row.get("agreement") not in (None, "agrees") and isinstance(note, str) and note:
            line += f"  \n{indent}:orange[≠ {esc(note)}]"
    return line


def excluded_markdown(row: dict, shown: str | None = None) -> str:
    """An excluded unit collapsed to one line: "Excluded by Law № … from …" (and, with both texts, whether
    the translation agrees)."""
    indent = "&emsp;" * max(0, int(row["depth"]) - 2)
    extra = agreement(row, shown)
    return (f"{indent}:gray[{esc(row['long_label'])} — {esc(row['basis'][:1].upper() + row['basis'][1:])}]"
            + (f" {extra}" if extra else ""))


def diff_markdown(diff) -> str:
    """Word diff pairs as Markdown: deletions struck through in red, insertions in green."""
    parts = []
    for op, text in diff:
        t = esc(text)
        parts.append(t if op == "=" else (f":red-background[~~{t}~~]" if op == "-" else f":green-background[{t}]"))
    return " ".join(parts)
