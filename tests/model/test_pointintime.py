"""Point in time: date edges, lifecycle reasoning, and properties."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlmodel import Session

from model.changes import compare
from model.engine import make_engine
from model.pointintime import as_of, law_index


@pytest.fixture(scope="module")
def session(loaded_db):
    with Session(make_engine(loaded_db)) as s:
        yield s


def state(session, day, eid):
    return as_of(session=session, on=day, unit=eid)[0]


def test_before_commencement(session):
    states = as_of(session=session, on=date(2015, 12, 31))
    assert {s.status for s in states} == {"not_yet_in_force"}
    assert state(session, date(2016, 1, 1), "art_2__para_1").status == "in_force"


def test_explicit_exclusion_day_before_of_after(session):
    # 3-1) excluded by 141-VII "from 01.01.2023"
    assert state(session, date(2022, 12, 31), "art_1__subpara_3-1").status == "in_force"
    assert state(session, date(2023, 1, 1), "art_1__subpara_3-1").status == "excluded"
    assert state(session, date(2023, 1, 2), "art_1__subpara_3-1").status == "excluded"


def test_estimated_exclusion_is_uncertain_for_a_month(session):
    # 8) excluded by 237-VI of 18.03.2019, ten days after publication; publication date unknown
    assert state(session, date(2019, 1, 1), "art_1__subpara_8").status == "in_force"
    assert state(session, date(2019, 3, 28), "art_1__subpara_8").status == "in_force"
    s = state(session, date(2019, 3, 29), "art_1__subpara_8")
    assert s.status == "uncertain" and "estimated" in s.basis
    assert state(session, date(2019, 4, 29), "art_1__subpara_8").status == "excluded"
    assert state(session, date(2020, 1, 1), "art_1__subpara_8").status == "excluded"


def test_wording_before_an_exclusion_is_not_invented(session):
    s = state(session, date(2019, 1, 1), "art_1__subpara_8")
    assert s.text is None and s.confidence == "unknown" and "not in the sources" in s.basis


def test_two_laws_effective_on_the_same_day(session):
    # 44-VIII (Art. 7-4 "from 01.07.2024") and 97-VIII (Art. 4 subpara 3 "on 01.07.2024")
    cmp = compare(session=session, d1=date(2024, 6, 30), d2=date(2024, 7, 1))
    laws = {(r.unit_id, r.law_number) for r in cmp.changes}
    assert ("art_4__para_2__subpara_3", "97-VIII") in laws and ("art_7-4", "44-VIII") in laws
    assert state(session, date(2024, 6, 30), "art_4__para_2__subpara_3").status == "in_force"
    assert state(session, date(2024, 7, 1), "art_4__para_2__subpara_3").status == "excluded"


def test_inserted_article_exists_from_its_law(session):
    # Article 7-6 added by 347-VI (25.06.2020, ten days): estimated 06.07.2020
    assert state(session, date(2020, 6, 1), "art_7-6").status == "not_yet_inserted"
    assert state(session, date(2020, 7, 10), "art_7-6").status == "uncertain"  # estimated date, within a month
    s = state(session, date(2020, 9, 1), "art_7-6")
    assert s.status == "in_force" and s.certainty == "certain"


def test_inserted_number_with_candidate_laws(session):
    # 2-1) of Article 7: inserted by one of the laws in Article 7's footnote (first: 112-VI, 11.12.2017)
    s = state(session, date(2017, 1, 1), "art_7__subpara_2-1")
    assert s.status == "not_yet_inserted"
    s = state(session, date(2021, 1, 1), "art_7__subpara_2-1")
    assert s.status == "uncertain" and "112-VI" in s.basis and s.laws
    s = state(session, date(2026, 2, 1), "art_7__subpara_2-1")
    assert s.status == "in_force" and s.certainty == "certain" and s.confidence == "exact"


def test_plain_numbers_in_untouched_article_are_certain(session):
    s = state(session, date(2016, 6, 1), "art_2__para_2")
    assert (s.status, s.certainty, s.confidence) == ("in_force", "certain", "exact")


def test_plain_number_in_touched_article_is_probable(session):
    s = state(session, date(2017, 1, 1), "art_8__para_1")
    assert s.status == "in_force" and s.certainty == "probable" and s.confidence == "later_amended"
    assert "128-VI" in s.laws


def test_exclusion_shows_earlier_items_existed(session):
    # Article 1: 14) was excluded by 128-VI (estimated 08.01.2018); no law touched Article 1 before that,
    # so 1)…13) certainly existed from the commencement.
    s = state(session, date(2016, 6, 1), "art_1__subpara_13")
    assert s.certainty == "certain"


def test_rewritten_article(session):
    # Article 39 "is in the wording of" 237-VI (estimated 29.03.2019)
    s = state(session, date(2018, 6, 1), "art_39__para_4__subpara_2")
    assert s.status == "uncertain" and "rewritten whole" in s.basis
    a = state(session, date(2018, 6, 1), "art_39")
    assert a.status == "in_force" and a.confidence == "unknown"


def test_units_of_excluded_chapter(session):
    s = state(session, date(2020, 1, 1), "art_46")
    assert s.status == "in_force" and s.confidence == "unknown" and s.text is None
    assert state(session, date(2023, 1, 1), "art_46").status == "excluded"


def test_later_amended_lists_the_laws(session):
    s = state(session, date(2021, 3, 1), "art_7__subpara_1")
    assert s.confidence == "later_amended" and "141-VII" in s.laws and "today's wording" in s.basis


def test_subtree_and_unknown_unit(session):
    states = as_of(session=session, on=date(2024, 1, 1), unit="art_7-3")
    assert states[0].eid == "art_7-3" and all(s.eid.startswith("art_7-3") for s in states)
    with pytest.raises(LookupError):
        as_of(session=session, on=date(2024, 1, 1), unit="art_999")


DATES = st.dates(min_value=date(2015, 6, 1), max_value=date(2027, 1, 1))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=DATES)
def test_never_shows_an_excluded_unit_in_force(session, day):
    idx = law_index(session=session)
    for s in as_of(session=session, on=day):
        lc = idx.lifecycles[s.eid]
        if lc.end is not None and day >= lc.end:
            assert s.status in ("excluded", "uncertain"), s
            if not lc.end_estimated:
                assert s.status == "excluded"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=DATES, b=DATES, c=DATES)
def test_compare_is_empty_on_one_date_and_composes(session, a, b, c):
    a, b, c = sorted([a, b, c])
    assert compare(session=session, d1=a, d2=a).changes == []
    ab = {r.event_id for r in compare(session=session, d1=a, d2=b).changes}
    bc = {r.event_id for r in compare(session=session, d1=b, d2=c).changes}
    ac = {r.event_id for r in compare(session=session, d1=a, d2=c).changes}
    assert ab | bc == ac and not (ab & bc)


def test_compare_rejects_reversed_dates(session):
    with pytest.raises(ValueError):
        compare(session=session, d1=date(2020, 1, 1), d2=date(2019, 1, 1))


def test_every_date_from_2016_to_the_last_change_answers(session):
    idx = law_index(session=session)
    day = date(2016, 1, 1)
    while day <= idx.last_change:
        states = as_of(session=session, on=day)
        assert len(states) == len(idx.units) and all(s.status for s in states)
        day += timedelta(days=97)
