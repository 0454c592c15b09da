"""Pure pandas shaping for the pages (no Streamlit here, so it is testable without a browser)."""
from __future__ import annotations

from dataclasses import asdict
from datetime import date

import pandas as pd

from model.labels import article_of, long_label

KIND_ORDER = ["inserted", "amended", "new_wording", "excluded"]
STATUS_LABEL = {"in_force": "in force", "excluded": "excluded", "not_yet_inserted": "not yet inserted",
                "not_yet_in_force": "not yet in force", "uncertain": "uncertain"}


def states_frame(states) -> pd.DataFrame:
    """``as_of`` states, one row per unit, with the article each belongs to."""
    rows = []
    article = chapter = section = None
    for s in states:
        if s.kind == "section":
            section = s.eid
        elif s.kind == "chapter":
            chapter = s.eid
        elif s.kind == "article":
            article = s.eid
        d = asdict(s)
        d["laws"] = ", ".join(s.laws)
        d["article"] = article_of(s.eid) or (article if s.kind not in ("section", "chapter") else None)
        d["chapter"] = chapter if s.kind != "section" else None
        d["section"] = section
        rows.append(d)
    return pd.DataFrame(rows)


def toc(frame: pd.DataFrame) -> list[tuple[str, str, int]]:
    """(eid, title, depth) of sections, chapters and articles for a table of contents."""
    heads = frame.set_index("eid")["text"].to_dict()
    out = []
    for r in frame[frame["kind"].isin(["section", "chapter", "article"])].itertuples():
        title = heads.get(f"{r.eid}__heading") or ""
        name = long_label(r.eid)
        out.append((r.eid, f"{name}. {title}" if title else name, {"section": 0, "chapter": 1, "article": 2}[r.kind]))
    return out


def changes_frame(rows) -> pd.DataFrame:
    """Change-log rows as a frame, with article, year and an 'upcoming' flag left to the page."""
    df = pd.DataFrame([{**{k: v for k, v in asdict(r).items() if k != "diff"}} for r in rows])
    if df.empty:
        return df
    df["article"] = [article_of(u) or u for u in df["unit_id"]]
    df["effective"] = pd.to_datetime(df["effective_date"])
    df["year"] = df["effective"].dt.year
    df["law"] = "№ " + df["law_number"]
    return df


def timeline_frame(events: pd.DataFrame, today: date, article: str | None = None,
                   kinds: list[str] | None = None) -> pd.DataFrame:
    df = events.dropna(subset=["effective"]).copy()
    if article:
        df = df[df["article"] == article]
    if kinds:
        df = df[df["kind"].isin(kinds)]
    df["upcoming"] = df["effective"] > pd.Timestamp(today)
    order = (df.groupby("law")["law_date"].min().sort_values().index.tolist())
    df["law_order"] = df["law"].map({law: i for i, law in enumerate(order)})
    return df


def churn_by_law(events: pd.DataFrame) -> pd.DataFrame:
    """Distinct units touched per amending law and kind, laws ordered by date."""
    g = events.groupby(["law", "law_date", "kind"])["unit_id"].nunique().reset_index(name="units")
    return g.sort_values(["law_date", "law"])


