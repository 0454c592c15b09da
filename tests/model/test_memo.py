"""The memos of ``as_of`` never change an answer.

``unit_state`` keeps one state per unit and interval between the unit's breakpoints
(``unitstate._breakpoints``), ``evidence.as_of`` one combined state per unit and interval between
the breakpoints of both texts. A date missing from the breakpoints would show up as two dates in one
interval with different answers; so the dates asked are not taken from ``_breakpoints`` alone but from
the index itself: the law's commencement, every date of the unit's lifecycle and of its article's
(also + ESTIMATE_WINDOW), the candidate laws' dates, the dates of the changes touching the unit and of
its dated wordings — each with the day before and after — plus the breakpoints themselves and a date
every 9 days from 2015-06-01 to 2026-12-21. They are asked in ascending order with the memo emptied
first, so a missing breakpoint returns the state of the day before where the answer changes.

Checked on the database with both texts and the Council of Europe quotations, for both languages'
indexes and for the combined answer shown in either language; and on a variant of the official text's
index with what the fixture lacks (where a missing breakpoint would go unseen): an inserted article
rewritten whole later, units with two dated wordings that differ, excluded units with a dated wording.
"""
from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlmodel import Session

from model import evidence
from model.engine import make_engine
from model.lifecycle import ESTIMATE_WINDOW, LEvent, LUnit, changes_touching, derive_lifecycles
from model.pointintime import UnitState, Witness, as_of, law_index
from model.unitstate import _breakpoints, _unit_state, unit_state

GRID = [date(2015, 6, 1) + timedelta(days=9 * i) for i in range(470)]


def dates_to_ask(idx, eid: str) -> set[date]:
    """Every date the state of ``eid`` could turn on, read from the index (a superset of the breakpoints,
    not derived from them), each with the day before and after; and the breakpoints themselves."""
    found = {idx.commencement}
    for lc in (idx.lifecycles[eid], idx.lifecycles.get(eid.split("__")[0])):
        if lc is None:
            continue
        for f in dataclasses.fields(lc):
            d = getattr(lc, f.name)
            if isinstance(d, date):
                found.update((d, d + ESTIMATE_WINDOW))
        found.update(d for _, d in lc.candidates)
    found.update(e.effective_date for e in idx.changes.get(eid, []))
    found.update(w.known_on for w in idx.witnesses.get(eid, []))
    found.update(_breakpoints(idx, eid) or ())
    return {d + timedelta(days=k) for d in found for k in (-1, 0, 1)}


@pytest.mark.parametrize("bilingual_db", ["sqlite"], indirect=True)  # one backend: the memo is in memory
@pytest.mark.parametrize("language", ["rus", "eng"])
def test_memoised_states_equal_direct_computation(bilingual_db, language):
    with Session(make_engine(bilingual_db)) as s:
        idx = law_index(session=s, language=language)
        idx.states.clear()
        checked = 0
        for eid in idx.eids:
            for d in sorted(set(GRID) | dates_to_ask(idx, eid)):
                assert unit_state(idx, eid, d) == _unit_state(idx, eid, d), (eid, d)
                checked += 1
        assert checked > 500_000
        assert any(idx.witnesses.get(eid) for eid in idx.eids)  # units with dated wordings are memoised too


