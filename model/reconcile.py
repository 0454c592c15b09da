"""Reconciliation: where the official Russian text and the English translation are not in step, and
where a language's editions changed without saying so.

Between languages (the newest edition of each, compared on one date):
- ``status_differs``            a unit in force in one text and excluded (or not yet in force) in the other;
- ``only_in_one_language``      a unit one text has and the other has not;
- ``law_named_in_one_language`` an amending law the notes of an article name in one language only;
- ``entry_into_force_differs``  same unit, same law, different effective date;
- ``verb_differs``              same unit, same law, different kind of change (amended / new wording …).
Across consecutive editions of one language:
- ``text_change_without_note``  a unit's wording changed, but no note new in the later edition touches it;
- ``note_without_text_change``  a note new in the later edition, but nothing it can touch changed wording.

The across-editions part lives in ``edition_changes``, what both share in ``findings``.
Every finding carries the unit, the sources, the dates and the evidence: the note lines (for the
Russian text with their file and line, ``rus/sec001.md:276: Сноска. …``) or the unit's wording.
A finding whose parent has the same finding is folded into it (``detail`` says how many units it covers).

All functions take ``*, session``; the date is an argument (default: the newest edition date compared).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from model import tables as t
from model.edition_changes import edition_changes
from model.findings import EditionData, Finding, fold, load_edition, parents, unit_order
from model.labels import article_of, short_label
from model.queries import NoData, get_law

KINDS = ("status_differs", "only_in_one_language", "law_named_in_one_language", "entry_into_force_differs",
         "verb_differs", "text_change_without_note", "note_without_text_change")
COLUMNS = ["kind", "unit", "label", "sources", "dates", "detail", "evidence"]
_STATUS = {"in_force": "in force", "excluded": "excluded", "not_yet_in_force": "not yet in force",
           "absent": "absent"}


@dataclass(frozen=True)
class Reconciliation:
    on: date | None
    editions: tuple[str, ...]        # every edition that took part, oldest first per language
    findings: tuple[Finding, ...]

    def count(self, kind: str) -> int:
        return sum(1 for f in self.findings if f.kind == kind)


def editions_by_language(*, session: Session, law_id: int) -> dict[str, list[t.Source]]:
    """Consolidated editions of a law per language, oldest first (undated editions count as newest)."""
    out: dict[str, list[t.Source]] = defaultdict(list)
    for s in session.exec(select(t.Source).where(t.Source.law_id == law_id, t.Source.kind == "consolidated")):
        out[s.language].append(s)
    for rows in out.values():
        rows.sort(key=lambda s: (s.edition_date or date.max, s.id))
    return dict(out)


def compare_languages(*, session: Session, law_id: int, official: t.Source, translation: t.Source,
                      on: date | None = None, folded: bool = True) -> list[Finding]:
    """Findings between two editions in different languages (see the module docstring).

    ``folded=False`` keeps one finding per unit (e.g. to label every unit's wording with whether the
    languages agree) instead of folding units into a parent with the same finding."""
    a, b = load_edition(session, official), load_edition(session, translation)
    above = parents(session, law_id)
    sources = (a.name, b.name)
    out: list[Finding] = []
    status: list[Finding] = []
    for eid in [e for e in a.versions if e in b.versions]:
        sa, sb = a.status_on(eid, on), b.status_on(eid, on)
        fa, fb = a.final(eid).status, b.final(eid).status
        if sa == sb and fa == fb:
            continue
        when = f"on {on:%d.%m.%Y}" if on else "finally"
        detail = f"{when}: {_STATUS[sa]} in {a.source.language}, {_STATUS[sb]} in {b.source.language}"
        if (fa, fb) != (sa, sb):
            detail += f"; finally {_STATUS[fa]} / {_STATUS[fb]}"
        evidence = tuple(_unit_evidence(a, eid, above)) + tuple(_unit_evidence(b, eid, above))
        status.append(Finding("status_differs", eid, short_label(eid), sources, (on,), detail, evidence))
    out += fold(status, above, key=lambda f: f.detail) if folded else status
    only: list[Finding] = []
    for x, y in ((a, b), (b, a)):
        for eid in x.versions:
            if eid not in y.versions:
                only.append(Finding("only_in_one_language", eid, short_label(eid), (x.name, y.name),
                                    (x.source.edition_date, y.source.edition_date),
                                    f"in the {x.source.language} text only", (x.wording(eid),)
                                    + tuple(_unit_evidence(x, eid, above, inline_only=True))))
    out += fold(only, above, key=lambda f: f.sources) if folded else only
    out += _laws_named(a, b, sources)
    out += _event_differences(a, b, sources)
    return out


def _unit_evidence(ed: EditionData, eid: str, above: dict[str, str | None], inline_only: bool = False) -> list[str]:
    """The notes on a unit (and on its ancestors, for an exclusion), else its wording."""
    chain, p = [eid], above.get(eid)
    while p is not None:
        chain.append(p)
        p = above.get(p)
    lines = [e.source_line for e in ed.events if e.eid == eid or (e.eid in chain and e.kind == "excluded")]
    lines = list(dict.fromkeys(lines))
    if lines:
        return [ed.cite(n) for n in lines]
    return [] if inline_only else [ed.wording(eid)]


def _scope(eid: str) -> str:
    """The unit whose notes are compared for a law: the article, else the unit itself (chapter, section)."""
    art = article_of(eid)
    return art if art and not eid.endswith("__heading") else eid


def _laws_named(a: EditionData, b: EditionData, sources: tuple[str, str]) -> list[Finding]:
    named: dict[str, dict[str, dict[str, list[int]]]] = {}  # language -> scope -> law -> lines
    for ed in (a, b):
        m: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for e in ed.events:
            m[_scope(e.eid)][e.law_number].append(e.source_line)
        named[ed.source.language] = m
    out = []
    la, lb = named[a.source.language], named[b.source.language]
    for scope in sorted(set(la) | set(lb), key=unit_order):
        for x, y, mx, my in ((a, b, la, lb), (b, a, lb, la)):
            for law, lines in mx.get(scope, {}).items():
                if law in my.get(scope, {}):
                    continue
                anywhere = any(law in laws for laws in my.values())
                detail = (f"Law № {law} is named in the {x.source.language} notes of {short_label(scope)}, "
                          f"not in the {y.source.language} ones"
                          + ("" if anywhere else f" (nor anywhere in the {y.source.language} text)"))
                law_date = next((e.law_date for e in x.events if e.law_number == law), None)
                out.append(Finding("law_named_in_one_language", scope, short_label(scope), (x.name, y.name),
                                   (law_date,), detail, tuple(x.cite(n) for n in dict.fromkeys(lines))))
    return out


def _event_differences(a: EditionData, b: EditionData, sources: tuple[str, str]) -> list[Finding]:
    def index(ed: EditionData) -> dict[tuple[str, str], t.Event]:
        out: dict[tuple[str, str], t.Event] = {}
        for e in ed.events:
            out.setdefault((e.eid, e.law_number), e)
        return out
    ia, ib = index(a), index(b)
    out = []
    for key in sorted(set(ia) & set(ib), key=lambda k: (unit_order(k[0]), k[1])):
        ea, eb = ia[key], ib[key]
        evidence = (a.cite(ea.source_line), b.cite(eb.source_line))
        if ea.effective_date != eb.effective_date:
            fmt = lambda e: f"{e.effective_date:%d.%m.%Y}" if e.effective_date else "unknown"  # noqa: E731
            out.append(Finding(
                "entry_into_force_differs", key[0], short_label(key[0]), sources,
                (ea.effective_date, eb.effective_date),
                f"Law № {key[1]}: in force from {fmt(ea)} ({ea.effective_basis}) in {a.source.language}, "
                f"from {fmt(eb)} ({eb.effective_basis}) in {b.source.language}: "
                f"“{ea.effect_clause}” / “{eb.effect_clause}”", evidence))
        if ea.kind != eb.kind:
            out.append(Finding("verb_differs", key[0], short_label(key[0]), sources,
                               (ea.effective_date, eb.effective_date),
                               f"Law № {key[1]}: {ea.kind} in {a.source.language}, {eb.kind} in {b.source.language}",
                               evidence))
    return out


def reconcile(*, session: Session, law_id: int | None = None, on: date | None = None,
              official: str = "rus", translation: str = "eng") -> Reconciliation:
    """All findings: the newest edition of each language compared on ``on`` (default: the newest
    edition date), and every pair of consecutive editions within each language."""
    law = get_law(session=session) if law_id is None else session.get(t.Law, law_id)
    if law is None:
        raise NoData(f"no law with id {law_id} in the database")
    by_lang = editions_by_language(session=session, law_id=law.id)
    findings: list[Finding] = []
    names = []
    for lang, rows in sorted(by_lang.items()):
        for s in rows:
            names.append(f"{lang} {s.edition_date:%d.%m.%Y}" if s.edition_date else f"{lang} undated")
    if official in by_lang and translation in by_lang:
        a, b = by_lang[official][-1], by_lang[translation][-1]
        if on is None:
            known = [d for d in (a.edition_date, b.edition_date) if d]
            on = max(known) if known else None
        findings += compare_languages(session=session, law_id=law.id, official=a, translation=b, on=on)
    for rows in by_lang.values():
        for older, newer in zip(rows, rows[1:]):
            findings += edition_changes(session=session, law_id=law.id, older=older, newer=newer)
    order = {k: i for i, k in enumerate(KINDS)}
    findings.sort(key=lambda f: (order[f.kind], unit_order(f.unit)))
    return Reconciliation(on, tuple(names), tuple(findings))


def finding_row(f: Finding) -> dict:
    """A finding as the CLI's CSV/JSON columns."""
    return {"kind": f.kind, "unit": f.unit, "label": f.label, "sources": " / ".join(f.sources),
            "dates": " / ".join(d.isoformat() if d else "" for d in f.dates), "detail": f.detail,
            "evidence": " | ".join(f.evidence)}