def most_amended_articles(events: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    arts = events[events["article"].str.startswith("art_")]
    g = arts.groupby("article").agg(events=("event_id", "count"), laws=("law_number", "nunique")).reset_index()
    g["label"] = [long_label(a) for a in g["article"]]
    return g.sort_values(["laws", "events"], ascending=False).head(n)


def changes_per_year(events: pd.DataFrame) -> pd.DataFrame:
    return events.dropna(subset=["year"]).groupby(["year", "kind"]).size().reset_index(name="changes")


def article_year_heatmap(events: pd.DataFrame) -> pd.DataFrame:
    arts = events[events["article"].str.startswith("art_")].dropna(subset=["year"])
    g = arts.groupby(["article", "year"]).size().reset_index(name="changes")
    g["label"] = [long_label(a) for a in g["article"]]
    g["order"] = [float(a[4:].split("-")[0]) + (0.01 * int(a.split("-")[1]) if "-" in a[4:] else 0) for a in g["article"]]
    return g


def history_dict(h) -> dict:
    return {"label": h.long_label, "basis": h.basis,
            "events": [asdict(r) for r in h.events], "context": [asdict(r) for r in h.context_events],
            "versions": [{"valid_from": v.valid_from, "valid_to": v.valid_to, "status": v.status,
                          "confidence": v.confidence, "text": v.text, "basis": v.basis, "language": v.language}
                         for v in h.versions],
            "text_changes": [{"older_date": c.older_date, "newer_date": c.newer_date,
                              "classification": c.classification, "diff": c.diff} for c in h.text_changes]}


def comparison_dict(cmp) -> dict:
    return {"changes": [asdict(r) for r in cmp.changes],
            "status": [{"unit_id": s.unit_id, "label": s.label, "before": STATUS_LABEL[s.before.status],
                        "after": STATUS_LABEL[s.after.status]} for s in cmp.status_changes],
            "undated": [asdict(r) for r in cmp.undated],
            "wording": [asdict(w) for w in cmp.wording_changes]}


def warnings_frame(rows) -> pd.DataFrame:
    return pd.DataFrame([{"line": w.line, "severity": w.severity, "reason": w.reason, "text": w.text}
                         for w in rows], columns=["line", "severity", "reason", "text"])


def conflicts_frame(rows) -> pd.DataFrame:
    return pd.DataFrame([{"kind": c.kind.replace("_", " "), "where": c.label, "law": f"№ {c.law_number}",
                          "what the notes say": c.description, "lines": ", ".join(map(str, c.lines))}
                         for c in rows], columns=["kind", "where", "law", "what the notes say", "lines"])


def weak_frame(events) -> pd.DataFrame:
    return pd.DataFrame([{"unit": long_label(e.eid), "law": f"№ {e.law_number}", "basis": e.effective_basis,
                          "date used": e.effective_date, "how": e.effective_note, "clause": e.effect_clause,
                          "line": e.source_line} for e in events],
                        columns=["unit", "law", "basis", "date used", "how", "clause", "line"])


def witness_frame(rows) -> pd.DataFrame:
    return pd.DataFrame([{"status": w.status, "unit": long_label(w.eid) if w.eid else "—",
                          "quoted number": w.quoted_number, "similarity": w.similarity, "reason": w.reason,
                          "quotation": w.quoted_text, "known on": w.known_on} for w in rows],
                        columns=["status", "unit", "quoted number", "similarity", "reason", "quotation", "known on"])


def timeline_points(df: pd.DataFrame) -> pd.DataFrame:
    """One mark per (law, date, kind): how many units, and a few of them for the tooltip."""
    if df.empty:
        return df.assign(units=[], examples=[])
    g = (df.groupby(["law", "law_order", "effective", "kind", "upcoming", "effective_basis"])
         .agg(units=("unit_id", "count"), examples=("label", lambda s: "; ".join(list(s)[:4]) + (" …" if len(s) > 4 else "")))
         .reset_index())
    return g


FINDING_KINDS = {"status_differs": "status differs", "only_in_one_language": "in one language only",
                 "law_named_in_one_language": "law named in one language only",
                 "entry_into_force_differs": "entry into force differs", "verb_differs": "kind of change differs",
                 "text_change_without_note": "text changed without a note",
                 "note_without_text_change": "note without a text change"}


def findings_frame(findings) -> pd.DataFrame:
    """Reconciliation findings (``model.reconcile``) as a table: what, where, which editions, evidence."""
    return pd.DataFrame([{"finding": FINDING_KINDS.get(f.kind, f.kind), "unit": f.label, "editions": " / ".join(f.sources),
                          "what": f.detail, "evidence": "\n".join(f.evidence)} for f in findings],
                        columns=["finding", "unit", "editions", "what", "evidence"])
