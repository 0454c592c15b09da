"""Amendment notes: one test per trap in the text (expectations read from the notes themselves)."""
from __future__ import annotations

from datetime import date

import pytest

from ingest.errors import ParseWarning
from ingest.notes import read_note


def ev(events_by_unit, unit, law):
    found = [e for e in events_by_unit.get(unit, []) if e.law_number == law]
    assert len(found) == 1, (unit, law, found)
    return found[0]


# --- verbs -------------------------------------------------------------------------------------

def test_as_amended_by(events_by_unit):
    # line 897: "Article 8 as amended by the Law … dated 28.12.2017 № 128-VI …; dated 18.03.2019 № 237-VI …"
    assert [e.law_number for e in events_by_unit["art_8"]] == ["128-VI", "237-VI", "399-VI"]
    assert all(e.kind == "amended" for e in events_by_unit["art_8"])


def test_in_the_wording_of_then_as_amended(events_by_unit):
    # line 2699: Article 66 is in the wording of 128-VI; as amended by 118-VII; 94-VIII
    assert ev(events_by_unit, "art_66", "128-VI").kind == "new_wording"
    assert ev(events_by_unit, "art_66", "118-VII").kind == "amended"
    assert ev(events_by_unit, "art_66", "94-VIII").kind == "amended"


def test_supplemented_by_article_then_amended(events_by_unit):
    # line 715: Chapter 2 is supplemented by Article 7-1 … 128-VI; as amended by … 237-VI …
    assert ev(events_by_unit, "art_7-1", "128-VI").kind == "inserted"
    assert ev(events_by_unit, "art_7-1", "237-VI").kind == "amended"
    assert ev(events_by_unit, "art_7-1", "71-VIII").kind == "amended"
    assert "chp_2" not in events_by_unit


def test_as_added_by(events_by_unit):
    e = ev(events_by_unit, "art_9-1", "231-VIII")
    assert e.kind == "inserted" and e.law_date == date(2025, 11, 17)


def test_mistranslated_as_amended_by_article_is_an_insertion(events_by_unit, parsed):
    # line 855: "The Law as amended by Article 7-7 in accordance with the Law … 141-VII …; dated … 44-VIII"
    assert ev(events_by_unit, "art_7-7", "141-VII").kind == "inserted"
    assert ev(events_by_unit, "art_7-7", "44-VIII").kind == "amended"
    # line 1454: "Chapter 3 as amended by Article 18-2 in accordance with … 118-VII; is excluded by … 19-VIII"
    assert ev(events_by_unit, "art_18-2", "118-VII").kind == "inserted"
    assert ev(events_by_unit, "art_18-2", "19-VIII").kind == "excluded"
    assert any(w.line == 855 and "insertion" in w.reason for w in parsed.warnings)


def test_supplemented_then_excluded(events_by_unit):
    # line 1224: Article 13-1 added by 174-VI, excluded by 220-VIII
    assert ev(events_by_unit, "art_13-1", "174-VI").kind == "inserted"
    assert ev(events_by_unit, "art_13-1", "220-VIII").kind == "excluded"


def test_article_excluded(events_by_unit):
    e = ev(events_by_unit, "art_58", "237-VI")
    assert e.kind == "excluded" and e.source_line == 2332


def test_with_amendment_introduced_by_from(events_by_unit):
    # line 2092: "Article 43 with amendment introduced by the Law of the RK from 28.12.2016 № 36-VI (effective after two months …)"
    e = ev(events_by_unit, "art_43", "36-VI")
    assert e.kind == "amended" and e.law_date == date(2016, 12, 28)
    assert e.effective_date == date(2017, 3, 1)  # 28.12.2016 + 2 months + 1 day (estimated)


# --- law references ----------------------------------------------------------------------------

def test_date_after_number_as_of(events_by_unit):
    e = ev(events_by_unit, "art_4", "262-VI")
    assert e.law_date == date(2019, 7, 3) and e.effective_date == date(2020, 1, 1)


def test_law_number_of_republic_as_of(events_by_unit):
    # line 417: "5) is excluded by Law № 237-VI of the Republic of Kazakhstan as of 18.03.2019 (…)"
    e = ev(events_by_unit, "art_6__subpara_5", "237-VI")
    assert e.kind == "excluded" and e.law_date == date(2019, 3, 18)


def test_month_first_date_is_repaired(events_by_unit, parsed):
    e = ev(events_by_unit, "art_26", "128-VI")
    assert e.law_date == date(2017, 12, 28)
    assert any(w.line == 1615 and "12.28.2017" in w.reason for w in parsed.warnings)


def test_written_month_dates(events_by_unit):
    assert ev(events_by_unit, "art_31", "237-VI").law_date == date(2019, 3, 18)  # "March 18, 2019"
    assert ev(events_by_unit, "art_20-1", "86-VIII").law_date == date(2024, 5, 21)  # "May 21, 2024"


def test_same_law_twice_in_one_note(events_by_unit, parsed):
    # line 307: № 262-VI as of 03.07.2019 (from 01.01.2020) … № 262-VI dated July 3, 2019 (see Article 2 …)
    e = ev(events_by_unit, "art_1", "262-VI")
    assert e.effect_clause == "shall be enforced from 01.01.2020 | see Article 2 for the entry into force"
    assert e.effective_date == date(2020, 1, 1) and e.effective_basis == "explicit"
    assert "refers to another article" in e.effective_note
    assert any(w.line == 307 and "cited twice" in w.reason for w in parsed.warnings)


