"""Every amendment event on a time axis, by amending law; pick a law to see its effects."""
from datetime import date

import altair as alt
import streamlit as st

from dashboard import state, text
from dashboard.shaping import KIND_ORDER, timeline_frame, timeline_points

key = state.version()
meta = state.meta(key)
events = state.events(key)
today = date.today()

st.title("Amendment timeline")
st.caption("Each mark is one unit × amending law, placed at its entry-into-force date. Dates marked "
           "*estimated* count from the law's signing date because its publication date is unknown.")
st.caption(text.edition_note(meta))

articles = [""] + sorted({a for a in events["article"] if a.startswith("art_")},
                         key=lambda a: [int(x) for x in a[4:].split("-")])
c1, c2 = st.columns([1, 2])
art_qp = state.qp_str("article")
article = c1.selectbox("Article", articles, index=articles.index(art_qp) if art_qp in articles else 0,
                       format_func=lambda a: "All articles" if not a else f"Article {a[4:]}")
kinds_qp = [k for k in state.qp_str("kinds").split(",") if k in KIND_ORDER]
kinds = c2.multiselect("Kinds of change", KIND_ORDER, default=kinds_qp or KIND_ORDER)
df = timeline_frame(events, today, article or None, kinds)

upcoming = df[df["upcoming"]]
if len(upcoming):
    st.info(f"{len(upcoming)} change(s) are upcoming (in force after today, {today:%d.%m.%Y}): "
            + ", ".join(sorted(set(upcoming["law"]))))

pick = alt.selection_point(fields=["law"], name="law_pick")
points = timeline_points(df)
chart = (alt.Chart(points).mark_point(filled=True)
         .encode(x=alt.X("effective:T", title="in force from"),
                 y=alt.Y("law:N", sort=alt.EncodingSortField("law_order"), title="amending law"),
                 yOffset=alt.YOffset("kind:N", scale=alt.Scale(domain=KIND_ORDER)),
                 size=alt.Size("units:Q", title="units", scale=alt.Scale(range=[40, 600])),
                 color=alt.Color("kind:N", scale=alt.Scale(domain=KIND_ORDER,
                                                           range=["#2e7d32", "#1565c0", "#6a1b9a", "#c62828"])),
                 shape=alt.Shape("upcoming:N", title="upcoming", scale=alt.Scale(domain=[False, True],
                                                                                   range=["circle", "triangle-up"])),
                 opacity=alt.condition(pick, alt.value(0.85), alt.value(0.2)),
                 tooltip=["law:N", alt.Tooltip("effective:T", title="in force"), "kind:N", "units:Q",
                          alt.Tooltip("effective_basis:N", title="basis"), alt.Tooltip("examples:N", title="units")])
         .add_params(pick).properties(height=max(320, 30 * df["law"].nunique())))
rule = alt.Chart({"values": [{"today": today.isoformat()}]}).mark_rule(strokeDash=[4, 4], color="gray").encode(x="today:T")
event = st.altair_chart(chart + rule, width="stretch", on_select="rerun", key="timeline_chart")

laws = [""] + list(df.sort_values("law_date")["law"].drop_duplicates())
picked = None
try:
    sel = event.selection.get("law_pick") if event else None
    if sel:
        picked = sel[0].get("law")
except (AttributeError, IndexError, TypeError):
    picked = None
law_qp = picked or state.qp_str("law")
law = st.selectbox("Effects of an amending law", laws, index=laws.index(law_qp) if law_qp in laws else 0,
                   format_func=lambda x: x or "— choose a law (or click a mark) —")
state.set_qp(article=article, kinds=",".join(kinds) if set(kinds) != set(KIND_ORDER) else "", law=law)
if law:
    eff = events[events["law"] == law]
    first = eff.iloc[0]
    title = f" — {text.esc(first['law_title'])}" if isinstance(first["law_title"], str) else ""
    st.markdown(f"**Law {law} of {first['law_date']}**{title}: "
                f"{len(eff)} unit(s) touched")
    st.dataframe(eff[["effective_date", "effective_basis", "label", "kind", "summary", "source_line"]]
                 .rename(columns={"effective_date": "in force from", "effective_basis": "basis", "label": "unit",
                                  "summary": "what", "source_line": "line"}), hide_index=True, width="stretch")
