"""Reconciliation of the official Russian text with the English translation, and of editions over time.

The expectations were established by reading both texts; each names the lines it relies on (English:
``fixtures/informatization_418-V_eng.txt``; Russian: files of the act directory in the fixtures).
"""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from model.engine import make_engine
from model.reconcile import KINDS, edition_changes, editions_by_language, finding_row, reconcile
from tests.ingest.mirror_repo import NEW_PATH, build_repo, russian_parsed


@pytest.fixture(scope="module")
def db(tmp_path_factory, parsed):
    """English fixture (undated) + the two Russian editions of the synthetic history (2025-11-01, 2026-01-18)."""
    from ingest.amending_laws import read_amending_laws
    from ingest.load import load_parsed
    from ingest.mirror_git import read_history
    from ingest.parse_ru import parse_law_ru
    tmp = tmp_path_factory.mktemp("reconcile")
    engine = make_engine(f"sqlite:///{tmp / 'r.db'}")
    load_parsed(engine, parsed)
    for e in read_history(str(build_repo(tmp)), NEW_PATH).editions:
        load_parsed(engine, parse_law_ru(e.act, read_amending_laws(), number="418-V"), edition_date=e.edition_date)
    return engine


@pytest.fixture(scope="module")
def result(db):
    with Session(db) as s:
        return reconcile(session=s)


def found(result, kind, unit=None):
    return [f for f in result.findings if f.kind == kind and (unit is None or f.unit == unit)]


def test_no_law_no_findings_but_a_clear_error(tmp_path):
    from model.engine import init_db
    from model.queries import NoData
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    init_db(engine)
    with Session(engine) as s, pytest.raises(NoData):
        reconcile(session=s)


def test_one_language_only_compares_editions_only(tmp_path):
    from ingest.load import load_parsed
    engine = make_engine(f"sqlite:///{tmp_path / 'rus.db'}")
    load_parsed(engine, russian_parsed(), edition_date=date(2026, 1, 18))
    with Session(engine) as s:
        r = reconcile(session=s)
    assert r.findings == () and r.editions == ("rus 18.01.2026",)


def test_editions_and_date(result):
    assert result.editions == ("eng undated", "rus 01.11.2025", "rus 18.01.2026")
    assert result.on == date(2026, 1, 18)  # the newest edition date compared: the Russian one


def test_status_differs(result):
    # Read in both texts: the Russian text excludes three subparagraphs the English one shows in force —
    # rus/sec001-ch002-part001.md:196 "*52) исключен Законом РК от 21.05.2024 № 86-VIII …" vs English line 578
    # "52) organizes the recording of information …"; part001.md:712 "*13) исключен … № 141-VII …" vs English
    # 1126 "13) forms and conducts the classifier;"; part001.md:720 "*17) исключен … № 141-VII …" vs English 1134.
    rows = found(result, "status_differs")
    assert [f.unit for f in rows] == ["art_7__subpara_52", "art_12__subpara_13", "art_12__subpara_17"]
    f = rows[0]
    assert f.detail == "on 18.01.2026: excluded in rus, in force in eng"
    assert f.evidence[0].startswith("[rus] rus/sec001-ch002-part001.md:196: 52) исключен Законом РК от 21.05.2024")
    assert f.evidence[1].startswith("[eng] Art. 7, subpara. 52): 52) organizes the recording")
    assert f.sources == ("rus 18.01.2026", "eng undated")


def test_only_in_one_language(result):
    rows = {f.unit: f for f in found(result, "only_in_one_language")}
    # rus/sec001-ch002-part001.md:88 "4-1) разрабатывает и утверждает правила ведения публичной кадастровой
    # карты …" — English Article 7 goes from 4) (line 450) to 5) (line 452); rus/sec002.md:620 "4. Интеграция …"
    # — English Article 44 ends with para. 3 (line 2101); Article 28-1 etc. are placed for Law № 256-VIII
    assert set(rows) == {"art_7__subpara_4-1", "art_16__para_1__subpara_1-1", "art_16__para_1__subpara_2-1",
                         "art_28-1", "art_28-2", "art_30-2", "art_44__para_4", "art_54-1", "chp_10-1"}
    assert rows["art_28-1"].detail == "in the rus text only (and 1 unit(s) inside it)"  # its heading, folded
    assert rows["art_28-1"].evidence[1].startswith("[rus] rus/sec002.md:138: Сноска. Статья 28-1 вводится")


def test_laws_named_in_one_language(result):
    named = {(f.unit, f.detail.split()[2]) for f in found(result, "law_named_in_one_language")}
    # English line 1227 "Chapter 2 is supplemented by Article 13-2 … dated 02.01.2021 № 399-VI"; the Russian note
    # (rus/sec001-ch002-part020.md:8) says only "исключена Законом РК от 17.11.2025 № 231-VIII"
    assert ("art_13-2", "399-VI") in named
    # rus/sec003.md:168 "Статья 64 в редакции Законами РК от 24.05.2018 № 156-VI …; от 06.04.2024 № 71-VIII";
    # English line 2455 names 71-VIII only
    assert ("art_64", "156-VI") in named
    # rus/sec002.md:622 names "от 30.12.2021 № 96-VII" for Article 44; English line 2103 does not
    assert ("art_44", "96-VII") in named
    # rus/sec002.md:48 "Статья 22 с изменением, внесенным Законом РК от 14.07.2022 № 141-VII"; English 1567 lacks it
    assert ("art_22", "141-VII") in named
    # English line 1645 "Article 28 as amended by … № 141-VII"; the Russian Article 28 (rus/sec002.md:122–132) has no note
    assert ("art_28", "141-VII") in named
    f = next(f for f in found(result, "law_named_in_one_language", "art_64"))
    assert f.detail.endswith("(nor anywhere in the eng text)")
    assert len(named) == 17


