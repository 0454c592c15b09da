"""The law as in force on a date, unit by unit, with status and wording confidence."""
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import state, text
from dashboard.shaping import toc

key = state.version()
meta = state.meta(key)
last_day = max(meta["last_change"], date.today())  # up to today, or the last change announced if later
today = min(max(date.today(), state.FIRST_DAY), last_day)

both = len(meta["languages"]) > 1
st.title(f"Law № {text.esc(meta['number'])} «{text.esc(meta['title'])}» as of a date")
if both:
    official = f"{meta['official_edition']:%d.%m.%Y}" if meta["official_edition"] else "an unknown date"
    st.caption(f"Statuses follow the **official Russian text** (edition of {official}); the wording is shown in "
               f"{'Russian' if meta['language'] == 'rus' else 'the unofficial English translation'} (switch in the "
               "sidebar). Each unit shows whether it was in force, how far the wording shown can be trusted for that "
               "date, and whether the English translation agrees with the official text.")
elif meta["language"] == "rus":
    st.caption("Official Russian text. Each unit shows whether it was in force and how far the wording shown "
               "can be trusted for that date.")
else:
    st.caption("Unofficial English translation as published by the official portal. Each unit shows whether it "
               "was in force and how far the wording shown can be trusted for that date.")

with st.sidebar:
    on = st.date_input("Law as in force on", value=state.qp_date("date", today, state.FIRST_DAY, last_day),
                       min_value=state.FIRST_DAY, max_value=last_day, format="YYYY-MM-DD", key="asof_date")
    show_excluded = st.toggle("Show excluded units in full", value=state.qp_bool("excluded"))
    show_future = st.toggle("Show units not yet in force", value=state.qp_bool("future"))
    other = st.toggle("Show the other language beneath each unit", value=state.qp_bool("other"),
                      disabled=not both) and both
    query = st.text_input("Search the text", value=state.qp_str("q"))

df = state.law_as_of(key, on)
parts = [("", "Whole law", 0)] + toc(df)
labels = {eid: ("  " * depth) + title for eid, title, depth in parts}
part_qp = state.qp_str("part")
with st.sidebar:
    part = st.selectbox("Table of contents — jump to", options=[p[0] for p in parts],
                        index=[p[0] for p in parts].index(part_qp) if part_qp in labels else 0,
                        format_func=lambda e: labels[e])
state.set_qp(date=on, excluded=show_excluded, future=show_future, q=query, part=part, other=other)

counts = df["status"].value_counts()
c1, c2, c3, c4 = st.columns(4)
c1.metric("In force", int(counts.get("in_force", 0)))
c2.metric("Excluded", int(counts.get("excluded", 0)))
c3.metric("Uncertain", int(counts.get("uncertain", 0)))
c4.metric("Not yet inserted / in force", int(counts.get("not_yet_inserted", 0) + counts.get("not_yet_in_force", 0)))
if both:
    units = df[df["kind"] != "heading"]
    off = units[units["agreement"].isin(["differs", "official_only", "translation_only"])]
    notes = units[units["agreement"] == "notes_differ"]
    if len(off):
        st.error(f"**The English translation is not in step with the official text on {len(off)} unit(s)** on "
                 f"{on:%d.%m.%Y} (a different status, or a unit one text lacks), and its notes differ on "
                 f"{len(notes)} more. Statuses here follow the official text.", icon="⚖️")
    else:
        st.info(f"The English translation agrees with the official text on every unit's status on "
                f"{on:%d.%m.%Y}; its notes differ on {len(notes)} unit(s).", icon="⚖️")
    if len(off) or len(notes):
        with st.expander(f"Where the translation is not in step ({len(off) + len(notes)})"):
            st.markdown("\n".join(f"- **{text.esc(r['long_label'])}** {text.agreement(r)}: {text.esc(r['agreement_note'])}"
                                   for r in pd.concat([off, notes]).to_dict("records")))

later = int((df["confidence"] == "later_amended").sum())
uncertain = int(counts.get("uncertain", 0))
if on < meta["last_change"] and later:
    st.warning(f"**The wording shown may be later than {on:%d.%m.%Y}.** {later} unit(s) show today's wording "
               "although a later law may have changed them (badge *today's wording — later amended*); the earlier "
               "wording is not in this edition."
               + (f" {uncertain} unit(s) marked *uncertain* may or may not have existed on this date." if uncertain
                  else ""), icon="⚠️")
