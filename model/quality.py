"""Data quality: where the notes disagree with each other, and which dates are weakest.

- ``conflicts``: an inline exclusion whose law is missing from its article's footnote; the same law
  given different entry-into-force rules (so different dates) in different notes;
- ``weak_dates``: events whose date is only estimated or referred to another article.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session

from model.labels import article_of
from model.pointintime import law_index


@dataclass(frozen=True)
class Conflict:
    kind: str        # missing_from_footnote | different_rules
    unit_id: str | None
    label: str
    law_number: str
    description: str
    lines: tuple[int, ...]


def conflicts(*, session: Session, law_id: int | None = None, language: str | None = None) -> list[Conflict]:
    """Disagreements between the notes of one edition (default: the official text), with the lines that show it."""
    idx = law_index(session=session, law_id=law_id, language=language)
    footnote_laws: dict[str, set[str]] = defaultdict(set)
    for e in idx.events:
        if e.note_kind == "footnote":
            footnote_laws[e.eid].add(e.law_number)
    out: list[Conflict] = []
    for e in idx.events:
        if e.note_kind != "inline":
            continue
        art = article_of(e.eid)
        if art and e.law_number not in footnote_laws.get(art, set()):
            foot = [x.source_line for x in idx.events if x.eid == art and x.note_kind == "footnote"][:1]
            out.append(Conflict("missing_from_footnote", e.eid, idx.labels[e.eid][0], e.law_number,
                                f"{idx.labels[e.eid][0]} is excluded by Law № {e.law_number}, but the footnote of "
                                f"{idx.labels[art][0]} does not list that law"
                                + ("" if foot else " (the article has no footnote)"),
                                (e.source_line, *foot)))
    by_law: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    for e in idx.events:
        if e.effective_basis != "referral" and e.effective_date:
            by_law[e.law_number][e.effective_date].append(e)
    for law, rules in by_law.items():
        if len(rules) > 1:
            parts = [f"from {d:%d.%m.%Y} in {len(evs)} note(s), e.g. line {evs[0].source_line}: "
                     f"\"{evs[0].effect_clause.split(' | ')[0]}\"" for d, evs in sorted(rules.items())]
            out.append(Conflict("different_rules", None, f"Law № {law}", law,
                                f"Law № {law} enters into force on different dates in different notes: "
                                + "; ".join(parts), tuple(evs[0].source_line for _, evs in sorted(rules.items()))))
    return out


def weak_dates(*, session: Session, law_id: int | None = None, language: str | None = None) -> list:
    """Events whose effective date is estimated or comes from a referral, in text order."""
    idx = law_index(session=session, law_id=law_id, language=language)
    return [e for e in idx.events if e.effective_basis in ("estimated", "referral")]
