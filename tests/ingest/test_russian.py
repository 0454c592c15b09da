"""The official Russian text: its note grammar, its entry-into-force clauses, its units.

Counts were established by reading and grepping the fixture (``fixtures/kazakhstan-law-codes/…/rus/``),
not copied from the parser; each test names the file and line it relies on. Paths below are relative
to the act directory.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from ingest.entry_into_force import Rule, parse_rule
from ingest.entry_into_force_ru import parse_rule_ru, words_to_int_ru
from ingest.errors import IngestError, ParseWarning
from ingest.lawrefs_ru import find_law_refs_ru, parse_date_ru
from ingest.notes_ru import is_inline_marker_ru, read_note_ru
from tests.ingest.mirror_repo import ACT, russian_parsed


@pytest.fixture(scope="module")
def ru():
    return russian_parsed()


@pytest.fixture(scope="module")
def by_unit(ru):
    out: dict[str, list] = {}
    for e in ru.events:
        out.setdefault(e.unit, []).append(e)
    return out


def ev(by_unit, unit, law):
    found = [e for e in by_unit.get(unit, []) if e.law_number == law]
    assert len(found) == 1, (unit, law, found)
    return found[0]


def raw_lines():
    """(file, line number, text) of every line of the Russian edition, read without the parser."""
    for f in [ACT / "rus.md", *sorted((ACT / "rus").glob("*.md"))]:
        for i, line in enumerate(f.read_text(encoding="utf-8").split("\n"), start=1):
            yield f.relative_to(ACT).as_posix(), i, line


# --- bad input first: never a crash, never silence -----------------------------------------------

@pytest.mark.parametrize("text", [
    "", "Сноска.", "Сноска. Статья 5", "Сноска. Статья 5 переименована Законом РК от 01.01.2020 № 1-VI (x).",
    "Сноска. Статья с изменениями, внесенными законами РК от 32.13.2020 № 5-VI (",
    "Сноска. Статья 5 с изменениями, внесенными законами РК ((((((", "№ № № ) ) (", "\x00\ufeff*>#",
])
def test_unreadable_notes_warn_and_never_raise(text):
    w: list[ParseWarning] = []
    events = read_note_ru(text, 7, "art_5", "footnote", w)
    assert events == [] or all(e.unit == "art_5" for e in events)
    assert w, "a note that gives no clean event must leave a warning"
    assert all(x.line == 7 for x in w)


def test_unknown_verb_is_reported():
    w: list[ParseWarning] = []
    assert read_note_ru("Сноска. Статья 5 переименована Законом РК от 01.01.2020 № 1-VI (x).", 3, "art_5",
                        "footnote", w) == []
    assert "no amendment verb" in w[0].reason


def test_unknown_subject_and_leftover_are_reported():
    w: list[ParseWarning] = []
    events = read_note_ru("Сноска. Приложение 2 с изменением, внесенным Законом РК от 27.12.2021 № 87-VII "
                          "(вводится в действие с 01.01.2022) и еще что-то.", 3, "art_5", "footnote", w)
    assert events == []
    assert any("subject of the note not understood" in x.reason for x in w)


def test_missing_number_is_an_error():
    from ingest.mirror import read_act_dir
    from ingest.parse_ru import parse_law_ru
    with pytest.raises(IngestError, match="does not state the law's number"):
        parse_law_ru(read_act_dir(str(ACT)), {}, number=None)
    with pytest.raises(IngestError, match="not a law number"):
        parse_law_ru(read_act_dir(str(ACT)), {}, number="four hundred")


def test_unknown_clause_is_a_warning_with_an_estimated_date():
    from ingest.effective import with_dates
    from ingest.notes import NoteEvent
    from ingest.parse import _amending_laws
    w: list[ParseWarning] = []
    raw = [NoteEvent("art_5", "amended", "1-VI", date(2020, 1, 1), ("когда-нибудь",), 9, "footnote")]
    (e,) = with_dates(raw, _amending_laws(raw, {}, w), w, parse_rule_ru)
    assert (e.effective_date, e.effective_basis) == (date(2020, 1, 1), "estimated")
    assert any("not understood" in x.reason and x.line == 9 for x in w)


# --- the parsed law ------------------------------------------------------------------------------

def test_the_law(ru):
    # rus.md:6 "# Об информатизации"; the directory 20151124-…; rus/sec003.md:420 "вводится в действие с 1 января 2016 года"
    assert (ru.language, ru.title, ru.number, ru.date, ru.commencement) == (
        "rus", "Об информатизации", "418-V", date(2015, 11, 24), date(2016, 1, 1))


def test_counts_established_by_reading(ru):
    lines = list(raw_lines())
    notes = [x for x in lines if "Сноска." in x[2]]
    markers = [x for x in lines if re.match(r"^\s*\*?\d+(-\d+)*[.)]\s*[Ии]сключен[аоы]?\s", x[2])]
    unit_rules = [x for x in lines if re.match(r"^\s*\d+(-\d+)*\)\s*вводится", x[2])]
    bare_articles = [x for x in lines if re.match(r"^Статья \d", x[2])]
    assert (len(notes), len(markers), len(unit_rules), len(bare_articles)) == (92, 146, 2, 1)
    assert Counter(re.match(r"^\s*\*?\d+(?:-\d+)*([.)])", m[2]).group(1) for m in markers) == {")": 132, ".": 14}
    refs = [m for _, _, t in notes + markers + unit_rules + bare_articles
            for m in re.findall(r"№\s*(\d+-[IVXІ]+)", t)]
    assert len(refs) == 429 and len({r.replace("І", "I") for r in refs}) == 35
    assert Counter(n.kind for n in ru.notes) == {"footnote": 92, "inline": 146 + 2 + 1}
    assert len(ru.events) == 429 and len(ru.amending_laws) == 35
    kinds = Counter(u.kind for u in ru.units)
    # 91 "Статья N." headings + the bare "Статья 30-2." line + Articles 45–47 of the excluded Chapter 7
    assert (kinds["section"], kinds["chapter"], kinds["article"]) == (3, 14, 95)
    assert sum(1 for u in ru.units if u.kind == "article" and not u.present) == 3


def test_same_unit_ids_as_the_english_text(ru, parsed):
    eng, rus = {u.eid for u in parsed.units}, {u.eid for u in ru.units}
    assert eng <= rus
    # read in both texts: rus/sec001-ch002-part001.md:88 "4-1) разрабатывает …" (English line 450 goes 4) → 5));
    # rus/sec001-ch003.md:16, :20 subparagraphs 1-1), 2-1) of Article 16 para. 1 (English 1356–1364: 1)–5) only);
    # rus/sec002.md:620 "4. Интеграция …" (English Article 44 ends with para. 3 at line 2101); Articles 28-1,
    # 28-2, 30-2, 54-1 and Chapter 10-1 are placed for Law № 256-VIII of 09.01.2026, later than the English text
    assert rus - eng == {"art_7__subpara_4-1", "art_16__para_1__subpara_1-1", "art_16__para_1__subpara_2-1",
                         "art_44__para_4", "art_28-1", "art_28-1__heading", "art_28-2", "art_28-2__heading",
                         "art_30-2", "art_54-1", "art_54-1__heading", "chp_10-1", "chp_10-1__heading"}


def test_warnings_and_notes_name_the_part_file_and_line(ru):
    assert all(re.match(r"^rus(/[\w-]+)?\.md:\d+: ", n.text) for n in ru.notes)
    w = next(x for x in ru.warnings if "Article 30-2" in x.reason)
    assert w.text.startswith("rus/sec002.md:202: Статья 30-2. Вводится") and w.severity == "repaired"
    note = next(n for n in ru.notes if n.context == "art_1" and n.kind == "footnote")
    assert note.text.startswith("rus/sec001.md:276: Сноска. Статья 1 с изменениями")


# --- verbs ---------------------------------------------------------------------------------------

def test_with_amendments_by_laws(by_unit):
    # rus/sec001.md:276 "Статья 1 с изменениями, внесенными законами РК от 28.12.2017 № 128-VI (…); … № 231-VIII (…)"
    assert len(by_unit["art_1"]) == 18 and {e.kind for e in by_unit["art_1"]} == {"amended"}
    assert ev(by_unit, "art_1", "157-VII").law_date == date(2022, 11, 5)  # "№ 157-VІI": a Cyrillic І inside


def test_with_an_amendment_by_the_law(by_unit):
    # rus/sec001.md:314 "Статья 3 с изменением, внесенным Законом РК от 27.12.2021 № 87-VII (…)"
    assert [(e.kind, e.law_number) for e in by_unit["art_3"]] == [("amended", "87-VII")]
    # rus/sec002.md:408 "Статья 37 с изменениями, внесенными Законом РК …"
    assert [(e.kind, e.law_number) for e in by_unit["art_37"]] == [("amended", "237-VI")]


def test_in_the_wording_of(by_unit):
    # rus/sec003.md:28 "Статья 57 в редакции Закона РК от 18.03.2019 № 237-VІ (…)"
    assert ev(by_unit, "art_57", "237-VI").kind == "new_wording"
    # rus/sec003.md:168 "Статья 64 в редакции Законами РК от 24.05.2018 № 156-VI (…); от 06.04.2024 № 71-VIII (…)"
    assert [(e.kind, e.law_number) for e in by_unit["art_64"]] == [("new_wording", "156-VI"), ("new_wording", "71-VIII")]


@pytest.mark.parametrize("dash", ["-", "–", "—"])
def test_dashed_in_the_wording_of(dash):
    w: list[ParseWarning] = []
    (e,) = read_note_ru(f"Сноска. Статья 8 {dash} в редакции Закона РК от 28.12.2017 № 128-VI (вводится в действие "
                        "по истечении десяти календарных дней после дня его первого официального опубликования).",
                        1, "art_8", "footnote", w)
    assert (e.unit, e.kind, e.law_number) == ("art_8", "new_wording", "128-VI") and w == []


def test_chapter_supplemented_by_article(by_unit):
    # rus/sec001-ch002-part001.md:312 "Глава 2 дополнена статьей 7-1 в соответствии с Законом РК … 128-VI (…);
    # с изменениями, внесенными законами РК от 18.03.2019 № 237-VІ …"
    assert ev(by_unit, "art_7-1", "128-VI").kind == "inserted"
    assert ev(by_unit, "art_7-1", "237-VI").kind == "amended"
    assert "chp_2" not in by_unit


def test_law_supplemented_by_article(by_unit):
    # rus/sec001-ch002-part001.md:418 "Закон дополнен статьей 7-5 в соответствии с Законом РК от 03.07.2019 № 262-VІ
    # (вводится в действие с 01.01.2020, за исключением абзаца девятого подпункта 4) пункта 56 статьи 1, …)"
    e = ev(by_unit, "art_7-5", "262-VI")
    assert (e.kind, e.effective_date, e.effective_basis) == ("inserted", date(2020, 1, 1), "explicit")
    assert e.effect_clause.endswith("который вводится в действие с 16.12.2020")  # the ")" of "4)" kept inside
    # "с изменениями, внесенными законами от 14.07.2022 № 141-VII" — "законами от" without "РК"
    assert ev(by_unit, "art_7-5", "141-VII").kind == "amended"


def test_article_excluded(by_unit):
    # rus/sec001-ch002-part020.md:8 "*Сноска. Статья 13-2 исключена Законом РК от 17.11.2025 № 231-VIII (…).*"
    assert [(e.kind, e.law_number) for e in by_unit["art_13-2"]] == [("excluded", "231-VIII")]
    # rus/sec002.md:626 "Глава 7 исключена Законом РК от 14.07.2022 № 141-VII (вводится в действие с 01.01.2023)"
    assert [(e.kind, e.effective_date) for e in by_unit["chp_7"]] == [("excluded", date(2023, 1, 1))]


def test_heading_notes(by_unit):
    # rus/sec002.md:520 "Заголовок статьи 40 в редакции Закона РК …"; part001.md:508 "Заголовок статьи 9 с изменением …"
    assert ev(by_unit, "art_40__heading", "237-VI").kind == "new_wording"
    assert ev(by_unit, "art_9__heading", "141-VII").kind == "amended"
    # rus/sec002.md:380 "Заголовок главы 6 в редакции Закона РК …"; rus/sec003.md:10 "Заголовок главы 10 с изменением …"
    assert ev(by_unit, "chp_6__heading", "237-VI").kind == "new_wording"
    assert ev(by_unit, "chp_10__heading", "237-VI").kind == "amended"


def test_a_note_chaining_three_verbs(by_unit):
    # rus/sec001-ch002-part001.md:804 "Закон дополнен статьей 13-1 … 174-VІ (…); с изменениями, внесенными законами РК
    # от 26.12.2018 № 203-VІ …; от 23.12.2023 № 50-VIII (вводится в действие с 01.01.2024); исключена Законом РК
    # от 27.09.2025 № 220-VIII (…)"
    assert [(e.kind, e.law_number) for e in by_unit["art_13-1"]] == [
        ("inserted", "174-VI"), ("amended", "203-VI"), ("amended", "87-VII"), ("amended", "141-VII"),
        ("amended", "50-VIII"), ("excluded", "220-VIII")]
    # rus/sec002.md:48 "Статья 22 с изменением, внесенным Законом РК … 141-VII (…); в редакции Закона РК … 86-VIII"
    assert [(e.kind, e.law_number) for e in by_unit["art_22"]] == [("amended", "141-VII"), ("new_wording", "86-VIII")]
    # rus/sec002.md:492 "Статья 39 в редакции Закона РК … 237-VІ (…); с изменениями, внесенными законами РК …"
    assert [e.kind for e in by_unit["art_39"]] == ["new_wording", "amended", "amended", "amended"]


# --- inline markers ------------------------------------------------------------------------------

def test_inline_subparagraph_marker(by_unit):
    # rus/sec001.md:22 "*3-1) исключен Законом РК от 14.07.2022 № 141-VII (вводится в действие с 01.01.2023);*"
    (e,) = by_unit["art_1__subpara_3-1"]
    assert (e.kind, e.law_number, e.effective_date, e.effective_basis, e.note_kind) == (
        "excluded", "141-VII", date(2023, 1, 1), "explicit", "inline")


def test_inline_paragraph_marker(by_unit):
    # rus/sec003.md:42 "*2. Исключен Законом РК от 14.07.2022 № 141-VII (вводится в действие с 01.01.2023).*"
    assert [(e.kind, e.law_number) for e in by_unit["art_59__para_2"]] == [("excluded", "141-VII")]
    # rus/sec002.md:162 "*1-1. Исключен Законом РК от 25.06.2020 № 347-VI (…)*"
    assert [(e.kind, e.law_number) for e in by_unit["art_30__para_1-1"]] == [("excluded", "347-VI")]


def test_inline_marker_without_emphasis_or_rk(by_unit):
    # rus/sec001-ch002-part001.md:148 "31) исключен Законом РК от 11.12.2023 № 44-VIII (…);" — no asterisks
    assert [(e.kind, e.law_number) for e in by_unit["art_7__subpara_31"]] == [("excluded", "44-VIII")]
    # rus/sec001-ch002-part001.md:210 "*59) исключен Законом от 14.07.2022 № 141-VII (…)" — "Законом от", no "РК"
    assert [(e.kind, e.law_number) for e in by_unit["art_7__subpara_59"]] == [("excluded", "141-VII")]


def test_inline_marker_with_a_missing_parenthesis_is_repaired(ru, by_unit):
    # rus/sec001.md:62 "*14) исключен Законом РК от 28.12.2017 № 128-VI (… опубликования;*" — no ")"
    assert [e.kind for e in by_unit["art_1__subpara_14"]] == ["excluded"]
    assert any(w.text.startswith("rus/sec001.md:62:") and 'missing ")"' in w.reason for w in ru.warnings)


def test_is_inline_marker_ru():
    assert is_inline_marker_ru("3-1) исключен Законом РК от 14.07.2022 № 141-VII (вводится в действие с 01.01.2023);")
    assert is_inline_marker_ru("2-1. Исключен Законом РК от 25.06.2020 № 347-VI (…)")
    assert not is_inline_marker_ru("5) исключение дублирования при сборе")  # rus/sec002.md:36: a definition


# --- future placeholders -------------------------------------------------------------------------

@pytest.mark.parametrize("unit", ["art_28-1", "art_28-2", "art_30-2", "art_54-1", "chp_10-1"])
def test_placeholders_for_a_law_not_yet_in_force(by_unit, unit):
    # rus/sec002.md:138 "Статья 28-1 вводится в действие по истечении шести месяцев после дня его первого
    # официального опубликования в соответствии с Законом РК от 09.01.2026 № 256-VIII." (also :144, :202,
    # rus/sec002-ch009.md:118, rus/sec003.md:68): the rule stands before the law; 09.01.2026 + 6 months + 1 day
    (e,) = by_unit[unit]
    assert (e.kind, e.law_number, e.law_date) == ("inserted", "256-VIII", date(2026, 1, 9))
    assert (e.effective_date, e.effective_basis) == (date(2026, 7, 10), "estimated")
    assert e.effect_clause.lower().startswith("вводится в действие по истечении шести месяцев")  # verbatim


def test_unit_rule_lines_are_notes_not_units(ru, by_unit):
    # rus/sec001.md:156, :158 "39-3) вводится в действие по истечении шести месяцев … в соответствии с Законом РК
    # от 05.07.2024 № 115-VIII;" — the units 39-3) and 39-4) stand at :152 and :154
    assert not any("__dup_" in u.eid for u in ru.units)
    for n in ("39-3", "39-4"):
        (e,) = by_unit[f"art_1__subpara_{n}"]
        assert (e.kind, e.law_number, e.effective_date) == ("inserted", "115-VIII", date(2025, 1, 6))
    unit = next(u for u in ru.units if u.eid == "art_1__subpara_39-3")
    assert unit.text.startswith("39-3) центр обработки данных")


# --- entry into force ----------------------------------------------------------------------------

@pytest.mark.parametrize("clause, rule", [
    ("вводится в действие по истечении десяти календарных дней после дня его первого официального опубликования",
     Rule("period", days=10)),
    ("вводится в действие по истечении двадцати одного календарного дня после дня его первого официального "
     "опубликования", Rule("period", days=21)),
    ("вводится в действие по истечении шестидесяти календарных дней после дня его первого официального опубликования",
     Rule("period", days=60)),
    ("вводится в действие по истечении шести месяцев после дня его первого официального опубликования",
     Rule("period", months=6)),
    ("вводится в действие по истечении двух месяцев после дня его первого официального опубликования",
     Rule("period", months=2)),
    ("вводится в действие с 01.01.2023", Rule("explicit", date=date(2023, 1, 1))),
    ("вводится в действие c 01.04.2023", Rule("explicit", date=date(2023, 4, 1))),  # a Latin "c"
    ("вводится в действие со дня его первого официального опубликования", Rule("period", days=-1)),
    ("порядок введения в действие см. статью 2", Rule("referral", article="2")),
    ("порядок введения см. статью 2", Rule("referral", article="2")),  # rus/sec002.md:452
    ("порядок введения в действие см. ст. 2", Rule("referral", article="2")),
    ("вводитсяв действие по истечении шестидесяти календарных дней после дня его первогоофициального опубликования",
     Rule("period", days=60)),  # rus/sec003.md:206
    # rus/sec001.md:334: the exception concerns another unit; the law's own rule comes first
    ("вводится в действие по истечении десяти календарных дней после дня его первого официального опубликования, "
     "за исключением абзаца второго подпункта 2) пункта 74 статьи 1, которые вводится в действие с 16.12.2020",
     Rule("period", days=10)),
    ("вводится в действие, когда настанет срок", Rule("unknown")),
    ("", Rule("unknown")),
])
def test_parse_rule_ru(clause, rule):
    assert parse_rule_ru(clause) == rule


def test_the_same_rule_objects_as_the_english_reader():
    assert parse_rule_ru("вводится в действие по истечении десяти календарных дней после дня его первого "
                         "официального опубликования") == \
        parse_rule("shall be enforced upon expiry of ten calendar days after its first official publication")
    assert parse_rule_ru("вводится в действие с 01.01.2023") == parse_rule("shall be enforced from 01.01.2023")


@pytest.mark.parametrize("words, n", [("десяти", 10), ("двадцати одного", 21), ("шестидесяти", 60), ("шести", 6),
                                      ("двух", 2), ("девяноста", 90), ("сорока пяти", 45), ("60", 60),
                                      ("истечении", None), ("десяти двадцати", None)])
def test_words_to_int_ru(words, n):
    assert words_to_int_ru(words) == n


def test_slips_are_repaired_and_reported(ru, by_unit):
    # rus/sec003.md:206 "(вводитсяв действие по истечении шестидесяти … первогоофициального опубликования)"
    assert ev(by_unit, "art_64-2", "71-VIII").effective_date == ev(by_unit, "art_64-1", "71-VIII").effective_date
    slips = [w for w in ru.warnings if w.text.startswith("rus/sec003.md:206:")]
    assert {w.reason for w in slips} == {'slip in the clause of Law № 71-VIII: "вводитсяв" read as "вводится в"',
                                         'slip in the clause of Law № 71-VIII: "первогоофициального" read as '
                                         '"первого официального"'}


def test_latin_c_in_a_note_is_repaired():
    w: list[ParseWarning] = []
    (e,) = read_note_ru("Сноска. Статья 3 c изменением, внесенным Законом РК от 27.12.2021 № 87-VII (вводится в "
                        "действие c 01.01.2022).", 5, "art_3", "footnote", w)
    assert (e.kind, e.clauses) == ("amended", ("вводится в действие с 01.01.2022",))
    assert {x.severity for x in w} == {"repaired"}


def test_exception_clause_keeps_the_main_rule(by_unit):
    # rus/sec001.md:334: 399-VI "(вводится в действие по истечении десяти … , за исключением абзаца второго
    # подпункта 2) пункта 74 статьи 1, которые вводится в действие с 16.12.2020)": ten days, not 16.12.2020
    e = ev(by_unit, "art_4", "399-VI")
    assert (e.effective_date, e.effective_basis) == (date(2021, 1, 13), "estimated")


def test_referral_falls_back_on_the_laws_other_clauses(by_unit):
    # rus/sec001.md:276 "от 14.07.2022 № 141-VII (порядок введения в действие см. статью 2)"; most of 141-VII's
    # other clauses say ten days after publication
    e = ev(by_unit, "art_1", "141-VII")
    assert (e.effective_basis, e.effective_date) == ("referral", date(2022, 7, 25))


def test_cyrillic_i_in_law_numbers():
    (r,) = find_law_refs_ru("от 18.03.2019 № 237-VІ (вводится в действие с 01.01.2020)")
    assert (r.number, r.date) == ("237-VI", date(2019, 3, 18))
    assert parse_date_ru("1 января 2016 года").value == date(2016, 1, 1)


# --- golden snapshot -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["rus_units.csv", "rus_events.csv", "rus_warnings.csv"])
def test_golden_russian(ru, name):
    """The whole Russian parse, reviewed by hand; regenerate on purpose with ``UPDATE_GOLDEN=1``."""
    import os

    from tests.ingest.test_golden import GOLDEN, _events_csv, _units_csv, _warnings_csv
    render = {"rus_units.csv": _units_csv, "rus_events.csv": _events_csv, "rus_warnings.csv": _warnings_csv}[name]
    path = GOLDEN / name
    actual = render(ru)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from the golden file; review and regenerate"
