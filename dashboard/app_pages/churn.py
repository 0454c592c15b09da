"""Which laws churned the law most, which articles changed most, and when."""
import altair as alt
import streamlit as st

from dashboard import state, text
from dashboard.shaping import KIND_ORDER, article_year_heatmap, changes_per_year, churn_by_law, most_amended_articles

key = state.version()
meta = state.meta(key)
events = state.events(key)
colors = alt.Scale(domain=KIND_ORDER, range=["#2e7d32", "#1565c0", "#6a1b9a", "#c62828"])

st.title("Churn")
st.caption("Counts are units touched (distinct unit × law) as recorded in the notes of the consolidated text. "
           "An article-level note (\"Article 7 as amended by …\") counts once for the article.")
st.caption(text.edition_note(meta))

st.subheader("Units touched per amending law")
by_law = churn_by_law(events)
st.altair_chart(alt.Chart(by_law).mark_bar().encode(
    x=alt.X("law:N", sort=list(by_law.drop_duplicates("law")["law"]), title="amending law (by date)"),
    y=alt.Y("units:Q", title="units touched"), color=alt.Color("kind:N", scale=colors),
    tooltip=["law:N", "law_date:T", "kind:N", "units:Q"]).properties(height=320), width="stretch")

left, right = st.columns(2)
with left:
    st.subheader("Most-amended articles")
    top = most_amended_articles(events)
    st.altair_chart(alt.Chart(top).mark_bar().encode(
        y=alt.Y("label:N", sort="-x", title=None), x=alt.X("laws:Q", title="amending laws"),
        tooltip=["label:N", "laws:Q", "events:Q"]).properties(height=380), width="stretch")
with right:
    st.subheader("Changes per year")
    per_year = changes_per_year(events)
    st.altair_chart(alt.Chart(per_year).mark_bar().encode(
        x=alt.X("year:O", title="year in force"), y=alt.Y("changes:Q"), color=alt.Color("kind:N", scale=colors),
        tooltip=["year:O", "kind:N", "changes:Q"]).properties(height=380), width="stretch")

st.subheader("Article × year")
heat = article_year_heatmap(events)
st.altair_chart(alt.Chart(heat).mark_rect().encode(
    x=alt.X("year:O", title="year in force"),
    y=alt.Y("label:N", sort=alt.EncodingSortField("order"), title=None),
    color=alt.Color("changes:Q", scale=alt.Scale(scheme="orangered")),
    tooltip=["label:N", "year:O", "changes:Q"]).properties(height=max(400, 12 * heat["label"].nunique())),
    width="stretch")