def test_entry_into_force_differs(result):
    rows = {(f.unit, f.detail.split()[2].rstrip(":")): f for f in found(result, "entry_into_force_differs")}
    # rus/sec001-ch002-part001.md:256 "4) исключен Законом РК от 18.03.2019 № 237-VІ (вводится в действие по
    # истечении десяти календарных дней …)" vs English line 649 "… № 237-VI (shall be enforced upon expiry of
    # twenty-one calendar days …)"
    f = rows[("art_7-1__subpara_4", "237-VI")]
    assert f.dates == (date(2019, 3, 29), date(2019, 4, 9))
    # rus/sec001-ch002-part001.md:210 "59) исключен Законом от 14.07.2022 № 141-VII (вводится в действие по истечении
    # десяти календарных дней …)" vs English line 594 "(shall be enforced from 01.01.2023)"
    f = rows[("art_7__subpara_59", "141-VII")]
    assert f.dates == (date(2022, 7, 25), date(2023, 1, 1)) and "explicit" in f.detail
    assert len(rows) == 13


def test_verb_differs(result):
    # rus/sec002.md:48 "… в редакции Закона РК от 21.05.2024 № 86-VIII" vs English 1567 "Article 22 - as amended by"
    (f,) = found(result, "verb_differs")
    assert (f.unit, f.detail) == ("art_22", "Law № 86-VIII: new_wording in rus, amended in eng")


def test_changes_between_editions(result):
    # the synthetic older edition (tests/ingest/mirror_repo.py): "оборудование" became "обрудование" in
    # subparagraph 62-1) with no note; the note of Article 5 gained Law № 141-VII with no wording change;
    # subparagraph 43-1) became an exclusion marker, and a new marker explains it (no finding)
    (silent,) = found(result, "text_change_without_note")
    assert silent.unit == "art_1__subpara_62-1" and silent.dates == (date(2025, 11, 1), date(2026, 1, 18))
    assert "оборудование, [-оборудование] [+обрудование] для" in silent.evidence[0]
    (unexplained,) = found(result, "note_without_text_change")
    assert unexplained.unit == "art_5" and "Law № 141-VII (amended)" in unexplained.detail
    assert unexplained.evidence[0].startswith("[rus] rus/sec001-ch002-part001.md:42: Сноска. Статья 5")
    assert not found(result, "text_change_without_note", "art_1__subpara_43-1")


def test_edition_changes_directly(db):
    from model.queries import get_law
    with Session(db) as s:
        law_id = get_law(session=s).id
        older, newer = editions_by_language(session=s, law_id=law_id)["rus"]
        rows = edition_changes(session=s, law_id=law_id, older=older, newer=newer)
    assert sorted(f.kind for f in rows) == ["note_without_text_change", "text_change_without_note"]


def test_rows_for_export(result):
    row = finding_row(found(result, "verb_differs")[0])
    assert list(row) == ["kind", "unit", "label", "sources", "dates", "detail", "evidence"]
    assert row["sources"] == "rus 18.01.2026 / eng undated" and " | " in row["evidence"]
    assert sum(result.count(k) for k in KINDS) == len(result.findings)


def test_same_findings_on_postgresql(tmp_path, parsed):
    """The language comparison on PostgreSQL (skips without LAWTRACK_TEST_PG)."""
    from tests.conftest import _make_pg_db
    from ingest.load import load_parsed
    url, drop = _make_pg_db()
    try:
        engine = make_engine(url)
        load_parsed(engine, parsed)
        load_parsed(engine, russian_parsed(), edition_date=date(2026, 1, 18))
        with Session(engine) as s:
            r = reconcile(session=s)
        assert {k: r.count(k) for k in KINDS} == {
            "status_differs": 3, "only_in_one_language": 9, "law_named_in_one_language": 17,
            "entry_into_force_differs": 13, "verb_differs": 1, "text_change_without_note": 0,
            "note_without_text_change": 0}
        engine.dispose()
    finally:
        drop()


def test_unfolded_findings_name_every_unit(db):
    from model.queries import get_law
    from model.reconcile import compare_languages
    with Session(db) as s:
        law_id = get_law(session=s).id
        by_lang = editions_by_language(session=s, law_id=law_id)
        rows = compare_languages(session=s, law_id=law_id, official=by_lang["rus"][-1],
                                 translation=by_lang["eng"][-1], on=date(2026, 1, 18), folded=False)
    only = {f.unit for f in rows if f.kind == "only_in_one_language"}
    assert {"art_28-1", "art_28-1__heading", "chp_10-1__heading"} <= only and len(only) == 13
