"""Both texts in one database: answers stay in one language until the official text is made primary."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from ingest.load import load_parsed
from model import tables as t
from model.engine import make_engine
from model.pointintime import as_of
from model.queries import latest_edition, get_law

ACT = Path(__file__).resolve().parents[2] / "fixtures" / "kazakhstan-law-codes" / "03-laws" / "20151124-o-kiberbezopasnosti-95699"


def test_english_answers_are_not_mixed_with_the_russian_edition(db_url, parsed):
    from ingest.mirror import read_act_dir
    from ingest.parse_ru import parse_law_ru
    rus = parse_law_ru(read_act_dir(str(ACT)), number="418-V")
    assert rus.language == "rus"
    engine = make_engine(db_url)
    load_parsed(engine, parsed)
    load_parsed(engine, rus, edition_date=date(2026, 1, 18))
    with Session(engine) as s:
        law = get_law(session=s)
        assert latest_edition(session=s, law_id=law.id).language == "eng"
        assert latest_edition(session=s, law_id=law.id, language="rus").language == "rus"
        states = as_of(session=s, on=date(2024, 1, 1))
        eids = {x.eid for x in states}
        assert len(states) == 1277 and "art_28-1" not in eids  # a Russian-only placeholder article
        cross = s.exec(select(t.TextChange).join(t.Source, t.Source.id == t.TextChange.older_source_id)).all()
        assert cross == []  # no word diffs between an English and a Russian wording
