"""The state of one unit of a law on a date (``unit_state``), memoised per interval between the dates
where it can change.

Per unit, what does not depend on the date is read once per law index (``_UnitPlan``); the dates where
the answer can change are its breakpoints (``_breakpoints``); ``unit_state`` keeps one answer per
interval between them. ``model.pointintime`` describes the answer (status, certainty, confidence,
basis) and builds the index; ``model.evidence`` combines two languages' answers.
"""
from __future__ import annotations

from bisect import bisect_right
from datetime import date

from model.lifecycle import ESTIMATE_WINDOW, LEvent
from model.pointintime import LawIndex, UnitState, Witness, dmy
from model.textdiff import classify


def witness_for(idx: LawIndex, eid: str, on: date) -> tuple[Witness, date | None, date | None, str | None] | None:
    """A dated wording valid on ``on``, the interval [from, to) it holds over, and a doubt (or None).

    Only dated texts with no noted change touching the unit between their date and ``on`` qualify.
    The latest such text known on or before ``on`` wins; failing that, the earliest after it. When
    texts on both sides of ``on`` differ although no note explains it, the doubt says so: the
    change happened somewhere between the two dates.
    """
    return _witness_on(_plan(idx, eid).spans, on)


def _witness_spans(idx: LawIndex, eid: str) -> list[tuple[Witness, date | None, date | None]]:
    """Each dated wording of ``eid`` with the interval [start, end) between the changes touching the unit
    around its date: the wording can stand for any date in it (the same for every date asked)."""
    dates = [e.effective_date for e in idx.changes.get(eid, [])]
    out = []
    for w in idx.witnesses.get(eid, []):
        start = max((d for d in dates if d <= w.known_on), default=None)
        end = min((d for d in dates if d > w.known_on), default=None)
        out.append((w, start, end))
    return out


def _witness_on(spans: list[tuple[Witness, date | None, date | None]], on: date
                ) -> tuple[Witness, date | None, date | None, str | None] | None:
    """``witness_for`` given the unit's ``_witness_spans``: compares ``on`` only with their start, end
    and known-on dates."""
    if len(spans) == 1:  # the usual case (the newest dated edition): no choice to make, no doubt
        w, start, end = spans[0]
        return (w, start, end, None) if (start is None or start <= on) and (end is None or on < end) else None
    usable = [u for u in spans if (u[1] is None or u[1] <= on) and (u[2] is None or on < u[2])]
    if not usable:
        return None
    before = [u for u in usable if u[0].known_on <= on]
    after = [u for u in usable if u[0].known_on > on]
    if before:
        w, start, end = max(before, key=lambda u: u[0].known_on)
        nxt = min(after, key=lambda u: u[0].known_on) if after else None
        doubt = None
        if nxt is not None and classify(w.text, nxt[0].text) == "substantive":
            doubt = (f"{w.described} and {nxt[0].described} differ although no note records a change: it "
                     "happened somewhere between those dates")
        return w, start, end, doubt
    w, start, end = min(after, key=lambda u: u[0].known_on)
    return w, start, end, None


def _is_sorted(ds: list[date]) -> bool:
    return all(a <= b for a, b in zip(ds, ds[1:]))


class _UnitPlan:
    """What ``_state_on`` needs of one unit that does not depend on the date, read once per index:
    its lifecycle and its article's, the candidate laws' names and dates, the changes touching it and
    their dates, its dated wordings' spans (``_witness_spans``), and its breakpoints (``_breakpoints``).

    ``candidate_dates`` are ascending (``derive_lifecycles`` orders them by date), so "those after
    ``on``" is a slice found by bisection; ``sorted_candidates`` is False if that ever stops being so,
    and the scan is used instead.
    """

    __slots__ = ("eid", "lc", "article", "base", "head", "tail", "text", "stub_until", "candidate_names",
                 "candidate_dates", "sorted_candidates", "changes", "spans", "breaks")

    def __init__(self, idx: LawIndex, eid: str):
        self.eid = eid
        self.lc = lc = idx.lifecycles[eid]
        self.article = idx.lifecycles.get(eid.split("__")[0])
        self.base = base = idx.base[eid]
        self.head = tuple(base[f] for f in _HEAD)  # the date-independent fields, in the order ``_state`` sets them
        self.tail = tuple(base[f] for f in _TAIL)
        self.text = idx.texts.get(eid)
        # today's text of a unit a note excludes is the exclusion stub, not the wording it had before
        self.stub_until = lc.end if lc.end is not None and lc.end_law and eid in idx.excluded_by_note else None
        self.candidate_names = tuple(n for n, _ in lc.candidates)
        self.candidate_dates = [d for _, d in lc.candidates]
        self.sorted_candidates = _is_sorted(self.candidate_dates)
        events = idx.changes.get(eid, [])
        key = tuple(map(id, events))
        self.changes = idx.shared_changes.get(key) or idx.shared_changes.setdefault(key, _Changes(events))
        self.spans = _witness_spans(idx, eid) if eid in idx.witnesses else []
        self.breaks = _breakpoints(idx, eid, self)


