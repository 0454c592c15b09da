"""Every page under AppTest: renders without exception, reacts to inputs, shows what it should."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def app_on(url: str, monkeypatch):
    """A function opening the dashboard on ``url`` at ``page`` with query parameters; no exception allowed."""
    monkeypatch.setenv("LAWTRACK_DB", url)

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


@pytest.fixture
def app(loaded_db, monkeypatch):
    return app_on(loaded_db, monkeypatch)


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


# --- both texts: the official one decides, the translation is labelled ------------------------------

@pytest.fixture
def bilingual(bilingual_db, monkeypatch):
    return app_on(bilingual_db, monkeypatch)


def test_official_text_by_default_with_the_translation_labelled(bilingual):
    at = bilingual(date="2026-02-01", part="art_12")
    assert at.sidebar.radio[0].label == "Text shown" and at.sidebar.radio[0].value == "rus"
    # 3 units excluded in the Russian text only + 9 units only the Russian text has (reconcile: 3 + 9)
    assert any("not in step with the official text on 12 unit(s)" in e.value for e in at.error)
    md = markdown(at)
    assert ("Article 12, subparagraph 13\\) — Excluded by Law № 141-VII of 14.07.2022 from 25.07.2022] "
            ":red-badge[translation differs]" in md)
    assert "#### Article 12. Сервисный интегратор \"электронного правительства\"" in md


def test_switching_to_english_keeps_official_statuses(bilingual):
    at = bilingual(date="2026-02-01", part="art_7", excluded="1")
    at.sidebar.radio[0].set_value("eng").run()
    assert not at.exception
    assert at.query_params["lang"] == "eng"
    md = markdown(at)
    assert "52\\) organizes the recording of information" in md
    assert "Article 7, subparagraph 52\\)** :gray-badge[excluded]" in md
    assert ":red-badge[not in the translation] :gray-badge[RU wording]" in md  # subparagraph 4-1)
    at.sidebar.toggle[2].set_value(True).run()  # the other language beneath each unit
    md = markdown(at)
    assert ":gray[RU: 52\\) исключен Законом РК от 21.05.2024 № 86-VIII" in md
    assert ":orange[≠ the English \\(unofficial translation\\), edition eng undated shows it in force" in md


def test_history_of_a_unit_only_the_official_text_has(bilingual):
    at = bilingual(date="2026-02-01", part="art_28-1", lang="eng", future="1", unit="art_28-1")
    assert any("256-VIII" in m.value for m in at.markdown) or any("256-VIII" in str(d.value) for d in at.dataframe)


def test_quality_lists_the_disagreements(bilingual):
    at = bilingual("quality")
    tab = at.tabs[4]
    assert tab.label.startswith("Official text vs translation (")
    frame = tab.dataframe[0].value
    assert {"status differs", "in one language only", "law named in one language only"} <= set(frame["finding"])
    assert any("Art. 12, subpara. 13)" == u for u in frame["unit"])


@pytest.mark.parametrize("page", ["timeline", "churn", "compare", "export"])
def test_pages_say_whose_notes_they_show(bilingual, page):
    at = bilingual(page)
    assert any(c.value == "From the notes of the official Russian text (edition of 18.01.2026). Switch the text in "
               "the sidebar." for c in at.caption)
    at.sidebar.radio[0].set_value("eng").run()
    assert not at.exception
    assert any(c.value.startswith("From the notes of the unofficial English translation.") for c in at.caption)