def test_two_laws_of_the_same_date(parsed):
    laws = {a.number: a for a in parsed.amending_laws}
    assert laws["94-VIII"].date == laws["97-VIII"].date == date(2024, 6, 19)


def test_gazette_number_is_not_an_amending_law(parsed):
    numbers = {a.number for a in parsed.amending_laws}
    assert "19-I" not in numbers and "418-V" not in numbers
    assert len(numbers) == 31  # read from the notes: 31 distinct "№ N-ROMAN" besides 19-I and 418-V


def test_missing_date_word_before_date(events_by_unit):
    # line 433: "…; 05.07.2024 № 115-VIII (for the procedure of entry into force, see Art. 2)."
    e = ev(events_by_unit, "art_6", "115-VIII")
    assert e.law_date == date(2024, 7, 5) and e.effective_basis == "referral"


# --- broken punctuation and letters ------------------------------------------------------------

def test_doubled_parenthesis(events_by_unit, parsed):
    e = ev(events_by_unit, "art_1__subpara_33-1", "220-VIII")
    assert e.effect_clause == "shall be enforced upon expiry of ten calendar days after its first official publication"
    assert e.effective_date == date(2025, 10, 8)
    assert any(w.line == 139 and '"(("' in w.reason for w in parsed.warnings)


def test_missing_closing_parenthesis(events_by_unit, parsed):
    e = ev(events_by_unit, "art_13-3", "115-VIII")
    assert e.effect_clause == "shall come into force six months after the date of its first official publication"
    assert e.effective_date == date(2025, 1, 6)
    e = ev(events_by_unit, "art_7__subpara_38", "86-VIII")
    assert e.effect_clause.endswith("first official publication")
    assert {w.line for w in parsed.warnings if "missing" in w.reason} == {538, 1238}


def test_stray_semicolons(events_by_unit, parsed):
    # line 1451: "…publication); ); as excluded by … 231-VIII …"
    assert [(e.kind, e.law_number) for e in events_by_unit["art_18-1"]] == [("inserted", "347-VI"), ("excluded", "231-VIII")]
    assert any(w.line == 1451 for w in parsed.warnings)


def test_no_space_after_subparagraph_number(events_by_unit):
    e = ev(events_by_unit, "art_1__subpara_8", "237-VI")
    assert e.kind == "excluded" and e.source_line == 55


def test_cyrillic_letter_in_english_word(events_by_unit, parsed):
    # line 2147: "Article 49 is in the wording оf the Law" — the "о" is Cyrillic
    assert ev(events_by_unit, "art_49", "128-VI").kind == "new_wording"
    assert any(w.line == 2147 and "Cyrillic" in w.reason for w in parsed.warnings)


def test_article_without_number(events_by_unit):
    # line 341, in Article 3: "Footnote. Article as amended by the Law … 27.12.2021 № 87-VII"
    assert ev(events_by_unit, "art_3", "87-VII").kind == "amended"


# --- headings, chapters ------------------------------------------------------------------------

def test_heading_only_footnotes_concern_the_heading(events_by_unit):
    assert ev(events_by_unit, "art_40__heading", "237-VI").kind == "new_wording"
    assert ev(events_by_unit, "art_9__heading", "141-VII").kind == "amended"
    assert ev(events_by_unit, "art_27__heading", "141-VII").source_line == 1620
    # the body note of Article 40 is a separate note
    assert ev(events_by_unit, "art_40", "237-VI").source_line == 2036
    assert ev(events_by_unit, "chp_6__heading", "237-VI").kind == "new_wording"
    assert ev(events_by_unit, "chp_10__heading", "237-VI").kind == "amended"


def test_excluded_chapter(events_by_unit):
    e = ev(events_by_unit, "chp_7", "141-VII")
    assert e.kind == "excluded" and e.effective_date == date(2023, 1, 1) and e.effective_basis == "explicit"


def test_every_note_produced_events_or_a_warning(parsed):
    lines_with_events = {e.source_line for e in parsed.events}
    unparsed = {w.line for w in parsed.warnings if w.severity == "unparsed"}
    for n in parsed.notes:
        assert n.line in lines_with_events or n.line in unparsed, n


def test_inline_markers_target_their_unit(parsed):
    for n in parsed.notes:
        if n.kind == "inline":
            assert any(e.unit == n.context and e.kind == "excluded" for e in parsed.events if e.source_line == n.line)


# --- what the parser cannot read becomes a warning ----------------------------------------------

@pytest.mark.parametrize("text, reason", [
    ("Footnote. Article 5 was reworked by the Law dated 01.02.2020 № 1-VI (x).", "no amendment verb"),
    ("Footnote. Article 5 as amended by the Law of the Republic of Kazakhstan.", "no amending law"),
    ("Footnote. Something odd as amended by the Law dated 01.02.2020 № 1-VI (shall be enforced from 01.03.2020).",
     "subject of the note not understood"),
    ("Footnote. Article 5 as amended by the Law dated 31.02.2020 № 1-VI (shall be enforced from 01.03.2020).",
     "impossible date"),
    ("Footnote. Article 5 as amended by the Law dated 01.02.2020 № 1-VI.", "no entry-into-force clause"),
    ("Footnote. Article 5 as amended by the Law dated 01.02.2020 № 1-VI (x); and reviewed by a committee.",
     "not understood"),
])
def test_malformed_notes_become_warnings(text, reason):
    warnings: list[ParseWarning] = []
    read_note(text, 10, "art_5", "footnote", warnings)
    assert any(reason in w.reason and w.line == 10 for w in warnings), warnings
