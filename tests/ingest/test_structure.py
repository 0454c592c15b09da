"""The unit tree. Expected numbers come from reading the text (and grep), not from the parser.

Counted in fixtures/informatization_418-V_eng.txt:
- 3 "SECTION N." headings, 13 "Chapter N." headings (Chapter 1 on the same line as SECTION 1);
- 88 "Article N." headings; Articles 45–47 are absent (Chapter 7 was excluded);
- 258 lines "N." / "N-M." opening a paragraph, plus line 2619 "9 The period …" without a dot;
- 698 lines "N)" / "N-M)" opening a subparagraph (line 55 "8)is excluded" has no space);
- 89 "Footnote." paragraphs; 143 inline "… excluded by …" markers.
"""
from __future__ import annotations

from collections import Counter

from ingest.structure import parse_structure


def test_counts_read_from_the_text(parsed):
    kinds = Counter(u.kind for u in parsed.units)
    assert kinds["section"] == 3
    assert kinds["chapter"] == 13
    assert sum(1 for u in parsed.units if u.kind == "article" and u.present) == 88
    assert kinds["article"] == 91
    assert kinds["paragraph"] == 259
    assert kinds["subparagraph"] == 698
    assert sum(1 for n in parsed.notes if n.kind == "footnote") == 89
    assert sum(1 for n in parsed.notes if n.kind == "inline") == 143


def test_every_nonblank_line_is_accounted_for(parsed, fixture_source):
    covered = set()
    for u in parsed.units:
        if u.line_start:
            covered.update(range(u.line_start, u.line_end + 1))
    covered.update(n.line for n in parsed.notes)
    front = {1, 6, 9, 11}  # title, "Unofficial translation" ×2, the law line
    missing = [i for i, line in enumerate(fixture_source.lines, start=1)
               if line.strip() and i not in covered and i not in front]
    assert missing == []


def test_unit_ids_are_unique_and_parents_come_first(parsed):
    ids = [u.eid for u in parsed.units]
    assert len(ids) == len(set(ids))
    pos = {u.eid: u.position for u in parsed.units}
    for u in parsed.units:
        if u.parent:
            assert pos[u.parent] < u.position, u.eid


def test_section_and_chapter_on_one_line(parsed):
    by = {u.eid: u for u in parsed.units}
    assert by["sec_1"].line_start == by["chp_1"].line_start == 14
    assert by["chp_1"].parent == "sec_1"
    assert by["sec_1__heading"].text == "BASICS OF REGULATION OF RELATIONS IN THE FIELD OF INFORMATIZATION"
    assert by["chp_1__heading"].text == "GENERAL PROVISIONS"
    assert by["art_1"].parent == "chp_1"


def test_paragraph_without_dot(parsed):
    by = {u.eid: u for u in parsed.units}
    u = by["art_64-2__para_9"]
    assert u.line_start == 2619 and u.text.startswith("9 The period")
    assert any(w.line == 2619 and w.severity == "repaired" for w in parsed.warnings)
    # its continuation lines belong to it
    assert by["art_64-2__para_9__part_1"].text.startswith("The inspection period can be extended")


def test_subparagraph_without_space(parsed):
    by = {u.eid: u for u in parsed.units}
    assert by["art_1__subpara_8"].line_start == 55


def test_subparagraphs_directly_under_article_and_inside_paragraph(parsed):
    by = {u.eid: u for u in parsed.units}
    assert by["art_1__subpara_3-1"].parent == "art_1"
    assert by["art_4__para_2__subpara_3"].parent == "art_4__para_2"
    assert by["art_17__para_2-1"].kind == "paragraph"


def test_unnumbered_parts(parsed):
    by = {u.eid: u for u in parsed.units}
    assert by["art_1__part_1"].text == "The following basic concepts are used in this Law:"
    # Article 64: five unnumbered paragraphs
    assert by["art_64__part_2"].text.startswith("Inspection and preventive control with a visit")
    assert "art_64__part_5" in by and "art_64__part_6" not in by
    # after "18) …." the closing sentence is a part of Article 9, not of subparagraph 18)
    assert by["art_9__part_2"].text.startswith("Competence of central executive bodies is also")


def test_continuations_belong_to_the_unit_they_continue(parsed):
    by = {u.eid: u for u in parsed.units}
    # "2) conducting trial operation …:" then four indented lines, then "3)"
    assert by["art_39__para_4__subpara_2__part_1"].text.startswith("documenting of procedures")
    assert by["art_39__para_4__subpara_2__part_4"].text.startswith("The period of trial operation")
    # 55-4) then a second sentence ending ";" before 56)
    assert by["art_1__subpara_55-4__part_1"].text.startswith("Documents in the digital document service")
    # paragraph 3 of Article 8 continues with an unnumbered sentence
    assert by["art_8__para_3__part_1"].text.startswith("The powers and procedure")


def test_headings(parsed):
    by = {u.eid: u for u in parsed.units}
    assert by["art_7-1__heading"].text == "Competence of the authorized body in the sphere of ensuring information security"
    assert by["chp_6__heading"].text.startswith("INFORMATION SYSTEMS. LIFE CYCLE")


def test_excluded_chapter_articles_exist_without_text(parsed):
    by = {u.eid: u for u in parsed.units}
    for n in (45, 46, 47):
        u = by[f"art_{n}"]
        assert u.parent == "chp_7" and not u.present and u.text == "" and u.line_start is None
    order = [u.eid for u in parsed.units if u.kind == "article"]
    assert order.index("art_44") < order.index("art_45") < order.index("art_47") < order.index("art_48")


def test_excluded_article_keeps_heading_only(parsed):
    children = [u.eid for u in parsed.units if u.parent == "art_23"]
    assert children == ["art_23__heading"]


def test_signature_is_not_part_of_article_67(parsed):
    by = {u.eid: u for u in parsed.units}
    assert by["conclusions"].text.endswith("N. NAZARBAYEV")
    assert "NAZARBAYEV" not in by["art_67__para_2"].text


def test_repeated_number_is_kept_and_warned():
    lines = ["Law of the Republic of Kazakhstan dated 24 November 2015 № 418-V.",
             "Chapter 1. X", "Article 1. Y", "1) a;", "1) b;"]
    st = parse_structure(lines)
    ids = [u.eid for u in st.units]
    assert "art_1__subpara_1" in ids and "art_1__subpara_1__dup_2" in ids
    assert any("repeated unit number" in w.reason for w in st.warnings)


def test_units_built_without_init_equal_those_init_builds(parsed):
    """``unit_from`` (how the parse builds its ~4,000 units) gives what ``Unit(**fields)`` gives: equal, same
    hash and repr, still frozen."""
    import dataclasses

    import pytest

    from ingest.structure import Unit, unit_from
    for u in parsed.units[:200] + parsed.units[-50:]:
        fields = {f.name: getattr(u, f.name) for f in dataclasses.fields(Unit)}
        a, b = unit_from(dict(fields)), Unit(**fields)
        assert a == b and hash(a) == hash(b) and repr(a) == repr(b) and a.__dict__ == b.__dict__
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.text = "changed"