class _Changes:
    """The changes touching a unit (``LawIndex.changes``), one object for all units whose lists are the
    same (the sub-units of an article without notes of their own): what ``_later_on`` says about the
    changes after a date is then worked out once per list, not once per unit.

    ``dates`` are ascending (``changes_touching`` orders the changes by date), so the changes after
    ``on`` are a slice found by bisection; ``ascending`` is False if that ever stops being so, and the
    scan is used instead.
    """

    __slots__ = ("events", "dates", "ascending", "last")

    def __init__(self, events: list[LEvent]):
        self.events = events
        self.dates = [e.effective_date for e in events]
        self.ascending = _is_sorted(self.dates)
        self.last = max(self.dates, default=None)


def _later_on(idx: LawIndex, ch: _Changes, on: date) -> tuple[tuple[str, ...], date, str] | None:
    """For the changes in ``ch`` taking effect after ``on`` (None if there are none): their laws (first
    mention first), the earliest date, and the sentence naming them. Memoised in ``idx.states`` per
    (list, number of changes on or before ``on``), so forgetting the states forgets these too."""
    if not ch.ascending:
        later = [e for e in ch.events if e.effective_date > on]
        return _later_said(later) if later else None
    k = bisect_right(ch.dates, on)
    if k == len(ch.dates):
        return None
    hit = idx.states.get((ch, k))
    if hit is None:
        hit = idx.states[(ch, k)] = _later_said(ch.events[k:])
    return hit


def _later_said(later: list[LEvent]) -> tuple[tuple[str, ...], date, str]:
    laws = tuple(dict.fromkeys(e.law_number for e in later))
    first = min(e.effective_date for e in later)
    pairs = list(dict.fromkeys((e.law_number, e.effective_date) for e in later))
    return laws, first, ("today's wording shown: a later change can have touched it ("
                         + ", ".join(f"№ {n} from {dmy(d)}" for n, d in pairs[:6])
                         + (f" and {len(pairs) - 6} more" if len(pairs) > 6 else "") + ")")


def _plan(idx: LawIndex, eid: str) -> _UnitPlan:
    """The unit's ``_UnitPlan``, made on first use and kept with the index (it does not depend on the date)."""
    p = idx.plans.get(eid)
    if p is None:
        if eid not in idx.lifecycles:
            raise KeyError(eid)
        p = idx.plans[eid] = _UnitPlan(idx, eid)
    return p


_UNCERTAIN_KINDS = ("candidates", "unknown", "inserted")  # an existence only these laws' dates bound


def _breakpoints(idx: LawIndex, eid: str, plan: _UnitPlan | None = None) -> list[date] | None:
    """Every date ``_state_on`` compares ``on`` with for ``eid``, sorted; None: do not memoise this unit.

    The state depends on ``on`` only through comparisons ``on < d`` / ``on >= d`` in ``_state_on``.
    In its order, with the dates each compares and when it is reached:

    1. the law's commencement; the unit's end (also whether today's text is the exclusion stub), and
       the end + ESTIMATE_WINDOW if the end is estimated;
    2. the rewrite above the unit, and then its article's earliest date;
    3. the unit's earliest date; the date its existence is certain (+ ESTIMATE_WINDOW if estimated);
    4. for a unit whose existence only candidate laws bound (inserted, candidates, unknown): their
       dates. If it is never certain, its answer is "uncertain" from here on: nothing else is compared;
    5. for a unit with text (``present``): its dated wordings' known-on dates and the changes around
       them (``_witness_spans``); and, for a unit that is never excluded, the dates of the changes
       touching it (an excluded one with no wording for the date is answered before they are read).

    Between two consecutive such dates its state is therefore the same, and ``unit_state`` memoises
    one state per interval. A date listed where it is never compared only splits an interval in two.
    """
    p = plan if plan is not None else _plan(idx, eid)
    lc = p.lc
    out = {idx.commencement}
    if lc.end is not None:
        out.add(lc.end)
        if lc.end_estimated:
            out.add(lc.end + ESTIMATE_WINDOW)
    if lc.rewritten_on is not None:
        out.add(lc.rewritten_on)
        if p.article is not None and p.article.possible_from:
            out.add(p.article.possible_from)
    if lc.possible_from is not None:
        out.add(lc.possible_from)
    if lc.certain_from is not None:
        out.add(lc.certain_from)
        if lc.start_estimated:
            out.add(lc.certain_from + ESTIMATE_WINDOW)
    if lc.start_kind in _UNCERTAIN_KINDS:
        out.update(p.candidate_dates)
        if lc.certain_from is None:  # never certain: the "uncertain" answer is the last one reached
            return sorted(out)
    if not p.base["present"]:
        return sorted(out)
    for w, start, end in p.spans:
        out.add(w.known_on)
        out.update(d for d in (start, end) if d is not None)
    if lc.end is None:
        out.update(p.changes.dates)
    return sorted(out)


