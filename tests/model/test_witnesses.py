"""Storing a witness and reading it back — on SQLite and PostgreSQL: rows, idempotence, atomicity,
point-in-time wording, text changes and rejected quotations."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, inspect
from sqlmodel import Session, select

from ingest.errors import IngestError
from ingest.load import load_parsed
from ingest.load_witness import load_witness
from model import tables as t
from model.engine import make_engine
from model.pointintime import as_of
from model.queries import get_law
from model.witnesses import list_text_changes, list_witness_matches

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "coe_cybercrime_profile_kz_2020-05-01.txt"
KNOWN_ON = date(2020, 5, 1)
DESCRIPTION = "Council of Europe cybercrime legislation profile of Kazakhstan"
QUOTED_12 = ("12) information system - an organizationally ordered set of information and communication "
             "technologies, maintenance personnel and technical documentation that implement certain "
             "technological activities through information interaction and are designed to solve specific "
             "functional tasks")
TABLES = [t.Law, t.Source, t.Unit, t.UnitVersion, t.Event, t.WitnessMatch, t.TextChange]


@pytest.fixture
def seed() -> str:
    return str(SEED)


@pytest.fixture
def engine(db_url, parsed):
    eng = make_engine(db_url)
    load_parsed(eng, parsed)
    yield eng
    eng.dispose()


def counts(engine) -> dict[str, int]:
    names = set(inspect(engine).get_table_names())
    with Session(engine) as s:
        return {m.__tablename__: (s.exec(select(func.count()).select_from(m)).one()
                                  if m.__tablename__ in names else -1) for m in TABLES}


def add(engine, path: str, on: date = KNOWN_ON, description: str = DESCRIPTION):
    return load_witness(engine, path=path, known_on=on, source_description=description)


def test_the_law_must_be_ingested_first(db_url, seed):
    engine = make_engine(db_url)
    with pytest.raises(IngestError, match="ingest the law first") as e:
        add(engine, seed)
    assert e.value.path == seed
    assert counts(engine)["source"] == 0


def test_load_seed_writes_source_versions_matches(engine, seed):
    with Session(engine) as s:
        version_before = get_law(session=s).content_version
    res = add(engine, seed)
    assert not res.unchanged
    assert (res.quotations, res.matched, res.rejected, res.versions, res.text_changes) == (6, 6, 0, 6, 5)
    with Session(engine) as s:
        law = get_law(session=s)
        assert law.content_version == version_before + 1
        src = s.get(t.Source, res.source_id)
        assert (src.kind, src.language, src.edition_date, src.description, src.name) == (
            "witness", "eng", KNOWN_ON, DESCRIPTION, SEED.name)
        assert src.size == SEED.stat().st_size
        versions = s.exec(select(t.UnitVersion).where(t.UnitVersion.source_id == src.id)).all()
        assert sorted(v.eid for v in versions) == sorted(f"art_1__subpara_{n}" for n in (10, 12, 26, 35, 63, 64))
        v12 = next(v for v in versions if v.eid == "art_1__subpara_12")
        assert (v12.text, v12.valid_from, v12.valid_to, v12.status, v12.confidence, v12.language) == (
            QUOTED_12, KNOWN_ON, None, "in_force", "exact", "eng")
        assert v12.basis == f"quoted in {DESCRIPTION}, version of 01.05.2020"
        matches = list_witness_matches(session=s, law_id=law.id)
        assert [m.eid for m in matches] == [f"art_1__subpara_{n}" for n in (10, 12, 26, 35, 63, 64)]
        m64 = matches[-1]
        assert (m64.status, m64.quoted_number, m64.known_on) == ("matched", "64", KNOWN_ON)
        assert 0.5 <= m64.similarity < 0.8  # largely reworded since 2020, still the same definition
        assert m64.reason == f"line 131: number 64 and wording agree (similarity {m64.similarity:.2f})"


def test_same_file_twice_changes_nothing(engine, seed):
    add(engine, seed)
    before = counts(engine)
    with Session(engine) as s:
        version = get_law(session=s).content_version
    res = add(engine, seed, description="another description")
    assert res.unchanged and (res.matched, res.versions, res.text_changes) == (6, 6, 5)
    assert counts(engine) == before
    with Session(engine) as s:
        assert get_law(session=s).content_version == version


def test_witness_wording_shows_in_point_in_time(engine, seed):
    add(engine, seed)
    with Session(engine) as s:
        (on_date,) = as_of(session=s, on=KNOWN_ON, unit="art_1__subpara_12")
        assert (on_date.status, on_date.confidence, on_date.text) == ("in_force", "exact", QUOTED_12)
        assert on_date.text_source.startswith("witness") and DESCRIPTION in on_date.text_source
        # the witness holds from the last change before it (01.01.2020) to the next one (06.07.2020)
        assert (on_date.valid_from, on_date.valid_to) == (date(2020, 1, 1), date(2020, 7, 6))
        (earlier,) = as_of(session=s, on=date(2019, 6, 1), unit="art_1__subpara_12")
        (later,) = as_of(session=s, on=date(2021, 6, 1), unit="art_1__subpara_12")
        for other in (earlier, later):
            assert other.text_source == "today" and other.text != QUOTED_12


def test_text_changes_against_todays_wording(engine, seed):
    res = add(engine, seed)
    with Session(engine) as s:
        law = get_law(session=s)
        edition = s.exec(select(t.Source).where(t.Source.kind == "consolidated")).one()
        changes = list_text_changes(session=s, law_id=law.id)
        # 10 is quoted word for word as today: no change row
        assert [c.eid for c in changes] == [f"art_1__subpara_{n}" for n in (12, 26, 35, 63, 64)]
        # 63 differs by one comma only (translation noise); the others change words
        assert {c.eid: c.classification for c in changes} == {
            "art_1__subpara_12": "substantive", "art_1__subpara_26": "substantive",
            "art_1__subpara_35": "substantive", "art_1__subpara_63": "translation",
            "art_1__subpara_64": "substantive"}
        for c in changes:
            assert (c.older_source_id, c.newer_source_id, c.older_date, c.newer_date) == (
                res.source_id, edition.id, KNOWN_ON, None)
        (c63,) = list_text_changes(session=s, law_id=law.id, eid="art_1__subpara_63")
        assert [op for op in json.loads(c63.diff) if op[0] != "="] == [["-", "functions"], ["+", "functions,"]]
        (c35,) = list_text_changes(session=s, law_id=law.id, eid="art_1__subpara_35")
        assert ["-", "- public electronic information resources,"] in json.loads(c35.diff)
        assert list_text_changes(session=s, law_id=law.id, eid="art_1__subpara_10") == []


def test_rejected_quotations_carry_reasons_and_come_last(engine, seed, tmp_path):
    add(engine, seed)
    other = tmp_path / "later.txt"
    other.write_text(
        "**The Law of the Republic of Kazakhstan on Informatization**\n"
        "99) open data portal - a portal;\n"
        "12) processing of personal data – actions directed to accumulation, storage, change of personal data;\n"
        "63) “electronic government” – a system of information interaction of state bodies among themselves "
        "and with individuals and legal entities, based on automation and optimization of state functions, "
        "as well as designed to provide services in electronic form;\n", encoding="utf-8")
    res = add(engine, str(other), on=date(2021, 2, 1), description="a later report")
    assert (res.quotations, res.matched, res.rejected, res.text_changes) == (3, 1, 2, 1)
    with Session(engine) as s:
        law = get_law(session=s)
        matches = list_witness_matches(session=s, law_id=law.id)
        sub = "art_1__subpara_"
        assert [(m.eid, m.known_on.year) for m in matches] == [
            (sub + "10", 2020), (sub + "12", 2020), (sub + "26", 2020), (sub + "35", 2020),
            (sub + "63", 2020), (sub + "63", 2021), (sub + "64", 2020), (None, 2021), (None, 2021)]
        rejected = [m for m in matches if m.status == "rejected"]
        assert [m.quoted_number for m in rejected] == ["99", "12"]  # file order
        assert rejected[0].reason == "line 2: no unit art_1__subpara_99 in today's text"
        assert rejected[1].reason.startswith("line 3: number 12 exists but wording differs too much (similarity 0.")
        assert rejected[1].similarity < 0.5 and rejected[1].known_on == date(2021, 2, 1)
        # curly quotes and an en dash only: a translation difference, not a change of the law
        later = [c for c in list_text_changes(session=s, law_id=law.id, eid="art_1__subpara_63")
                 if c.older_source_id == res.source_id]
        assert [c.classification for c in later] == ["translation"]


def test_failure_half_way_leaves_the_database_as_it_was(engine, seed, monkeypatch):
    import ingest.load_witness as mod
    before = counts(engine)
    calls = {"n": 0}
    real = mod.classify

    def flaky(*a):
        calls["n"] += 1
        if calls["n"] > 3:
            raise RuntimeError("disk full (simulated)")
        return real(*a)

    monkeypatch.setattr(mod, "classify", flaky)
    with pytest.raises(RuntimeError):
        add(engine, seed)
    assert counts(engine) == before
    monkeypatch.setattr(mod, "classify", real)
    assert add(engine, seed).matched == 6  # and it loads cleanly afterwards


def test_witness_dated_before_the_law_is_refused(engine, seed):
    with pytest.raises(IngestError, match="before the law itself"):
        add(engine, seed, on=date(2015, 1, 1))
    with pytest.raises(IngestError, match="description is required"):
        add(engine, seed, description="  ")
