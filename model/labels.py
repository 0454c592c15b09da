"""People-readable labels from unit ids.

>>> short_label("art_7-1__para_2__subpara_3")
'Art. 7-1, para. 2, subpara. 3)'
>>> long_label("art_7-1__para_2__subpara_3")
'Article 7-1, paragraph 2, subparagraph 3)'
>>> short_label("chp_6__heading")
'Ch. 6, heading'
>>> short_label("art_64__part_2")
'Art. 64, part 2'
"""
from __future__ import annotations

import functools

_SHORT = {"sec": "Sec. {}", "chp": "Ch. {}", "art": "Art. {}", "para": "para. {}",
          "subpara": "subpara. {})", "part": "part {}", "dup": "(repeated {})"}
_LONG = {"sec": "Section {}", "chp": "Chapter {}", "art": "Article {}", "para": "paragraph {}",
         "subpara": "subparagraph {})", "part": "unnumbered part {}", "dup": "(repeated {})"}
_SINGLE = {"heading": "heading", "preamble": "Preamble", "conclusions": "Signature"}


def _label(eid: str, names: dict[str, str]) -> str:
    out = []
    for piece in eid.split("__"):
        if piece in _SINGLE:
            out.append(_SINGLE[piece])
            continue
        kind, _, num = piece.partition("_")
        fmt = names.get(kind)
        out.append(fmt.format(num) if fmt else piece)
    return ", ".join(out)


@functools.lru_cache(maxsize=1 << 16)  # ids repeat: within a law's versions and across laws
def short_label(eid: str) -> str:
    """'Art. 7-1, para. 2, subpara. 3)'."""
    return _label(eid, _SHORT)


@functools.lru_cache(maxsize=1 << 16)
def long_label(eid: str) -> str:
    """'Article 7-1, paragraph 2, subparagraph 3)'."""
    return _label(eid, _LONG)


def article_of(eid: str) -> str | None:
    """The article id a unit belongs to ('art_7-1__para_2' -> 'art_7-1'), or None."""
    head = eid.split("__")[0]
    return head if head.startswith("art_") else None
