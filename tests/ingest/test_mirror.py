"""The mirror's layout (an act directory: front matter, table of contents, parts) and its git history."""
from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest

from ingest.errors import IngestError
from ingest.mirror import read_act_dir
from tests.ingest.mirror_repo import ACT, NEW_PATH, OLD_PATH, build_repo

FRONT = "---\npart_of: ../rus.md\nsource: https://zan.gov.kz/client/#!/doc/1/rus/02.03.2024\n---\n\n"


def small_act(tmp_path, *, toc: bool = True, part: bytes | None = None):
    """An act directory like the mirror's: rus.md with a table of contents and one part."""
    act = tmp_path / "20200101-o-test-1"
    (act / "rus").mkdir(parents=True)
    table = "\n## Части документа\n\n| Часть | Название |\n|---|---|\n| [`sec001`](rus/sec001.md) | Глава 1 |\n"
    (act / "rus.md").write_text("---\nsource: https://zan.gov.kz/client/#!/doc/1/rus/02.03.2024\n---\n\n"
                                "# О тесте\n\nПреамбула.\n" + (table if toc else ""), encoding="utf-8")
    body = (FRONT + "## Глава 1. ОБЩИЕ\n\n<a id=\"st1\"></a>\n\n### Статья 1. Понятия\n\n1. Первый пункт:\n\n"
            "   1) первый подпункт;\n\n   *2) исключен Законом РК от 14.07.2022 № 141-VII (вводится в действие с "
            "01.01.2023);*\n\n> *Сноска. Статья 1 с изменением, внесенным Законом РК от 14.07.2022 № 141-VII "
            "(вводится в действие с 01.01.2023).*\n")
    (act / "rus" / "sec001.md").write_bytes(part if part is not None else body.encode("utf-8"))
    return act


# --- bad input first -----------------------------------------------------------------------------

def test_not_an_act_directory(tmp_path):
    with pytest.raises(IngestError, match="no such directory"):
        read_act_dir(str(tmp_path / "missing"))
    with pytest.raises(IngestError, match="not a law text file nor an act directory of the mirror"):
        read_act_dir(str(tmp_path))
    (tmp_path / "file.md").write_text("x")
    with pytest.raises(IngestError, match="not a directory"):
        read_act_dir(str(tmp_path / "file.md"))


def test_a_linked_part_is_missing(tmp_path):
    act = small_act(tmp_path)
    (act / "rus" / "sec001.md").unlink()
    with pytest.raises(IngestError, match="links rus/sec001.md, which is missing"):
        read_act_dir(str(act))


@pytest.mark.parametrize("data, message", [(b"abc \xff def", "not UTF-8"), (b"\xff\xfe a\x00b", "UTF-16"),
                                           (b"abc\x00def", "NUL byte"), (b"", "file is empty"),
                                           ("## Глава 1. ПУСТО\n".encode(), 'no "Статья N." heading')])
def test_bad_part(tmp_path, data, message):
    with pytest.raises(IngestError, match=message):
        read_act_dir(str(small_act(tmp_path, part=data)))


def test_a_part_no_table_links_is_reported_not_read(tmp_path):
    act = small_act(tmp_path)
    (act / "rus" / "sec099.md").write_text("## Статья 99. Лишняя\n", encoding="utf-8")
    a = read_act_dir(str(act))
    assert [p.name for p in a.parts] == ["rus.md", "rus/sec001.md"]
    assert [w.text for w in a.warnings] == ["rus/sec099.md"]


# --- one edition ---------------------------------------------------------------------------------

def test_small_act(tmp_path):
    from ingest.parse_ru import parse_law_ru
    a = read_act_dir(str(small_act(tmp_path)))
    assert (a.act, a.act_date, a.edition_date) == ("20200101-o-test-1", date(2020, 1, 1), date(2024, 3, 2))
    p = parse_law_ru(a, {}, number="1-VI")
    assert p.title == "О тесте"
    assert [u.eid for u in p.units] == ["preamble", "chp_1", "chp_1__heading", "art_1", "art_1__heading",
                                        "art_1__para_1", "art_1__para_1__subpara_1", "art_1__para_1__subpara_2"]
    assert [(e.unit, e.kind) for e in p.events] == [("art_1", "amended"), ("art_1__para_1__subpara_2", "excluded")]
    # the table of contents and the front matter are apparatus, not text
    assert all("Части документа" not in u.text and "source:" not in u.text for u in p.units)


def test_the_fixture_edition():
    a = read_act_dir(str(ACT))
    # rus.md's table (lines 19–28) lists the parts in this order, which is not the alphabetical one for part020
    assert [p.name for p in a.parts] == ["rus.md", "rus/sec001.md", "rus/sec001-ch002.md",
                                         "rus/sec001-ch002-part001.md", "rus/sec001-ch002-part020.md",
                                         "rus/sec001-ch003.md", "rus/sec002.md", "rus/sec002-ch009.md",
                                         "rus/sec003.md"]
    assert (a.edition_date, a.act_date, a.portal_url) == (
        date(2026, 1, 18), date(2015, 11, 24), "https://zan.gov.kz/client/#!/doc/95699/rus/18.01.2026")
    assert a.source.size == 462897 and len(a.source.lines) == 31 + 334 + 8 + 806 + 128 + 204 + 690 + 164 + 426
    line = next(i for i, t in enumerate(a.source.lines, 1) if t.startswith("> *Сноска. Статья 1 "))
    assert a.where(line) == "rus/sec001.md:276"
    assert a.where(1) == "rus.md:1" and a.where(len(a.source.lines)) == "rus/sec003.md:426"
    assert a.warnings == ()