def with_what_the_fixture_lacks(idx):
    """A copy of ``idx`` (memo empty) with what the fixture lacks.

    - its first article without notes of its own was inserted by a law of 01.03.2018 and rewritten whole
      by one of 01.05.2021, and its first part below the heading excluded from 01.01.2023 (an excluded
      part's breakpoints leave out the changes touching it: only the article's earliest date marks the
      day it could start to exist);
    - every third unit with one dated wording has a second, different one, dated halfway between the
      last change before the first and the first;
    - every excluded unit with text and notes has a dated wording known between its first two changes.
    """
    units = [LUnit(u.eid, u.kind, u.number, u.parent_eid, u.present) for u in idx.units]
    events = [LEvent(e.eid, e.kind, e.law_number, e.effective_date, e.effective_basis) for e in idx.events]
    article = next(u.eid for u in idx.units if u.kind == "article" and idx.children.get(u.eid)
                   and u.eid not in idx.events_by_eid)
    part = next(c for c in idx.children[article] if not c.endswith("__heading"))
    events += [LEvent(article, "inserted", "1-TEST", date(2018, 3, 1), "explicit"),
               LEvent(article, "new_wording", "2-TEST", date(2021, 5, 1), "explicit"),
               LEvent(part, "excluded", "3-TEST", date(2023, 1, 1), "explicit")]
    lifecycles = derive_lifecycles(units, events, idx.commencement)
    changes = changes_touching(units, events)
    witnesses = {eid: list(ws) for eid, ws in idx.witnesses.items()}
    for i, (eid, ws) in enumerate(sorted(witnesses.items())):
        if len(ws) == 1 and i % 3 == 0:
            before = [e.effective_date for e in changes.get(eid, []) if e.effective_date <= ws[0].known_on]
            start = max(before, default=idx.commencement)
            ws.insert(0, Witness(eid, "an earlier wording, not the same", start + (ws[0].known_on - start) / 2,
                                 "test quotation", idx.language))
    for eid in idx.eids:
        dates = sorted({e.effective_date for e in changes.get(eid, [])})
        if lifecycles[eid].end is not None and idx.texts.get(eid) and len(dates) > 1 and eid not in witnesses:
            witnesses[eid] = [Witness(eid, idx.texts[eid], dates[0] + (dates[1] - dates[0]) / 2, "test quotation",
                                      idx.language)]
    assert any(len(ws) > 1 for ws in witnesses.values())
    return dataclasses.replace(idx, lifecycles=lifecycles, changes=changes, witnesses=witnesses, plans={},
                               shared_changes={}, states={})


@pytest.mark.parametrize("bilingual_db", ["sqlite"], indirect=True)
def test_memoised_states_equal_direct_computation_where_the_fixture_is_silent(bilingual_db):
    with Session(make_engine(bilingual_db)) as s:
        idx = with_what_the_fixture_lacks(law_index(session=s, language="rus"))
        answers = set()
        for eid in idx.eids:
            for d in sorted(set(GRID[::3]) | dates_to_ask(idx, eid)):
                state = unit_state(idx, eid, d)
                assert state == _unit_state(idx, eid, d), (eid, d)
                answers.add((state.status, state.text_source, "differ although" in state.basis))
        quoted = "witness: test quotation"
        assert {("uncertain", "today", False), ("not_yet_inserted", None, False),  # the article rewritten
                ("in_force", quoted, False), ("in_force", quoted, True)} <= answers  # the second wordings


@pytest.mark.parametrize("bilingual_db", ["sqlite"], indirect=True)
def test_memoised_combined_states_equal_direct_combination(bilingual_db):
    with Session(make_engine(bilingual_db)) as s:
        off, tr = law_index(session=s, language="rus"), law_index(session=s, language="eng")
        asked = set()
        for idx in (off, tr):
            for eid in idx.eids:
                asked.update(d + timedelta(days=k) for d in _breakpoints(idx, eid) or () for k in (-1, 0))
        off.states.clear()
        tr.states.clear()
        evidence._MEMO.clear()
        pair = evidence._pair_memo(off, tr)
        for d in sorted(asked | set(GRID[::4])):
            for language, show in ((None, "rus"), ("eng", "eng")):  # one memo for both: the language is in its key
                got = as_of(session=s, on=d, language=language)
                want = [evidence._combine(pair, unit_state(off, eid, d) if eid in off.by_eid else None,
                                          unit_state(tr, eid, d) if eid in tr.by_eid else None,
                                          pair.notes.get(eid, ()), show) for eid in evidence._order(off, tr, None)]
                assert got == want, (d, language)
        assert len(asked) > 100


@pytest.mark.parametrize("bilingual_db", ["sqlite"], indirect=True)
def test_states_built_without_init_are_plain_dataclass_instances(bilingual_db):
    fields = [f.name for f in dataclasses.fields(UnitState)]
    with Session(make_engine(bilingual_db)) as s:
        for language in (None, "eng"):
            for st in as_of(session=s, on=date(2019, 6, 1), language=language)[:200]:
                assert list(vars(st)) == fields  # every field, in field order
                again = UnitState(**{f: getattr(st, f) for f in fields})
                assert st == again and hash(st) == hash(again) and repr(st) == repr(again)
                with pytest.raises(dataclasses.FrozenInstanceError):
                    st.status = "excluded"
    with pytest.raises(TypeError, match="no field 'colour'"):
        evidence.replace(again, colour="red")