def breakpoints(idx: LawIndex, eid: str) -> list[date] | None:
    """The dates at which the state of ``eid`` can change, sorted (see ``_breakpoints``): ``unit_state``
    gives the same answer for every date from one of them up to the next. None: no such promise."""
    return _plan(idx, eid).breaks


def _of(idx: LawIndex, number: str | None) -> str:
    """" of DD.MM.YYYY" for an amending law whose date is known."""
    info = idx.law_info.get(number or "")
    return f" of {dmy(info.date)}" if info is not None and info.date else ""


# UnitState's fields that do not depend on the date, before and after those that do (``_state``)
_HEAD = ("eid", "label", "long_label", "kind", "parent", "depth")
_TAIL = ("present", "language", "status_from", "agreement", "agreement_note", "other_language", "other_text")


def _state(p: _UnitPlan, status: str, certainty: str | None, confidence: str | None, text: str | None,
           text_source: str | None, valid_from: date | None, valid_to: date | None, basis: str,
           laws: tuple[str, ...] = ()) -> UnitState:
    """``UnitState(**base, status=..., ...)`` for the unit of ``p``, without running the frozen dataclass's
    ``__init__`` (one ``object.__setattr__`` per field: 8x slower). Every field is set, in field order,
    into the instance's own ``__dict__``, which keeps the keys it shares with every other instance (a
    copied dict would be three times the size)."""
    s = _new(UnitState)
    d = s.__dict__
    d["eid"], d["label"], d["long_label"], d["kind"], d["parent"], d["depth"] = p.head
    d["status"] = status
    d["certainty"] = certainty
    d["confidence"] = confidence
    d["text"] = text
    d["text_source"] = text_source
    d["valid_from"] = valid_from
    d["valid_to"] = valid_to
    d["basis"] = basis
    d["laws"] = laws
    (d["present"], d["language"], d["status_from"], d["agreement"], d["agreement_note"], d["other_language"],
     d["other_text"]) = p.tail
    return s


def with_fields(fields: dict) -> UnitState:
    """A ``UnitState`` whose ``__dict__`` is ``fields``, which must name every field (the caller's promise:
    nothing is checked or defaulted). Equality, hashing and repr are the dataclass's, as for any other."""
    s = _new(UnitState)
    _setattr(s, "__dict__", fields)
    return s


_new = object.__new__
_setattr = object.__setattr__  # the frozen dataclass's own __setattr__ refuses every assignment


def unit_state(idx: LawIndex, eid: str, on: date) -> UnitState:
    """The state of one unit on ``on`` (what it says: ``model.pointintime``).

    Memoised per interval between the unit's breakpoints (``_breakpoints``): a date in an interval
    already asked about costs a lookup. Any new comparison of ``on`` in ``_state_on`` must be
    matched by its date in ``_breakpoints`` (``tests/model/test_memo.py`` asks every unit on the day
    before, of and after every date of its lifecycle, candidates, changes and dated wordings).
    """
    p = idx.plans.get(eid) or _plan(idx, eid)
    bps = p.breaks
    if bps is None:
        return _state_on(idx, p, on)
    key = (eid, bisect_right(bps, on))
    state = idx.states.get(key)
    if state is None:
        state = idx.states[key] = _state_on(idx, p, on)
    return state


def _unit_state(idx: LawIndex, eid: str, on: date) -> UnitState:
    """The state of ``eid`` on ``on``, computed (not memoised)."""
    return _state_on(idx, _plan(idx, eid), on)


