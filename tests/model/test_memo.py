"""The memo of ``unit_state`` (per interval between a unit's breakpoints) never changes an answer.

Checked on the database with both texts and the Council of Europe quotations, for both languages'
indexes: every unit, every 30 days from 2015-06-01 to 2027-01-01, plus every breakpoint and the day
before it, memoised answer == direct computation.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session

from model.engine import make_engine
from model.pointintime import _breakpoints, _unit_state, law_index, unit_state


@pytest.mark.parametrize("bilingual_db", ["sqlite"], indirect=True)  # one backend: the memo is in memory
@pytest.mark.parametrize("language", ["rus", "eng"])
def test_memoised_states_equal_direct_computation(bilingual_db, language):
    with Session(make_engine(bilingual_db)) as s:
        idx = law_index(session=s, language=language)
        days = [date(2015, 6, 1) + timedelta(days=9 * i) for i in range(470)]
        checked = 0
        for u in idx.units:
            extra = set()
            for bp in _breakpoints(idx, u.eid) or []:
                extra.update((bp, bp - timedelta(days=1)))
            for d in sorted(set(days) | extra):
                assert unit_state(idx, u.eid, d) == _unit_state(idx, u.eid, d), (u.eid, d)
                checked += 1
        assert checked > 100_000
        assert any(idx.witnesses.get(u.eid) for u in idx.units)  # units with dated wordings are memoised too