def test_every_line_is_accounted_for():
    """Each non-blank line is apparatus, an anchor, the title, a note, or the text of exactly one unit."""
    from tests.ingest.mirror_repo import russian_parsed
    a, p = read_act_dir(str(ACT)), russian_parsed()
    covered: dict[int, int] = {}
    for u in p.units:
        if u.line_start:
            for n in range(u.line_start, u.line_end + 1):
                if u.kind != "heading":  # a heading shares its line with its article/chapter/section
                    covered[n] = covered.get(n, 0) + 1
    notes = {n.line for n in p.notes}
    for n, text in enumerate(a.source.lines, start=1):
        if not text.strip() or n in a.apparatus or re.match(r'^<a id="', text) or text.startswith("# "):
            continue
        units = covered.get(n, 0)
        assert units == 1 or (units == 0 and n in notes) or (units == 1 and n in notes), (a.where(n), text[:80])


# --- git history ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return build_repo(tmp_path_factory.mktemp("mirror"))


def test_not_a_clone(tmp_path):
    from ingest.mirror_git import read_history
    with pytest.raises(IngestError, match="git rev-parse failed"):
        read_history(str(tmp_path), NEW_PATH)
    with pytest.raises(IngestError, match="no such directory"):
        read_history(str(tmp_path / "nope"), NEW_PATH)


def test_an_act_without_history(repo):
    from ingest.mirror_git import read_history
    with pytest.raises(IngestError, match="no history of 03-laws/19990101-none/rus.md"):
        read_history(str(repo), "03-laws/19990101-none")


def test_history_editions(repo):
    from ingest.mirror_git import read_history
    h = read_history(str(repo), NEW_PATH)
    older, newer = h.editions
    # commit 1 sits at the older layout 2015/1124-…; --follow finds it through the rename
    assert (older.path, older.edition_date, older.date_basis) == (OLD_PATH, date(2025, 11, 1), "commit date")
    assert (newer.path, newer.edition_date, newer.date_basis) == (NEW_PATH, date(2026, 1, 18), "front matter")
    assert older.act.act_date == newer.act.act_date == date(2015, 11, 24)
    assert older.subject.startswith("older edition (SYNTHETIC")
    # the same edition read from the commit or from the directory is the same source
    assert newer.act.source.sha256 == read_act_dir(str(ACT)).source.sha256
    assert newer.act.source.name == f"20151124-o-kiberbezopasnosti-95699/rus.md@{newer.commit[:10]}"
    (skipped,) = h.skipped
    assert "is the same as at" in skipped[1]
    log = subprocess.run(["git", "-C", str(repo), "log", "--format=%H"], capture_output=True, text=True).stdout
    assert skipped[0] == log.split()[0]  # commit 3 only added rus/README.txt


def test_history_is_ingested_as_dated_russian_editions(repo, tmp_path):
    from sqlmodel import Session, select

    from ingest.amending_laws import read_amending_laws
    from ingest.load import load_parsed
    from ingest.mirror_git import read_history
    from ingest.parse_ru import parse_law_ru
    from model import tables as t
    from model.engine import make_engine
    engine = make_engine(f"sqlite:///{tmp_path / 'h.db'}")
    for e in read_history(str(repo), NEW_PATH).editions:
        p = parse_law_ru(e.act, read_amending_laws(), number="418-V")
        load_parsed(engine, p, edition_date=e.edition_date)
    with Session(engine) as s:
        sources = s.exec(select(t.Source).order_by(t.Source.id)).all()
        assert [(x.language, x.edition_date) for x in sources] == [("rus", date(2025, 11, 1)), ("rus", date(2026, 1, 18))]
        langs = set(s.exec(select(t.UnitVersion.language)).all())
        assert langs == {"rus"}
        # the older edition's subparagraph 43-1) is in force with its (synthetic) wording, the newer one excludes it
        v = {x.source_id: x for x in s.exec(select(t.UnitVersion).where(t.UnitVersion.eid == "art_1__subpara_43-1",
                                                                         t.UnitVersion.valid_to.is_(None)))}
        assert v[sources[0].id].status == "in_force" and "СИНТЕТИЧЕСКАЯ" in v[sources[0].id].text
        assert v[sources[1].id].status == "excluded"
        changes = s.exec(select(t.TextChange).where(t.TextChange.eid == "art_1__subpara_62-1")).all()
        assert [(c.older_source_id, c.newer_source_id) for c in changes] == [(sources[0].id, sources[1].id)]