def _state_on(idx: LawIndex, p: _UnitPlan, on: date) -> UnitState:
    """The state of ``p``'s unit on ``on``. Every comparison of ``on`` here has its date in ``_breakpoints``."""
    lc = p.lc
    base = p.base  # read for "present" and "kind"; ``_state`` takes the fields from ``p``
    text = None if p.stub_until is not None and on < p.stub_until else p.text  # not the stub before the end
    commencement = idx.commencement
    if on < commencement:
        return _state(p, "not_yet_in_force", None, None, None, None, None, None,
                      f"the law enters into force on {dmy(commencement)} (Article 67)")
    if lc.end is not None and on >= lc.end:
        if lc.end_estimated and on < lc.end + ESTIMATE_WINDOW:
            return _state(p, "uncertain", None, "unknown", text, "today", lc.possible_from, None,
                          f"excluded by Law № {lc.end_law} from about {dmy(lc.end)}: the date is "
                          "estimated (publication date unknown), so it may not yet have applied",
                          (lc.end_law,))
        return _state(p, "excluded", "certain", "exact" if base["present"] and text else "unknown",
                      text if base["present"] else None, "today" if base["present"] else None, lc.end, None,
                      f"excluded by Law № {lc.end_law}{_of(idx, lc.end_law)} from {dmy(lc.end)}", (lc.end_law,))
    rewritten = lc.rewritten_on is not None and on < lc.rewritten_on
    article = p.article
    if rewritten and article is not None and article.possible_from and on < article.possible_from:
        rewritten = False  # the article itself did not exist yet
    if rewritten and base["kind"] not in ("article", "heading"):
        return _state(p, "uncertain", None, "unknown", text, "today", None, lc.rewritten_on,
                      f"its article was rewritten whole by Law № {lc.rewritten_by} from "
                      f"{dmy(lc.rewritten_on)}; before that its structure is not in the sources",
                      (lc.rewritten_by,))
    if lc.possible_from is not None and on < lc.possible_from:
        if lc.start_kind in ("inserted", "candidates", "rewritten") or lc.possible_from > commencement:
            return _state(p, "not_yet_inserted", None, None, None, None, lc.possible_from, lc.end,
                          ("every law that could have inserted it took effect later: " if lc.start_kind == "candidates"
                           else "") + lc.basis, p.candidate_names)
    certain = lc.certain_from is not None and on >= lc.certain_from
    if certain and lc.start_estimated and on < lc.certain_from + ESTIMATE_WINDOW:
        certain = False
    if not certain and lc.start_kind in _UNCERTAIN_KINDS:
        if p.sorted_candidates:  # the laws taking effect after ``on``, else all of them
            later = p.candidate_names[bisect_right(p.candidate_dates, on):] or p.candidate_names
        else:
            later = tuple(n for n, d in lc.candidates if d > on) or p.candidate_names
        return _state(p, "uncertain", None, "unknown", text, "today" if text else None, lc.possible_from, lc.end,
                      lc.basis + ("; the inserting law's date is estimated" if lc.start_kind == "inserted" else ""),
                      later)
    certainty = "certain" if certain else "probable"
    # wording confidence
    if rewritten:  # the article (or its heading) before its rewrite
        return _state(p, "in_force", certainty, "unknown", text, "today", lc.possible_from, lc.rewritten_on,
                      f"rewritten whole by Law № {lc.rewritten_by} from {dmy(lc.rewritten_on)}; "
                      "its earlier wording is not in the sources", (lc.rewritten_by,))
    if not base["present"]:
        return _state(p, "in_force", certainty, "unknown", None, None, lc.possible_from, lc.end, lc.basis)
    w = _witness_on(p.spans, on) if p.spans else None
    if w is None and lc.end is not None:
        return _state(p, "in_force", certainty, "unknown", None, None, lc.possible_from, lc.end,
                      f"excluded later by Law № {lc.end_law} from {dmy(lc.end)}; its wording "
                      "before the exclusion is not in the sources", (lc.end_law,))
    if w is not None:
        wit, start, end, doubt = w
        return _state(p, "in_force", certainty, "unknown" if doubt else "exact", wit.text,
                      f"witness: {wit.source}", start, end,
                      doubt or (f"wording in {wit.described}; no "
                                "change touching the unit between that date and this one"))
    start_note = "" if certainty == "certain" else f"; existence {certainty}: {lc.basis}"
    later = _later_on(idx, p.changes, on)
    if later is not None:
        laws, first, said = later
        return _state(p, "in_force", certainty, "later_amended", text, "today", lc.possible_from, first,
                      said + start_note, laws)
    # no change after ``on``: every change touching the unit is on or before it
    return _state(p, "in_force", certainty, "exact", text, "today",
                  p.changes.last if p.changes.last is not None else lc.possible_from, lc.end,
                  "today's wording; no later change can have touched it" + start_note,
                  p.candidate_names if certainty != "certain" else ())
