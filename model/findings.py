"""What the reconciliation queries share: a ``Finding``, one edition's data loaded once, and helpers.

- ``Finding``         one disagreement: unit, sources, dates, a sentence, the evidence lines;
- ``EditionData``     an edition's unit versions, events and notes (``load_edition``), with its status
                      on a date, its wording of a unit and its note lines as evidence (``cite``);
- ``fold``            findings inside a unit that has the same finding are counted on that unit;
- ``unit_order``, ``diff_text``, ``parents``.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from model import tables as t
from model.labels import short_label
from model.textdiff import word_diff

_LOCATED = re.compile(r"^\S+\.md:\d+: ")


@dataclass(frozen=True)
class Finding:
    """One disagreement, with what shows it."""

    kind: str
    unit: str                        # the unit id (for law findings: the article, chapter or section)
    label: str
    sources: tuple[str, ...]         # the editions compared, e.g. ("rus 18.01.2026", "eng undated")
    dates: tuple[date | None, ...]   # the dates the finding is about (edition dates or effective dates)
    detail: str
    evidence: tuple[str, ...]


@dataclass
class EditionData:
    """One edition's unit versions (by unit, oldest first), events and notes (by line)."""

    source: t.Source
    versions: dict[str, list[t.UnitVersion]] = field(default_factory=dict)
    events: list[t.Event] = field(default_factory=list)
    notes: dict[int, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        when = f"{self.source.edition_date:%d.%m.%Y}" if self.source.edition_date else "undated"
        return f"{self.source.language} {when}"

    def final(self, eid: str) -> t.UnitVersion | None:
        """The open-ended version: what the edition says the unit is now."""
        vs = self.versions.get(eid, [])
        return next((v for v in vs if v.valid_to is None), vs[-1] if vs else None)

    def status_on(self, eid: str, on: date | None) -> str:
        """in_force | excluded on ``on`` (final status without a date); not_yet_in_force; absent."""
        vs = self.versions.get(eid)
        if not vs:
            return "absent"
        if on is None:
            return self.final(eid).status
        for v in vs:
            if (v.valid_from is None or v.valid_from <= on) and (v.valid_to is None or on < v.valid_to):
                return v.status
        return "not_yet_in_force"

    def cite(self, line: int) -> str:
        """The note on ``line`` as evidence: ``[rus] rus/sec001.md:276: Сноска. …`` / ``[eng] line 897: …``."""
        text = self.notes.get(line, "")
        where = "" if _LOCATED.match(text) else f"line {line}: "
        return f"[{self.source.language}] {where}{text}"

    def wording(self, eid: str) -> str:
        """The unit's wording in this edition as evidence."""
        v = self.final(eid)
        text = (v.text or "(wording not in the source)") if v else "(absent)"
        return f"[{self.source.language}] {short_label(eid)}: {' '.join(text.split())}"


def load_edition(session: Session, source: t.Source) -> EditionData:
    """Read one edition's versions, events and notes (three queries)."""
    ed = EditionData(source)
    for v in session.exec(select(t.UnitVersion).where(t.UnitVersion.law_id == source.law_id,
                                                      t.UnitVersion.source_id == source.id)):
        ed.versions.setdefault(v.eid, []).append(v)
    for vs in ed.versions.values():
        vs.sort(key=lambda v: (v.valid_from or date.min, v.id))
    ed.events = list(session.exec(select(t.Event).where(t.Event.law_id == source.law_id,
                                                        t.Event.source_id == source.id).order_by(t.Event.id)))
    ed.notes = {n.line: n.text for n in session.exec(select(t.Note).where(t.Note.law_id == source.law_id,
                                                                          t.Note.source_id == source.id))}
    return ed


def parents(session: Session, law_id: int) -> dict[str, str | None]:
    """Unit id -> its parent's id, for every unit of the law (both languages share the ids)."""
    return {u.eid: u.parent_eid for u in session.exec(select(t.Unit).where(t.Unit.law_id == law_id))}


def fold(findings: list[Finding], above: dict[str, str | None], key) -> list[Finding]:
    """Drop findings whose ancestor has a finding with the same key; count them on the ancestor."""
    keyed = {(f.unit, key(f)) for f in findings}
    folded: dict[tuple[str, object], int] = defaultdict(int)
    kept = []
    for f in findings:
        p = above.get(f.unit)
        top = None
        while p is not None:
            if (p, key(f)) in keyed:
                top = p
            p = above.get(p)
        if top is None:
            kept.append(f)
        else:
            folded[(top, key(f))] += 1
    out = []
    for f in kept:
        n = folded.get((f.unit, key(f)), 0)
        out.append(f if not n else Finding(f.kind, f.unit, f.label, f.sources, f.dates,
                                           f"{f.detail} (and {n} unit(s) inside it)", f.evidence))
    return out


def diff_text(old: str, new: str, context: int = 4) -> str:
    """A word diff with a few words of context: ``… периферийное [-оборудование] [+обрудование] …``."""
    ops = word_diff(old, new)
    out = []
    for i, (op, text) in enumerate(ops):
        if op != "=":
            out.append(f"[{op}{text}]")
            continue
        words = text.split()
        before, after = i > 0, i < len(ops) - 1  # a change before / after this unchanged stretch
        if before and after and len(words) > 2 * context:
            words = words[:context] + ["…"] + words[-context:]
        elif after and not before and len(words) > context:
            words = ["…"] + words[-context:]
        elif before and not after and len(words) > context:
            words = words[:context] + ["…"]
        out.append(" ".join(words))
    return " ".join(out)


def unit_order(eid: str) -> tuple:
    """Document-like order of unit ids: numbers compared as numbers."""
    return tuple(tuple(int(n) if n.isdigit() else n for n in re.split(r"[_-]", piece)) for piece in eid.split("__"))


