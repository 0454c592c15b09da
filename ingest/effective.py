"""Entry into force of note events, whatever the language of the clauses.

``with_dates(raw, laws, warnings, rule_of)`` turns ``NoteEvent``s into ``Event``s with an effective
date and a basis. ``rule_of`` reads one clause into an ``entry_into_force.Rule``: ``parse_rule`` for the
English notes, ``entry_into_force_ru.parse_rule_ru`` for the Russian ones. Everything else — which of
a note's clauses counts, the fallback for "see Art. 2" referrals (the rule the same law's other clauses
state most often), the bases — is one logic for both languages.

It is the logic of ``parse._with_dates`` / ``parse._fallback_rules`` with the clause reader as a
parameter; ``tests/ingest/test_russian.py`` checks that both give the same events on the English text.
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Callable

from ingest.entry_into_force import Effective, Rule, effective_date
from ingest.errors import ParseWarning
from ingest.notes import NoteEvent
from ingest.parse import AmendingLaw, Event

RuleReader = Callable[[str], Rule]


def fallback_rules(raw: list[NoteEvent], laws: dict[str, AmendingLaw], rule_of: RuleReader) -> dict[str, Rule]:
    """Per law, the rule its clauses state most often (ties: the earliest date), for referrals."""
    counts: dict[str, Counter] = {}
    for e in raw:
        for c in e.clauses:
            r = rule_of(c)
            if r.kind in ("explicit", "period"):
                counts.setdefault(e.law_number, Counter())[r] += 1
    out = {}
    for number, counter in counts.items():
        law = laws[number]

        def key(r: Rule) -> tuple:
            eff = effective_date(r, law.date, law.publication_date).date or date.max
            return (-counter[r], eff)
        out[number] = min(counter, key=key)
    return out


def with_dates(raw: list[NoteEvent], laws: dict[str, AmendingLaw], warnings: list[ParseWarning],
               rule_of: RuleReader) -> list[Event]:
    """One ``Event`` per note event, with its effective date and basis (see the module docstring)."""
    fallback = fallback_rules(raw, laws, rule_of)
    events: list[Event] = []
    for e in raw:
        law = laws[e.law_number]
        rules = [rule_of(c) for c in e.clauses]
        for c, r in zip(e.clauses, rules):
            if r.kind == "unknown":
                warnings.append(ParseWarning(e.source_line, c, f"entry-into-force rule of Law № {e.law_number} "
                                             "not understood; date estimated as the law's own date"))
        if not e.clauses:
            rules = [Rule("unknown")]
        usable = [r for r in rules if r.kind in ("explicit", "period")]
        rule = usable[0] if usable else rules[0]
        if len(set(usable)) > 1:
            warnings.append(ParseWarning(e.source_line, " | ".join(e.clauses), f"Law № {e.law_number} has two "
                                         "different rules in one note; the first is used"))
        eff: Effective = effective_date(rule, law.date, law.publication_date, fallback.get(e.law_number))
        note = eff.note
        if usable and len(rules) > len(usable):
            note += "; the note also refers to another article for this law"
        events.append(Event(unit=e.unit, kind=e.kind, law_number=e.law_number, law_date=e.law_date,
                            effect_clause=" | ".join(e.clauses), effective_date=eff.date,
                            effective_basis=eff.basis, effective_note=note,
                            source_line=e.source_line, note_kind=e.note_kind))
    return events
