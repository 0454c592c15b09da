"""Entry-into-force clauses, worded every way the text words them."""
from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from ingest.amending_laws import AmendingLawInfo
from ingest.entry_into_force import Rule, add_months, effective_date, parse_rule
from ingest.parse import parse_law


@pytest.mark.parametrize("clause, rule", [
    ("shall be enforced upon expiry of ten calendar days after its first official publication", Rule("period", days=10)),
    ("shall be enforced upon the expiration of ten calendar days after the day of its first official publication", Rule("period", days=10)),
    ("shall be enforced ten calendar days after the day of its first official publication", Rule("period", days=10)),
    ("shall be enforced upon expiry of twenty-one calendar days after its first official publication", Rule("period", days=21)),
    ("shall be enforced upon expiry of sixty calendar days after the day of its first official publication", Rule("period", days=60)),
    ("shall come into force sixty calendar days after the date of its first official publication", Rule("period", days=60)),
    ("shall enter into force upon expiry of sixty calendar days after the day of its first official publication", Rule("period", days=60)),
    ("effective ten calendar days after the date of its first official publication", Rule("period", days=10)),
    ("shall be enforced upon expiry of six months after its first official publication", Rule("period", months=6)),
    ("shall come into force six months after the date of its first official publication", Rule("period", months=6)),
    ("effective after two months after the day of its first official publication", Rule("period", months=2)),
    ("shall be enforced from 01.01.2023", Rule("explicit", date=date(2023, 1, 1))),
    ("shall enter into force on 01.07.2024", Rule("explicit", date=date(2024, 7, 1))),
    ("for the procedure of enactment see Art. 2", Rule("referral", article="2")),
    ("for the procedure for entry into force, see Article 2", Rule("referral", article="2")),
    ("see Article 2 for the entry into force ", Rule("referral", article="2")),
    ("shall be enforced see Article 2", Rule("referral", article="2")),
    ("shall be enforced when the minister says so", Rule("unknown")),
])
def test_rules(clause, rule):
    assert parse_rule(clause) == rule


def test_every_clause_of_the_fixture_is_understood(parsed):
    assert not [w for w in parsed.warnings if "not understood" in w.reason]
    assert Counter(e.effective_basis for e in parsed.events).keys() <= {"explicit", "estimated", "referral", "computed"}


def test_counting_convention():
    # published 15.07.2022, ten calendar days: 16.07–25.07, in force 26.07.2022
    assert effective_date(Rule("period", days=10), date(2022, 7, 14), date(2022, 7, 15)).date == date(2022, 7, 26)
    # six months after 31.08.2024 -> 28.02.2025, in force the next day
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)


def test_bases():
    law = date(2022, 7, 14)
    e = effective_date(Rule("period", days=10), law, None)
    assert (e.date, e.basis) == (date(2022, 7, 25), "estimated") and "publication date unknown" in e.note
    e = effective_date(Rule("period", days=10), law, date(2022, 7, 16))
    assert (e.date, e.basis) == (date(2022, 7, 27), "computed") and "16.07.2022" in e.note
    e = effective_date(Rule("explicit", date=date(2023, 1, 1)), law, None)
    assert (e.date, e.basis) == (date(2023, 1, 1), "explicit")
    e = effective_date(Rule("referral", article="2"), law, None, fallback=Rule("period", days=10))
    assert (e.date, e.basis) == (date(2022, 7, 25), "referral") and "Art. 2" in e.note
    e = effective_date(Rule("referral", article="2"), law, None)
    assert (e.date, e.basis) == (law, "referral") and "no other clause" in e.note


def test_publication_dates_from_the_csv_give_computed_dates(fixture_source):
    info = {"237-VI": AmendingLawInfo("237-VI", date(2019, 3, 18), None, date(2019, 3, 20), "test")}
    p = parse_law(fixture_source, info)
    e = next(e for e in p.events if e.unit == "art_1__subpara_8")
    assert (e.effective_date, e.effective_basis) == (date(2019, 3, 31), "computed")
    other = next(e for e in p.events if e.unit == "art_7__subpara_3")  # 128-VI: still estimated
    assert other.effective_basis == "estimated"


def test_referrals_fall_back_to_the_laws_other_clauses(events_by_unit):
    e = next(e for e in events_by_unit["art_9"] if e.law_number == "141-VII")
    assert e.effective_basis == "referral" and e.effective_date == date(2022, 7, 25)
