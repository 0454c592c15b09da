"""Witness files: bad input first, then which quotations the 2020 Council of Europe profile yields,
how they are attributed to the Law on Informatization, and how they are matched to Article 1."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.witness import Quotation, find_quotations, match_quotations, read_witness

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "coe_cybercrime_profile_kz_2020-05-01.txt"
SEED_SHA256 = "6857c7bf6c9a9a3acfcecb64573fdb5d98e0fc6b49a70f6d7fa192fcd331b948"
HEADING = "The Law of the Republic of Kazakhstan on Informatization"

# Read off the seed by hand: every numbered definition standing under a heading naming the Law on
# Informatization. Line 113 is one HTML table row (a) and b) headings in its right-hand cell); lines
# 123-131 are markdown after a page break. Line 113 also quotes "2) personal data", "12) processing
# of personal data" (Personal Data law) and "1) State Corporation" (State Services law); lines 119
# and 121 continue the State Services law ("2) one-stop shop principle", "4) service provider").
EXPECTED = [
    (113, "12", "12) information system - an organizationally ordered set of information and communication "
                "technologies, maintenance personnel and technical documentation that implement certain "
                "technological activities through information interaction and are designed to solve specific "
                "functional tasks"),
    (113, "35", "35) open data - public electronic information resources, presented in a machine-readable "
                "form and designed for further use, re-publication in an unchanged form"),
    (125, "10", "10) authorized body in the field of informatization (hereinafter - authorized body) - central "
                "executive body exercising management and intersectoral coordination in the field of "
                'informatization and "electronic government";'),
    (127, "26", "26) information and communication service - a service or a set of services for property "
                "hiring (leasing) and/or placing of computing resources, providing software, software "
                "products, service software products and technical means for use, including communication "
                "services, which help to provide these services;"),
    (129, "63", '63) "electronic government" - a system of information interaction of state bodies among '
                "themselves and with individuals and legal entities, based on automation and optimization of "
                "state functions as well as designed to provide services in electronic form;"),
    (131, "64", '64) objects of informatization of "electronic government" - state electronic information '
                "resources, software of state agencies and information and communication infrastructure of "
                '"electronic government", including non-state information systems integrated with information '
                "systems of state agencies or designed for the formation of state electronic information resources;"),
]


@pytest.fixture(scope="module")
def seed_quotations():
    src = read_witness(str(SEED))
    assert src.sha256 == SEED_SHA256, "the seed changed: re-read it and update EXPECTED"
    return find_quotations(src)


def write(tmp_path, text: str, name: str = "w.txt") -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def quotations_of(tmp_path, text: str) -> list[tuple[int, str]]:
    return [(q.line, q.number) for q in find_quotations(read_witness(write(tmp_path, text)))]


# --- bad input ---------------------------------------------------------------------------------

def test_missing_file_and_directory(tmp_path):
    with pytest.raises(IngestError, match="no such file") as e:
        read_witness(str(tmp_path / "nope.txt"))
    assert "nope.txt" in str(e.value)
    with pytest.raises(IngestError, match="is a directory"):
        read_witness(str(tmp_path))


def test_not_utf8_names_file_and_line(tmp_path):
    p = tmp_path / "cp.txt"
    p.write_bytes(f"**{HEADING}**\n".encode() + "12) информационная система".encode("cp1251"))
    with pytest.raises(IngestError) as e:
        read_witness(str(p))
    assert "not UTF-8" in str(e.value) and str(e.value).startswith(f"{p}:2: ")


def test_binary_empty_and_utf16(tmp_path):
    p = tmp_path / "b.txt"
    p.write_bytes(b"one\ntwo\x00")
    with pytest.raises(IngestError, match="NUL") as e:
        read_witness(str(p))
    assert e.value.line == 2
    p.write_bytes(b"  \n")
    with pytest.raises(IngestError, match="empty"):
        read_witness(str(p))
    p.write_bytes(f"**{HEADING}**".encode("utf-16"))
    with pytest.raises(IngestError, match="UTF-16"):
        read_witness(str(p))


def test_no_heading_naming_the_law(tmp_path):
    path = write(tmp_path, "**The Law of the Republic of Kazakhstan on Personal Data and their Protection**\n"
                           "2) personal data – details, related to the specific subject;\n")
    with pytest.raises(IngestError, match="no quotation of the Law") as e:
        find_quotations(read_witness(path))
    assert e.value.path == path


def test_heading_without_definitions_names_its_line(tmp_path):
    path = write(tmp_path, "intro\n\n**The Law of the Republic of Kazakhstan on Informatization**\n"
                           "**Article 7. Competence of the authorized body**\n1) develops rules;\n")
    with pytest.raises(IngestError, match="no numbered definition") as e:
        find_quotations(read_witness(path))
    assert (e.value.path, e.value.line) == (path, 3)


# --- the 2020 Council of Europe profile ---------------------------------------------------------

def test_seed_quotations_are_the_six_read_by_hand(seed_quotations):
    assert [(q.line, q.number, q.text) for q in seed_quotations] == EXPECTED
    assert {q.law_heading for q in seed_quotations} == {HEADING}  # the "a)"/"b)" enumerators dropped


def test_other_laws_definitions_are_not_attributed(seed_quotations):
    texts = " ".join(q.text for q in seed_quotations)
    for other in ("personal data –", "processing of personal data", "State Corporation",
                  "one-stop shop", "service provider –", "covert control", "by group of persons"):
        assert other not in texts
    # "12)" is quoted twice on line 113: once from Informatization, once from Personal Data
    assert [q.text[:22] for q in seed_quotations if q.number == "12"] == ["12) information system"]


# --- attribution rules, on small texts ----------------------------------------------------------

def test_other_act_heading_ends_attribution(tmp_path):
    text = (f"**{HEADING}**\n1) automation - the process;\n"
            "**Penal Code of the Republic of Kazakhstan**\n2) by group of persons;\n"
            f"**ii) {HEADING}**\n- 5-1) integration of objects of informatization -measures;\n")
    assert quotations_of(tmp_path, text) == [(2, "1"), (6, "5-1")]


def test_convention_row_ends_attribution(tmp_path):
    text = (f"<p><b>Article 1 – Terms</b></p>\t<p><b>a) {HEADING}</b></p> <p>12) information system - a set</p>\n"
            "<p><b>Article 2 – Illegal access</b></p>\t<p>3) not a quotation of the law</p>\n"
            f"**BUDAPEST CONVENTION****DOMESTIC LEGISLATION****Article 8 – Computer-related fraud**\n"
            "4) nor this\n")
    assert quotations_of(tmp_path, text) == [(1, "12")]


def test_other_article_of_the_law_is_not_article_1(tmp_path):
    text = (f"**{HEADING}**\n**Article 1. Basic concepts**\n35) open data - data;\n"
            "Article 7. **Competence**\n1) approves rules;\n")
    assert quotations_of(tmp_path, text) == [(3, "35")]


def test_soft_breaks_inside_one_html_paragraph(tmp_path):
    text = (f"\t<p><b>{HEADING}</b>  <b>Article 1. Concepts</b>  12) information system - a set;"
            "  35) open data - data;</p> <p>63) <b>\"electronic government\"</b> - a system;</p>\n")
    got = find_quotations(read_witness(write(tmp_path, text)))
    assert [(q.number, q.text) for q in got] == [("12", "12) information system - a set;"),
                                               ("35", "35) open data - data;"),
                                               ("63", '63) "electronic government" - a system;')]


def test_amending_law_heading_is_not_the_law(tmp_path):
    text = "**Law on amendments and additions to the Law on Informatization**\n1) Article 1 is amended;\n"
    with pytest.raises(IngestError, match="no quotation"):
        find_quotations(read_witness(write(tmp_path, text)))


# --- matching to today's Article 1 ---------------------------------------------------------------

@pytest.fixture(scope="module")
def excluded_from(parsed):
    return {e.unit: e.effective_date for e in parsed.events if e.kind == "excluded"}


def q(number: str, rest: str, line: int = 1) -> Quotation:
    return Quotation(number=number, text=f"{number}) {rest}", line=line, law_heading=HEADING)


def test_seed_quotations_all_match_their_numbers(seed_quotations, parsed, excluded_from):
    got = match_quotations(seed_quotations, parsed.units, known_on=date(2020, 5, 1), excluded_from=excluded_from)
    assert [(m.status, m.eid) for m in got] == [("matched", f"art_1__subpara_{n}") for _, n, _ in EXPECTED]
    sims = {m.eid[len("art_1__subpara_"):]: round(m.similarity, 2) for m in got}
    assert sims["10"] == 1.0 and sims["63"] >= 0.98  # word for word; a comma at most
    assert all(0.6 <= v < 0.95 for k, v in sims.items() if k in ("12", "35", "26", "64"))  # reworded since


def test_same_number_other_wording_is_rejected(parsed):
    (m,) = match_quotations([q("12", "processing of personal data – actions directed to accumulation, "
                                     "storage, change, supplement, use, distribution of personal data;")],
                           parsed.units)
    assert (m.status, m.eid) == ("rejected", None)
    assert m.reason.startswith("number 12 exists but wording differs too much (similarity 0.")
    assert m.similarity < 0.5


def test_unknown_number_is_rejected(parsed):
    (m,) = match_quotations([q("99", "open data - public electronic information resources, presented in a "
                                     "machine-readable form and designed for further use")], parsed.units)
    assert m.status == "rejected"
    assert m.reason.startswith("no unit art_1__subpara_99 in today's text; its wording is closest to "
                               "art_1__subpara_35")


def test_renumbered_wording_is_not_matched_by_number(parsed):
    today_62 = next(u.text for u in parsed.units if u.eid == "art_1__subpara_62")
    (m,) = match_quotations([q("61", today_62.split(") ", 1)[1])], parsed.units)
    assert m.status == "rejected"  # 61 and 62 are templated twins (0.85): the wording points to 62
    assert "closer to art_1__subpara_62 (1.00)" in m.reason


def test_exclusion_stub_matches_only_when_excluded_after_the_witness(parsed, excluded_from):
    quote = q("65", "electronic procurement portal - an information system for state purchases;")
    assert excluded_from["art_1__subpara_65"] == date(2020, 7, 6)
    (before,) = match_quotations([quote], parsed.units, known_on=date(2020, 5, 1), excluded_from=excluded_from)
    assert (before.status, before.eid, before.similarity) == ("matched", "art_1__subpara_65", None)
    assert "exclusion stub (excluded from 06.07.2020, after the witness date)" in before.reason
    (after,) = match_quotations([quote], parsed.units, known_on=date(2020, 8, 1), excluded_from=excluded_from)
    assert after.status == "rejected" and after.reason.startswith("art_1__subpara_65 was excluded from 06.07.2020")


def test_exclusion_stub_does_not_take_another_units_wording(parsed, excluded_from):
    today_63 = next(u.text for u in parsed.units if u.eid == "art_1__subpara_63")
    (m,) = match_quotations([q("65", today_63.split(") ", 1)[1])], parsed.units,
                            known_on=date(2020, 5, 1), excluded_from=excluded_from)
    assert m.status == "rejected" and "closest to art_1__subpara_63" in m.reason


def test_one_unit_quoted_in_two_wordings_keeps_the_closer(parsed):
    today_35 = next(u.text for u in parsed.units if u.eid == "art_1__subpara_35")
    older = q("35", EXPECTED[1][2].split(") ", 1)[1], line=113)
    newer = Quotation("35", today_35, 200, HEADING)
    first, second = match_quotations([older, newer], parsed.units)
    assert (first.status, second.status) == ("rejected", "matched")
    assert first.reason.startswith("art_1__subpara_35 is also quoted at line 200 in a closer wording")