elif uncertain:
    st.warning(f"{uncertain} unit(s) marked *uncertain* may or may not have been in force on {on:%d.%m.%Y}: an "
               "estimated entry-into-force date falls within a month of it, or the law that inserted the unit is "
               "not named.", icon="⚠️")
if on < meta["commencement"]:
    st.info(f"The law enters into force on {meta['commencement']:%d.%m.%Y} (Article 67).")

view = df
if part:
    kind = df.loc[df["eid"] == part, "kind"].iloc[0]
    col = {"section": "section", "chapter": "chapter", "article": "article"}[kind]
    view = df[(df[col] == part) | (df["eid"] == part)]
hidden = {"not_yet_inserted", "not_yet_in_force"} if not show_future else set()
view = view[~view["status"].isin(hidden) & (view["kind"] != "heading")]
if query:
    hits = view["text"].fillna("").str.contains(query, case=False, regex=False)
    keep = set(view.loc[hits, "article"].dropna()) | set(view.loc[hits, "eid"])
    view = view[hits | view["eid"].isin(keep & set(view.loc[view["kind"] == "article", "eid"]))]
    st.caption(f"{int(hits.sum())} unit(s) contain “{query}”.")

heads = df.set_index("eid")["text"].to_dict()
block: list[str] = []


def flush():
    if block:
        st.markdown("  \n".join(block))
        block.clear()


for row in view.to_dict("records"):
    if row["kind"] in ("section", "chapter"):
        flush()
        title = heads.get(f"{row['eid']}__heading") or ""
        head = f"{row['long_label']}. {title}" if title else row["long_label"]
        (st.header if row["kind"] == "section" else st.subheader)(text.esc(head), anchor=row["eid"])
        if row["status"] != "in_force":
            st.caption(text.badges(row["status"], None, None) + " " + text.esc(row["basis"]))
        continue
    if row["kind"] == "article":
        flush()
        title = heads.get(f"{row['eid']}__heading") or ""
        st.markdown(f"#### {text.esc(row['long_label'])}. {text.esc(title)}")
        extra = text.agreement(row, meta["language"]) if both else ""
        block.append(text.badges(row["status"], row["confidence"], row["certainty"]) + (f" {extra}" if extra else "")
                     + "  :gray[" + text.esc(row["basis"]) + "]")
        continue
    if row["status"] == "excluded" and not show_excluded:
        block.append(text.excluded_markdown(row, meta["language"] if both else None))
    else:
        block.append(text.unit_markdown(row, meta["language"] if both else None, other))
flush()

st.divider()
st.subheader("History of a unit")
options = [""] + df.loc[df["kind"] != "heading", "eid"].tolist()
names = dict(zip(df["eid"], df["long_label"]))
unit_qp = state.qp_str("unit")
unit = st.selectbox("Unit", options, index=options.index(unit_qp) if unit_qp in options else 0,
                    format_func=lambda e: names.get(e, "— choose a unit —"), key="history_unit")
state.set_qp(unit=unit)
if unit:
    h = state.unit_history(key, unit)
    st.markdown(f"**{text.esc(h['label'])}** — existence: {text.esc(h['basis'])}")
    events = h["events"] + h["context"]
    if events:
        st.dataframe([{"in force from": e["effective_date"], "basis": e["effective_basis"],
                       "law": f"№ {e['law_number']}", "unit": e["label"], "change": e["summary"],
                       "note (line)": f"{e['source_line']}: {e['note']}"} for e in events],
                     hide_index=True, width="stretch")
    st.markdown("**Dated wordings**")
    for v in h["versions"]:
        span = f"{v['valid_from'] or '…'} – {v['valid_to'] or '…'}"
        st.markdown(f"- {text.esc(span)} · {text.esc(v['status'])} · {text.esc(v['confidence'])} · "
                    f"{text.esc(v['text']) if v['text'] else '_not in the sources_'}  \n  :gray[{text.esc(v['basis'])}]")
    for c in h["text_changes"]:
        import json
        st.markdown(f"**{text.esc(c['classification'])} change** between {c['older_date']} and "
                    f"{c['newer_date'] or 'the current edition'}: " + text.diff_markdown(json.loads(c["diff"])))
