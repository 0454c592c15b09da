"""Word diffs between two wordings of a unit, and whether a difference is only translation noise.

>>> normalise("“Electronic government” – and/or  x")
'"electronic government" - and (or) x'
>>> word_diff("a b c", "a x c")
[('=', 'a'), ('-', 'b'), ('+', 'x'), ('=', 'c')]
>>> classify("data — and/or “files”", 'data - and (or) "files"')
'translation'
>>> classify("functions as well", "functions, as well")
'translation'
"""
from __future__ import annotations

import difflib
import re

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "`": "'"})
_DASHES = re.compile(r"[‐‑‒–—―−]")


def normalise(text: str) -> str:
    """Fold what translators vary without changing the law: quotes, dashes, commas, spaces, case, and/or."""
    t = text.translate(_QUOTES).replace(",", " ")
    t = _DASHES.sub("-", t)
    t = re.sub(r"\band/or\b", "and (or)", t, flags=re.I)
    t = re.sub(r"\s*-\s*", " - ", t)
    t = re.sub(r"\s+", " ", t).strip().lower()
    return t.rstrip(";.,")


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+(?:[-']\w+)*|[^\w\s]", text)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff as (op, text) pairs; op is "=", "-" or "+". Uses ``autojunk=False``."""
    a, b = old.split(), new.split()
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out.append(("=", " ".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append(("-", " ".join(a[i1:i2])))
            if j2 > j1:
                out.append(("+", " ".join(b[j1:j2])))
    return out


def classify(old: str, new: str) -> str:
    """``same`` (identical), ``translation`` (equal once normalised) or ``substantive``."""
    if old == new:
        return "same"
    return "translation" if normalise(old) == normalise(new) else "substantive"


def similarity(a: str, b: str) -> float:
    """0..1 word similarity of normalised texts (for matching quotations to units)."""
    return difflib.SequenceMatcher(None, tokens(normalise(a)), tokens(normalise(b)), autojunk=False).ratio()
