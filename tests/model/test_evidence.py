"""Best evidence: with both texts ingested, the official Russian text decides; the English is labelled.

Expectations come from reading the two texts (fixtures/kazakhstan-law-codes/…/rus/*.md and
fixtures/informatization_418-V_eng.txt), not from the parser's output:
- Art. 7 subpara. 52), Art. 12 subparas. 13) and 17) read "исключен Законом РК …" in the Russian text
  (rus/sec001-ch002-part001.md lines 196, 712, 720) but carry full wordings in the English one;
- Art. 7 subpara. 4-1) and Art. 44 para. 4 exist only in the Russian text;
- Art. 28-1 is a Russian placeholder: "Статья 28-1 вводится в действие по истечении шести месяцев …
  в соответствии с Законом РК от 09.01.2026 № 256-VIII";
- the articles and chapter excluded by a note rather than a stub line: Art. 13-1 (last clause of its
  note: "исключена Законом РК от 27.09.2025 № 220-VIII"), 13-2, 18-1, 18-2, 23, 24, 33-1, 51, 58 and
  Chapter 7 with its Articles 45–47 (the English text numbers them; the Russian omits them).
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from model.engine import make_engine
from model.evidence import AGREEMENTS
from model.findings import load_edition
from model.pointintime import as_of, law_index
from model.queries import get_law, languages, latest_edition

RUS = Path(__file__).resolve().parents[2] / "fixtures" / "kazakhstan-law-codes" / "03-laws" / \
    "20151124-o-kiberbezopasnosti-95699" / "rus"
STUB = re.compile(r"^\s*\*?\s*\d+(?:-\d+)*[.)]?\s*[Ии]сключен\s+Закон")
AFTER_EDITION = date(2026, 12, 1)  # after 18.01.2026 and after every change the Russian notes announce
NOT_IN_STEP = {"art_7__subpara_52", "art_12__subpara_13", "art_12__subpara_17"}
EXCLUDED_BY_NOTE = {"art_13-1", "art_13-2", "art_18-1", "art_18-2", "art_23", "art_24", "art_33-1", "art_51",
                    "art_58", "chp_7", "art_45", "art_46", "art_47"}


@pytest.fixture
def s(bilingual_db):
    with Session(make_engine(bilingual_db)) as session:
        yield session


def by_eid(states):
    return {x.eid: x for x in states}


def test_the_official_text_is_the_default_edition(s):
    law = get_law(session=s)
    assert languages(session=s, law_id=law.id) == ["rus", "eng"]
    assert latest_edition(session=s, law_id=law.id).language == "rus"
    assert latest_edition(session=s, law_id=law.id, language="eng").language == "eng"


def test_stub_lines_of_the_official_text_are_exactly_the_excluded_sub_units(s):
    """Done-when of issue 7: after 18.01.2026, `asof` agrees with the official text on every unit."""
    stub_lines = [ln for f in sorted(RUS.glob("*.md")) for ln in f.read_text(encoding="utf-8").splitlines()
                  if STUB.match(ln)]
    states = as_of(session=s, on=AFTER_EDITION)
    stubs = {x.eid for x in states if x.kind in ("paragraph", "subparagraph") and x.text and STUB.match(x.text)}
    assert len(stubs) == len(stub_lines) == 146  # grep -cE "^\s*\*?\s*[0-9]+(-[0-9]+)*[.)]?\s*[Ии]сключен\s+Закон"
    excluded = {x.eid for x in states if x.status == "excluded" and x.kind != "heading"}
    assert stubs <= excluded
    assert excluded - stubs == EXCLUDED_BY_NOTE
    # and every other unit of the official text is in force
    rest = [x for x in states if x.eid not in excluded and x.kind != "heading"
            and not any(x.eid.startswith(e + "__") for e in excluded)]
    assert {x.status for x in rest} == {"in_force"}


def test_every_status_is_the_official_editions_own(s):
    """The status of every unit equals what the Russian edition's stored versions say on that date."""
    law = get_law(session=s)
    ru = load_edition(s, latest_edition(session=s, law_id=law.id, language="rus"))
    states = as_of(session=s, on=AFTER_EDITION)
    assert {x.eid for x in states} >= set(ru.versions)
    for x in states:
        if x.eid in ru.versions:
            assert x.status == ru.status_on(x.eid, AFTER_EDITION), x.eid
            assert x.status_from == "rus 18.01.2026"


