"""Change log, effects, history and the exports (round trips, injection guards)."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import Session

from model.changes import changelog, compare, effects, history
from model.engine import make_engine
from model.exports import (CHANGELOG_COLUMNS, changelog_markdown, changelog_records, md_escape, neutralise,
                           read_csv, to_csv, to_json)


@pytest.fixture(scope="module")
def session(loaded_db):
    with Session(make_engine(loaded_db)) as s:
        yield s


def test_changelog_of_2023_answers_the_journalist(session):
    rows = changelog(session=session, date_from=date(2023, 1, 1), date_to=date(2023, 12, 31))
    assert rows and all(date(2023, 1, 1) <= r.effective_date <= date(2023, 12, 31) for r in rows)
    assert {"141-VII", "194-VII", "223-VII", "221-VII", "19-VIII"} <= {r.law_number for r in rows}
    first = rows[0]
    assert first.effective_date == date(2023, 1, 1) and first.note and first.source_line


def test_changelog_filters(session):
    rows = changelog(session=session, article="7-1", kind="excluded")
    assert rows and all(r.unit_id.startswith("art_7-1__") and r.kind == "excluded" for r in rows)
    assert {r.unit_id for r in changelog(session=session, law="36-VI")} == {"art_43"}
    with pytest.raises(ValueError, match="kind"):
        changelog(session=session, kind="deleted")
    with pytest.raises(ValueError, match="did not amend"):
        changelog(session=session, law="999-XX")
    with pytest.raises(ValueError, match="no article"):
        changelog(session=session, article="999")


def test_effects_of_141_vii(session):
    rows = effects(session=session, law_number="141-VII")
    assert len(rows) == 82  # 141-VII is cited 82 times in the text; one event per citation
    kinds = {r.kind for r in rows}
    assert kinds == {"amended", "excluded", "inserted"}
    assert any(r.unit_id == "chp_7" and r.effective_date == date(2023, 1, 1) for r in rows)


def test_history_of_a_unit(session):
    h = history(session=session, unit_id="art_1__subpara_8")
    assert [(r.kind, r.law_number) for r in h.events] == [("excluded", "237-VI")]
    assert {r.law_number for r in h.context_events} >= {"128-VI", "231-VIII"}
    assert [v.status for v in h.versions] == ["in_force", "excluded"]
    with pytest.raises(ValueError):
        history(session=session, unit_id="art_1__subpara_999")


def test_compare_2019_2023_says_what_is_unknown(session):
    cmp = compare(session=session, d1=date(2019, 1, 1), d2=date(2023, 1, 1))
    amended = [r for r in cmp.changes if r.kind == "amended"]
    assert amended and all("earlier wording not in the sources" in r.summary for r in amended if r.old_wording is None)
    assert any(sc.unit_id == "art_1__subpara_8" and sc.after.status == "excluded" for sc in cmp.status_changes)


def test_csv_round_trip_and_formula_guard(session):
    rows = changelog(session=session)
    records = changelog_records(rows)
    back = read_csv(to_csv(records, CHANGELOG_COLUMNS))
    expect = [{k: (None if v is None else str(v)) for k, v in r.items()} for r in records]
    assert back == expect
    evil = [{**records[0], "note": "=HYPERLINK(\"http://x\")", "summary": "@SUM(A1)", "label": "-1+1"}]
    text = to_csv(evil, CHANGELOG_COLUMNS)
    assert "'=HYPERLINK" in text and "'@SUM" in text and "'-1+1" in text
    assert read_csv(text)[0]["note"] == "=HYPERLINK(\"http://x\")"
    assert neutralise("+cmd") == "'+cmd" and neutralise("plain") == "plain"


def test_json_round_trip(session):
    records = changelog_records(changelog(session=session, law="194-VII"))
    assert json.loads(to_json(records)) == records


def test_markdown_escapes_markup():
    assert md_escape("<script>alert(1)</script> [x](http://e) a|b") == \
        "\\<script\\>alert\\(1\\)\\</script\\> \\[x\\]\\(http://e\\) a\\|b"


def test_markdown_changelog(session):
    md = changelog_markdown(changelog(session=session, law="36-VI"), "Log")
    assert "| 2017-03-01 | estimated | № 36-VI of 2016-12-28 |" in md
