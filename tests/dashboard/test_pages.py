"""Every page under AppTest: renders without exception, reacts to inputs, shows what it should."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture
def app(loaded_db, monkeypatch):
    monkeypatch.setenv("LAWTRACK_DB", loaded_db)

    def make(page: str | None = None, **params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        if page:
            at.switch_page(f"app_pages/{page}.py")
            at.run()
        assert not at.exception, at.exception
        return at
    return make


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_law_as_of_2019_shows_subparagraph_8_in_force(app):
    at = app(date="2019-01-01", part="art_1")
    md = markdown(at)
    assert "Article 1, subparagraph 8\\)** :green-badge[in force]" in md
    assert "excluded later by Law № 237-VI" not in md or "wording not in the sources" in md
    assert any("may be later than 01.01.2019" in w.value for w in at.warning)


def test_law_as_of_2020_shows_subparagraph_8_excluded(app):
    at = app(date="2020-01-01", part="art_1")
    md = markdown(at)
    assert "Article 1, subparagraph 8\\) — Excluded by Law № 237-VI of 18.03.2019 from 29.03.2019" in md
    assert "8\\)is excluded by the Law" not in md  # collapsed, not shown in full


def test_law_as_of_reacts_to_date_and_toggles(app):
    at = app(part="art_1")
    at.sidebar.date_input[0].set_value(date(2019, 1, 1)).run()
    assert at.query_params["date"] == "2019-01-01"
    assert "subparagraph 8\\)** :green-badge[in force]" in markdown(at)
    at.sidebar.toggle[0].set_value(True).run()  # show excluded in full
    assert at.query_params["excluded"] == "1"


def test_search_and_escaping(app):
    at = app(q="video monitoring", part="")
    md = markdown(at)
    assert "National video monitoring system" in md and "subparagraph 8\\)" not in md


def test_history_panel(app):
    at = app(date="2024-01-01", unit="art_1__subpara_8")
    md = markdown(at)
    assert "Article 1, subparagraph 8\\)" in md and "Dated wordings" in md
    assert at.dataframe  # events table


def test_timeline(app):
    at = app("timeline")
    assert at.get("vega_lite_chart")
    at.selectbox[1].set_value("№ 141-VII").run()
    assert not at.exception
    assert any("Law № 141-VII of 2022-07-14" in m.value for m in at.markdown)
    assert at.query_params["law"] == "№ 141-VII"


def test_timeline_filters(app):
    at = app("timeline", article="art_7-1")
    assert not at.exception and at.get("vega_lite_chart")


def test_churn(app):
    at = app("churn")
    assert len(at.get("vega_lite_chart")) == 4


def test_compare(app):
    at = app("compare", **{"from": "2022-12-31", "to": "2023-01-01"})
    assert at.metric[0].value == "32"
    md = markdown(at)
    assert "Art. 1, subpara. 3-1\\)" in md and "earlier wording not in the sources" in md


def test_export(app):
    at = app("export", **{"from": "2023-01-01", "to": "2023-12-31"})
    rows = int(at.metric[0].value)
    assert rows > 0
    assert len(at.get("download_button")) == 4


def test_quality(app):
    at = app("quality")
    assert [t.label.split(" (")[0] for t in at.tabs] == [
        "Parse warnings", "Estimated and referred dates", "Conflicts between notes", "Witnesses",
        "Official text vs translation"]
    assert any(len(df.value) for df in at.dataframe)
    assert any("only one language" in i.value for i in at.info)  # the fixture database is English only


def test_compare_shows_word_diffs_of_dated_wordings(witnessed_db, monkeypatch):
    """With the 2020 Council of Europe quotations stored, comparing 2020 with 2026 shows their word diffs."""
    monkeypatch.setenv("LAWTRACK_DB", witnessed_db)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["from"] = "2020-05-01"
    at.query_params["to"] = "2026-02-01"
    at.run()
    at.switch_page("app_pages/compare.py")
    at.run()
    assert not at.exception
    assert "Wording known on both dates" in [h.value for h in at.subheader]
    md = markdown(at)
    assert "Article 1, subparagraph 35\\)" in md or "Art. 1, subpara. 35\\)" in md
    assert ":red-background[~~" in md and ":green-background[" in md


def test_quality_lists_witnesses(witnessed_db, monkeypatch):
    monkeypatch.setenv("LAWTRACK_DB", witnessed_db)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/quality.py")
    at.run()
    assert not at.exception
    assert at.tabs[3].label == "Witnesses (6)"
