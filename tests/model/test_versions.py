"""The unit versions of one edition (``model.versions``) and the lifecycles they rest on (``model.lifecycle``):
the memos and fast constructors used while deriving them change no value."""
from __future__ import annotations

import dataclasses
from datetime import date

from ingest.load import DEFAULT_COMMENCEMENT, version_rows
from model.lifecycle import Lifecycle, LEvent, LUnit, _lc, changes_touching, derive_lifecycles
from model.versions import VersionRow, edition_versions


def _inputs(parsed):
    lunits = [LUnit(u.eid, u.kind, u.number, u.parent, u.present) for u in parsed.units]
    levents = [LEvent(e.unit, e.kind, e.law_number, e.effective_date, e.effective_basis) for e in parsed.events]
    return lunits, levents


def test_a_lifecycle_built_fast_equals_one_built_by_init():
    d = date(2020, 5, 1)
    a = Lifecycle("art_1__para_2", d, None, end=None, end_law=None, start_kind="candidates",
                  candidates=(("141-VII", d),), basis="x")
    b = _lc("art_1__para_2", d, None, end=None, end_law=None, end_estimated=False, start_kind="candidates",
            candidates=(("141-VII", d),), basis="x")
    assert a == b and hash(a) == hash(b) and a.__dict__ == b.__dict__
    assert [f.name for f in dataclasses.fields(Lifecycle)] == list(b.__dict__)


def test_the_sub_unit_memo_gives_what_each_unit_computed_alone_would(parsed, monkeypatch):
    import model.lifecycle as lifecycle
    lunits, levents = _inputs(parsed)
    shared = derive_lifecycles(lunits, levents, DEFAULT_COMMENCEMENT)
    real = lifecycle._sub_unit
    monkeypatch.setattr(lifecycle, "_sub_unit", lambda *a: real(*a[:-1], None))  # a new memo per unit
    alone = derive_lifecycles(lunits, levents, DEFAULT_COMMENCEMENT)
    assert shared == alone
    kinds = {lc.start_kind for lc in shared.values()}
    assert {"candidates", "original", "inserted"} <= kinds  # the memoised branches were taken


def test_the_versions_memo_gives_what_each_unit_computed_alone_would(parsed):
    lunits, levents = _inputs(parsed)
    lcs = derive_lifecycles(lunits, levents, parsed.commencement or DEFAULT_COMMENCEMENT)
    changes = changes_touching(lunits, levents)
    alone = [tuple(v) for u in parsed.units
             for v in edition_versions(u.eid, u.text, u.present, lcs[u.eid], changes.get(u.eid, []))]
    assert version_rows(parsed) == alone
    assert sum(1 for v in alone if v[5] == "unknown" and v[1] is None) > 100  # "earlier wording not in the sources"


def test_a_version_names_only_the_changes_after_the_unit_began():
    d1, d2, d3 = date(2017, 1, 1), date(2019, 6, 1), date(2021, 3, 1)
    changes = [LEvent("art_5", "amended", "1-VI", d1, "explicit"), LEvent("art_5", "amended", "2-VI", d2, "explicit"),
               LEvent("art_5__para_1", "amended", "3-VI", d3, "explicit")]
    lc = Lifecycle("art_5__para_1", d1, d1, end=None, end_law=None, start_kind="original")
    rows = edition_versions("art_5__para_1", "text", True, lc, changes, {})
    assert rows == [VersionRow("art_5__para_1", None, d1, d3, "in_force", "unknown",
                               "earlier wording not in the sources; amended by № 2-VI from 01.06.2019, "
                               "№ 3-VI from 01.03.2021"),
                    VersionRow("art_5__para_1", "text", d3, None, "in_force", "exact",
                               "today's wording, in force since the last change that can have touched it "
                               "(№ 3-VI from 01.03.2021)")]
    late = Lifecycle("art_5__para_1", d3, d3, end=None, end_law=None, start_kind="inserted")
    assert edition_versions("art_5__para_1", "text", True, late, changes, {})[0].basis == \
        "today's wording; no later note touches it"