def test_units_the_translation_still_shows_in_force(s):
    for lang in (None, "eng"):
        st = by_eid(as_of(session=s, on=date(2026, 2, 1), language=lang))
        for eid in NOT_IN_STEP:
            assert st[eid].status == "excluded"
            assert st[eid].agreement == "differs"
            assert "shows it in force" in st[eid].agreement_note
    eng = by_eid(as_of(session=s, on=date(2026, 2, 1), language="eng"))
    x = eng["art_12__subpara_13"]
    assert x.language == "eng" and x.text.startswith("13) forms and conducts the classifier")
    assert x.confidence == "unknown"  # an English wording of a unit the official text excluded
    assert x.other_language == "rus" and "исключен Законом РК от 14.07.2022 № 141-VII" in x.other_text
    assert "excluded by Law № 141-VII" in x.basis
    ru = by_eid(as_of(session=s, on=date(2026, 2, 1)))
    assert ru["art_12__subpara_13"].language == "rus"
    assert ru["art_12__subpara_13"].other_text.startswith("13) forms and conducts the classifier")
    # the English text alone would have said "in force": the official text changes the answer
    eng_only = law_index(session=s, language="eng")
    from model.unitstate import unit_state
    assert unit_state(eng_only, "art_12__subpara_13", date(2026, 2, 1)).status == "in_force"


def test_units_only_the_official_text_has(s):
    for lang in (None, "eng"):
        st = by_eid(as_of(session=s, on=date(2026, 2, 1), language=lang))
        x = st["art_7__subpara_4-1"]
        assert x.agreement == "official_only" and x.status == "in_force"
        assert x.language == "rus" and x.text.startswith("4-1) разрабатывает и утверждает правила ведения")
        assert st["art_44__para_4"].agreement == "official_only"
        assert st["art_28-1"].status == "not_yet_inserted"  # announced by Law № 256-VIII, six months on
        assert "256-VIII" in st["art_28-1"].laws
    order = [x.eid for x in as_of(session=s, on=date(2026, 2, 1), language="eng")]
    assert order.index("art_7__subpara_4") < order.index("art_7__subpara_4-1") < order.index("art_7__subpara_5")
    assert order.index("art_28") < order.index("art_28-1") < order.index("art_28-2") < order.index("art_29")


def test_agreeing_units_and_notes_that_differ(s):
    st = by_eid(as_of(session=s, on=date(2026, 2, 1), language="eng"))
    assert set(x.agreement for x in st.values()) <= set(AGREEMENTS)
    x = st["art_1__subpara_12"]
    assert x.agreement == "agrees" and x.language == "eng" and x.other_language == "rus"
    assert x.other_text.startswith("12) информационная система")
    # Art. 13-1: the Russian note names Laws 203-VI, 87-VII, 141-VII and 50-VIII, the English one does not
    note = st["art_13-1"].agreement_note
    assert st["art_13-1"].agreement == "notes_differ"
    for law in ("203-VI", "87-VII", "141-VII", "50-VIII"):
        assert f"Law № {law} is named in the rus notes only" in note


def test_the_wording_shown_on_an_old_date_keeps_its_evidence(s):
    """2020: the Council of Europe quotation is English; shown in English it is the wording, labelled."""
    eng = by_eid(as_of(session=s, on=date(2020, 6, 1), language="eng"))
    x = eng["art_1__subpara_35"]
    assert x.language == "eng" and x.text_source.startswith("witness: Council of Europe")
    ru = by_eid(as_of(session=s, on=date(2020, 6, 1)))
    assert ru["art_1__subpara_35"].language == "rus"
    assert not (ru["art_1__subpara_35"].text_source or "").startswith("witness: Council")  # not an English quote


def test_a_subtree_and_bad_arguments(s):
    st = as_of(session=s, on=date(2026, 2, 1), unit="art_7")
    assert st[0].eid == "art_7" and all(x.eid == "art_7" or x.eid.startswith("art_7__") for x in st)
    assert "art_7__subpara_4-1" in {x.eid for x in st}
    with pytest.raises(LookupError, match="no unit 'art_999'"):
        as_of(session=s, on=date(2026, 2, 1), unit="art_999")
    with pytest.raises(LookupError, match="no edition in 'kaz'"):
        as_of(session=s, on=date(2026, 2, 1), language="kaz")


def test_one_language_only_has_no_agreement(loaded_db):
    with Session(make_engine(loaded_db)) as s:
        st = as_of(session=s, on=date(2024, 1, 1))
        assert len(st) == 1277 and {x.agreement for x in st} == {None} and {x.language for x in st} == {"eng"}
        assert "art_28-1" not in {x.eid for x in st}
