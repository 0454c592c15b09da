"""Unit versions from one consolidated edition: today's wording and the periods before it.

For each unit, ``edition_versions`` gives half-open intervals [valid_from, valid_to):
- an excluded unit: its wording before the exclusion (not in the sources, ``text=None``), then the
  exclusion stub from the exclusion date (exact);
- a unit in force: today's wording from the last change that can have touched it (exact), and before
  that a period whose wording the edition does not show (``text=None``, confidence ``unknown``).
"""
from __future__ import annotations

import functools
from bisect import bisect_right
from datetime import date
from operator import attrgetter
from typing import NamedTuple

from model.lifecycle import LEvent, Lifecycle


class VersionRow(NamedTuple):
    """One version (a tuple: built in a third of a frozen dataclass's time, thousands per edition)."""

    eid: str
    text: str | None
    valid_from: date | None
    valid_to: date | None
    status: str
    confidence: str
    basis: str


@functools.lru_cache(maxsize=512)
def _dmy(d: date) -> str:
    """DD.MM.YYYY, cached: strftime is slow and few distinct dates occur."""
    return f"{d:%d.%m.%Y}"


@functools.lru_cache(maxsize=1024)
def _law_from(number: str, d: date) -> str:
    """"№ N from DD.MM.YYYY", cached: the same few laws are named for thousands of units."""
    return f"№ {number} from {_dmy(d)}"


def _laws(events: list[LEvent]) -> str:
    return ", ".join(dict.fromkeys([_law_from(e.law_number, e.effective_date) for e in events]))


_DATE = attrgetter("effective_date")


def edition_versions(eid: str, text: str | None, present: bool, lc: Lifecycle,
                     changes: list[LEvent], memo: dict | None = None) -> list[VersionRow]:
    """The versions of one unit that one edition supports (see the module docstring).

    ``changes``: the events that can have changed its wording, ordered by date (``changes_touching``).
    ``memo``: shared by the calls of one edition — the sentences naming the laws of a run of changes,
    the same for many units of an article."""
    start = lc.possible_from
    if lc.end is not None:
        before = [e for e in changes if e.effective_date < lc.end and (start is None or e.effective_date > start)]
        rows = [VersionRow(eid, None, start, lc.end, "in_force", "unknown",
                           f"existed until excluded by Law № {lc.end_law} from {_dmy(lc.end)}; "
                           "its wording before that is not in the sources"
                           + (f"; changed by {_laws(before)}" if before else ""))]
        rows.append(VersionRow(eid, text if present else None, lc.end, None, "excluded",
                               "exact" if present else "unknown",
                               f"excluded by Law № {lc.end_law} from {_dmy(lc.end)}"))
        return rows
    later = changes if start is None else changes[bisect_right(changes, start, key=_DATE):]
    if not later:
        return [VersionRow(eid, text if present else None, start, None, "in_force",
                           "exact" if present else "unknown",
                           "today's wording; no later note touches it" if present else lc.basis)]
    last = later[-1].effective_date
    key = tuple(map(id, later))
    bases = None if memo is None else memo.get(key)
    if bases is None:
        bases = (f"earlier wording not in the sources; amended by {_laws(later)}",
                 f"today's wording, in force since the last change that can have touched it "
                 f"({_laws([e for e in later if e.effective_date == last])})")
        if memo is not None:
            memo[key] = bases
    return [VersionRow(eid, None, start, last, "in_force", "unknown", bases[0]),
            VersionRow(eid, text, last, None, "in_force", "exact", bases[1])]
