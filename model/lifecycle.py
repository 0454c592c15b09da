"""When each unit existed, and how sure the sources let us be — derived from units and events.

One consolidated edition shows today's units plus notes. ``derive_lifecycles`` reasons like a
lawyer reading the footnotes (see each rule's ``basis`` sentence for what it relied on):

1. Articles, chapters, sections: an article "supplemented" by Law X exists from X's effective
   date; any other article is original and exists from the law's commencement (1 January 2016).
2. A sub-unit numbered "3-1" was inserted by one of the laws touching its article (inside an inserted
   or rewritten article: one of the laws after that one): its start is the range of those laws' dates.
3. A sub-unit with a plain number in a touched article may be original or appended later: it
   *probably* exists from the article's start and *certainly* from the last law that could have
   appended it. Only in an untouched article is the start certain.
4. An article (or paragraph) "in the wording of" Law W was rewritten whole: its present sub-units
   date from W; before W their existence is ``uncertain`` and their wording ``unknown``.
5. Evidence both ways: a unit excluded on T existed just before T, and so did the plain-numbered units
   numbered before it in the same list — laws after T cannot have added them.
6. Sub-units inherit their parent's uncertainty and end; units known only from the numbering
   (Articles 45–47 of the excluded Chapter 7) exist until their chapter's exclusion, text unknown.

Dates that are only estimated (publication date unknown) are lower bounds: the month after such a
date is treated as uncertain (``ESTIMATE_WINDOW``).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

ESTIMATE_WINDOW = timedelta(days=31)
_INSERTED_NUMBER = re.compile(r"^\d+-\d+$")


class LUnit(NamedTuple):
    """A unit as the rules see it (a tuple: built in a fifth of a frozen dataclass's time, ~4,000 a law)."""

    eid: str
    kind: str
    number: str | None
    parent: str | None
    present: bool = True


class LEvent(NamedTuple):
    """An amendment event as the rules see it (a tuple, as ``LUnit``)."""

    eid: str
    kind: str
    law_number: str
    effective_date: date | None
    basis: str


@dataclass(frozen=True)
class Lifecycle:
    """Existence of one unit: possible from, certain from, until; with the evidence."""

    eid: str
    possible_from: date | None      # earliest date it may have existed
    certain_from: date | None       # from this date its existence is certain (None: never certain)
    end: date | None                # excluded from this date
    end_law: str | None
    start_kind: str                 # original | inserted | candidates | rewritten | unknown
    candidates: tuple[tuple[str, date], ...] = field(default=())
    rewritten_on: date | None = None  # date of the latest "in the wording of" law above it
    rewritten_by: str | None = None
    start_estimated: bool = False   # the start date is only estimated (a lower bound)
    end_estimated: bool = False     # the exclusion date is only estimated (a lower bound)
    basis: str = ""


@functools.lru_cache(maxsize=1024)
def _dmy(d: date) -> str:
    """DD.MM.YYYY, cached: strftime is slow and few distinct dates occur."""
    return f"{d:%d.%m.%Y}"


def _num_base(number: str | None) -> int | None:
    if number is None:
        return None
    try:
        return int(number.split("-")[0])
    except ValueError:
        return None


def derive_lifecycles(units: list[LUnit], events: list[LEvent], commencement: date) -> dict[str, Lifecycle]:
    """Lifecycle of every unit (see the module docstring for the rules)."""
    by_eid = {u.eid: u for u in units}
    children: dict[str | None, list[LUnit]] = {}
    for u in units:
        children.setdefault(u.parent, []).append(u)
    ev: dict[str, list[LEvent]] = {}
    for e in events:
        ev.setdefault(e.eid, []).append(e)

    def descendants(eid: str) -> list[str]:
        out, stack = [], [eid]
        while stack:
            for c in children.get(stack.pop(), []):
                out.append(c.eid)
                stack.append(c.eid)
        return out

    article_laws: dict[str, list[tuple[str, date]]] = {}
    for u in units:
        if u.kind == "article":
            seen: dict[str, date] = {}
            for eid in [u.eid] + [d for d in descendants(u.eid) if not d.endswith("__heading")]:
                for e in ev.get(eid, []):
                    if e.effective_date and e.law_number not in seen:
                        seen[e.law_number] = e.effective_date
            article_laws[u.eid] = sorted(seen.items(), key=lambda kv: (kv[1], kv[0]))

    # the earliest exclusion date of a plain-numbered sibling numbered at or after each unit
    excl: dict[str, LEvent] = {}
    for u in units:
        xs = [e for e in ev.get(u.eid, []) if e.kind == "excluded" and e.effective_date]
        if xs:
            excl[u.eid] = min(xs, key=lambda e: e.effective_date)
    # per parent, its excluded plain-numbered children: (kind, number, exclusion date) — rule 5 looks
    # these up for every sibling (looking through all siblings each time was quadratic in a list's length)
    excluded_plain: dict[str | None, list[tuple[str, int, date]]] = {}
    for u in units:
        x = excl.get(u.eid)
        if x is not None and u.number and not _INSERTED_NUMBER.match(u.number):
            n = _num_base(u.number)
            if n is not None:
                excluded_plain.setdefault(u.parent, []).append((u.kind, n, x.effective_date))

    out: dict[str, Lifecycle] = {}
    memo: dict = {}  # _sub_unit's, shared by the units of this call

    def compute(u: LUnit) -> Lifecycle:
        if u.eid in out:
            return out[u.eid]
        parent = compute(by_eid[u.parent]) if u.parent in by_eid else None
        own = ev.get(u.eid, [])
        x = excl.get(u.eid)
        end, end_law = (x.effective_date, x.law_number) if x else (None, None)
        end_est = bool(x and x.basis != "explicit")
        if parent and parent.end and (end is None or parent.end < end):
            end, end_law, end_est = parent.end, parent.end_law, parent.end_estimated
        ins = [e for e in own if e.kind == "inserted" and e.effective_date]
        rw_own = [e for e in own if e.kind == "new_wording" and e.effective_date]
        inherit_rw = parent is not None and u.kind not in ("heading", "article", "chapter", "section")
        rewritten_on = parent.rewritten_on if inherit_rw else None
        rewritten_by = parent.rewritten_by if inherit_rw else None
        common = dict(end=end, end_law=end_law, end_estimated=end_est)

        if u.kind == "heading" and parent:
            lc = Lifecycle(u.eid, parent.possible_from, parent.certain_from, start_kind=parent.start_kind,
                           candidates=parent.candidates, start_estimated=parent.start_estimated,
                           basis=f"exists with {u.parent}", **common)
        elif u.kind in ("section", "chapter", "article", "preamble", "conclusions"):
            if ins:
                e = min(ins, key=lambda e: e.effective_date)
                lc = Lifecycle(u.eid, e.effective_date, e.effective_date, start_kind="inserted",
                               candidates=((e.law_number, e.effective_date),),
                               start_estimated=e.basis != "explicit",
                               basis=f"inserted by Law № {e.law_number} from {_dmy(e.effective_date)}"
                                     f" ({e.basis} date)", **common)
            else:
                start = commencement
                if parent and parent.possible_from and parent.possible_from > start:
                    start = parent.possible_from
                lc = Lifecycle(u.eid, start, start if not parent or parent.certain_from else None,
                               start_kind="original",
                               basis="in the law since its commencement (no note inserts it)" if u.present
                               else "known only from the article numbering; its text is not in the sources",
                               **common)
            if rw_own:
                w = max(rw_own, key=lambda e: e.effective_date)
                lc = Lifecycle(**{**lc.__dict__, "rewritten_on": w.effective_date, "rewritten_by": w.law_number})
        else:
            lc = _sub_unit(u, parent, own, ins, rw_own, rewritten_on, rewritten_by, commencement,
                           article_laws, excluded_plain, common, memo)
        out[u.eid] = lc
        return lc

    for u in units:
        compute(u)
    # ``compute`` refers to itself (through its closure): a cycle holding every unit's and event's objects
    # of the call, which only a garbage collection would free (5,500 objects a law). Broken here, they
    # are freed as soon as the call returns.
    del compute
    return out


def changes_touching(units: list[LUnit], events: list[LEvent]) -> dict[str, list[LEvent]]:
    """For every unit, the events that can have changed its wording, by date.

    A unit's wording can be changed by a note on the unit itself, on any unit above it up to its
    article (an article's footnote does not say which part it amended) and on any unit inside it.
    Heading notes concern only the heading; chapter and section notes concern only themselves.
    """
    by_eid = {u.eid: u for u in units}
    ev: dict[str, list[LEvent]] = {}
    for e in events:
        if e.effective_date is not None:
            ev.setdefault(e.eid, []).append(e)
    # Every unit's list is ordered by (date, law, unit), ties in input order. Events tie only with
    # events of the same unit, which every list holds in input order; so one sort of all events gives
    # each event a rank, the lists below hold ranks, and each is ordered by sorting plain ints.
    order = sorted((e for e in events if e.effective_date is not None),
                   key=lambda e: (e.effective_date, e.law_number, e.eid))
    rank = {id(e): i for i, e in enumerate(order)}
    keys = [(e.eid, e.law_number, e.kind) for e in order]
    ranks = {eid: [rank[id(e)] for e in es] for eid, es in ev.items()}
    below: dict[str, list[int]] = {}
    for u in reversed(units):  # children come after parents in document order
        below[u.eid] = list(ranks.get(u.eid, ()))
    # accumulate descendants bottom-up in one pass
    for u in reversed(units):
        if u.parent in below and not u.eid.endswith("__heading"):
            below[u.parent].extend(below[u.eid])
    out: dict[str, list[LEvent]] = {}
    for u in units:
        if u.kind in ("heading", "section", "chapter"):
            out[u.eid] = sorted(ev.get(u.eid, []), key=lambda e: e.effective_date)
            continue
        acc = list(below.get(u.eid, ()))
        p = by_eid.get(u.parent) if u.parent else None
        while p is not None and p.kind not in ("chapter", "section"):
            acc.extend(ranks.get(p.eid, ()))
            p = by_eid.get(p.parent) if p.parent else None
        seen, uniq = set(), []
        for r in sorted(acc):
            if keys[r] not in seen:
                seen.add(keys[r])
                uniq.append(order[r])
        out[u.eid] = uniq
    return out


def _lc(eid: str, possible_from: date | None, certain_from: date | None, *, end: date | None, end_law: str | None,
        end_estimated: bool, start_kind: str, candidates: tuple = (), rewritten_on: date | None = None,
        rewritten_by: str | None = None, start_estimated: bool = False, basis: str = "") -> Lifecycle:
    """A ``Lifecycle`` built without the frozen dataclass's ``__init__`` (one ``object.__setattr__`` per
    field: 2.2 µs a lifecycle, ~1,300 of them a law). Same fields, same ``__dict__``: equal to the one
    ``__init__`` builds (``tests/model/test_versions.py``)."""
    lc = _new_lifecycle(Lifecycle)
    lc.__dict__.update(eid=eid, possible_from=possible_from, certain_from=certain_from, end=end, end_law=end_law,
                       start_kind=start_kind, candidates=candidates, rewritten_on=rewritten_on,
                       rewritten_by=rewritten_by, start_estimated=start_estimated, end_estimated=end_estimated,
                       basis=basis)
    return lc


_new_lifecycle = object.__new__


@functools.lru_cache(maxsize=4096)
def _numbering(number: str | None) -> tuple[bool, int | None]:
    """(plain number — not "3-1" —, its leading integer); cached: the same few numbers recur in every list."""
    if number is None:
        return False, None
    return not _INSERTED_NUMBER.match(number), _num_base(number)


def _sub_unit(u: LUnit, parent: Lifecycle | None, own: list[LEvent], ins: list[LEvent],
              rw_own: list[LEvent], rewritten_on: date | None, rewritten_by: str | None,
              commencement: date, article_laws: dict, excluded_plain: dict, common: dict,
              memo: dict | None = None) -> Lifecycle:
    """Rules 2–5 of the module docstring for paragraphs, subparagraphs and unnumbered parts.

    ``memo`` (one per ``derive_lifecycles`` call): the laws that may have added a unit and the sentences
    naming them, per (article, start, limit) — the same for most units of an article."""
    memo = {} if memo is None else memo
    article = u.eid.split("__", 1)[0]
    base_from = parent.possible_from if parent else commencement
    base_certain = parent.certain_from if parent else commencement
    if rw_own:
        w = max(rw_own, key=lambda e: e.effective_date)
        rewritten_on, rewritten_by = w.effective_date, w.law_number
    if base_from is None:
        after = rewritten_on
    else:
        after = base_from if rewritten_on is None or rewritten_on < base_from else rewritten_on
    limit = common["end"]
    plain, n = _numbering(u.number)
    if plain and n is not None and u.kind in ("paragraph", "subparagraph"):
        for kind, sn, t in excluded_plain.get(u.parent, ()):
            if kind == u.kind and sn >= n:  # a plain-numbered sibling numbered at or after it
                limit = t if limit is None or t < limit else limit
    key = (article, after, limit)
    laws_names = memo.get(key)
    if laws_names is None:
        laws = tuple((n_, d) for n_, d in article_laws.get(article, ())
                     if (after is None or d > after) and (limit is None or d < limit))
        laws_names = memo[key] = (laws, ", ".join(n_ for n_, _ in laws))
    laws, names = laws_names
    rw = dict(rewritten_on=rewritten_on, rewritten_by=rewritten_by)
    if ins:
        e = min(ins, key=lambda e: e.effective_date)
        return _lc(u.eid, e.effective_date, e.effective_date, start_kind="inserted",
                   candidates=((e.law_number, e.effective_date),), start_estimated=e.basis != "explicit",
                   basis=f"inserted by Law № {e.law_number} from {_dmy(e.effective_date)}", **rw, **common)
    if u.number is not None and not plain:
        if laws:
            return _lc(u.eid, laws[0][1], laws[-1][1] if base_certain else None, start_kind="candidates",
                       candidates=laws, **rw, **common,
                       basis=f'number "{u.number}" shows an insertion by one of the laws touching '
                             f"{article} ({names}); the note does not say which")
        return _lc(u.eid, after, None, start_kind="unknown", **rw, **common,
                   basis=f'number "{u.number}" shows an insertion, but no law touching {article} '
                         "could have made it")
    certain = (laws[-1][1] if laws else after) if base_certain else None
    if base_certain and certain and base_certain > certain:
        certain = base_certain
    kind = "rewritten" if rewritten_on and rewritten_on == after else "original"
    earlier_sibling = limit is not None and limit != common["end"]
    why = memo.get((key, earlier_sibling))
    if why is None:
        if laws:
            why = (f"a plain number may still have been appended by a later law "
                   f"({names}); certain from {_dmy(laws[-1][1])}")
            if earlier_sibling:
                why += "; a later-numbered item excluded earlier shows it existed by then"
        else:
            why = "no law touching the article could have added it"
        memo[(key, earlier_sibling)] = why
    head = f"rewritten whole by Law № {rewritten_by} from {_dmy(rewritten_on)}; " if kind == "rewritten" else ""
    return _lc(u.eid, after, certain, start_kind=kind, candidates=laws, **rw, **common, basis=head + why)
