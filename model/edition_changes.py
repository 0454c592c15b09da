"""Changes between consecutive editions of one language that the notes do not account for.

- ``text_change_without_note``  a unit's wording changed, but no note new in the later edition touches it;
- ``note_without_text_change``  a note new in the later edition, but nothing it can touch changed wording
  (said so when the law only enters into force after the later edition's date).
"""
from __future__ import annotations

from sqlmodel import Session

from model import tables as t
from model.findings import EditionData, Finding, diff_text, fold, load_edition, parents, unit_order
from model.labels import short_label
from model.textdiff import classify


def edition_changes(*, session: Session, law_id: int, older: t.Source, newer: t.Source) -> list[Finding]:
    """Text changes with no new note, and new notes with no text change, between two editions of one language."""
    a, b = load_edition(session, older), load_edition(session, newer)
    above = parents(session, law_id)
    sources = (a.name, b.name)
    dates = (older.edition_date, newer.edition_date)
    old_keys = {(e.eid, e.law_number, e.kind) for e in a.events}
    new_events = [e for e in b.events if (e.eid, e.law_number, e.kind) not in old_keys]

    def text(ed: EditionData, eid: str) -> str | None:
        v = ed.final(eid)
        return v.text if v else None

    changed = {eid for eid in set(a.versions) | set(b.versions) if text(a, eid) != text(b, eid)}
    chain = {}
    for eid in set(a.versions) | set(b.versions):
        c, p = [eid], above.get(eid)
        while p is not None:
            c.append(p)
            p = above.get(p)
        chain[eid] = c

    def touches(e: t.Event, eid: str) -> bool:
        """A note can change a unit's wording when it is on the unit, on a unit inside it, or on a unit
        above it up to its article (an article's footnote does not say which part it amended); a note on
        a chapter or section only by excluding it; a heading note only the heading and its line."""
        if e.eid == eid or eid in chain.get(e.eid, [])[1:]:
            return True
        if e.eid.endswith("__heading"):
            return eid == e.eid[:-len("__heading")]
        if e.eid in chain.get(eid, [])[1:]:
            return e.kind == "excluded" or not e.eid.startswith(("chp_", "sec_"))
        return False

    out: list[Finding] = []
    silent = []
    for eid in sorted(changed, key=unit_order):
        if any(touches(e, eid) for e in new_events):
            continue
        ta, tb = text(a, eid), text(b, eid)
        kind = classify(ta, tb) if ta and tb else ("added" if tb else "removed")
        diff = f"[{b.source.language}] {short_label(eid)}: {diff_text(ta or '', tb or '')}"
        silent.append(Finding("text_change_without_note", eid, short_label(eid), sources, dates,
                              f"the wording changed ({kind}) and no note new in the later edition touches it",
                              (diff, a.wording(eid), b.wording(eid))))
    out += fold(silent, above, key=lambda f: f.kind)
    for e in new_events:
        if any(touches(e, eid) for eid in changed):
            continue
        due = e.effective_date is not None and newer.edition_date is not None and e.effective_date > newer.edition_date
        out.append(Finding("note_without_text_change", e.eid, short_label(e.eid), sources,
                           (e.effective_date,),
                           f"Law № {e.law_number} ({e.kind}) is new in the notes of the later edition, but no "
                           "wording it can touch changed"
                           + (f"; it enters into force only on {e.effective_date:%d.%m.%Y}" if due else ""),
                           (b.cite(e.source_line),)))
    return out
