"""Download the change log between two dates, with the CLI's filters and exporters."""
from datetime import date

import streamlit as st

from dashboard import state, text

key = state.version()
meta = state.meta(key)
events = state.events(key)

st.title("Export the change log")
st.caption("One row per unit × amending law: dates and their basis, the law, the unit, the source note, and the "
           "old and new wording where the sources hold them. Same exporters as `lawtrack changelog`.")
st.caption(text.edition_note(meta))
c1, c2 = st.columns(2)
d1 = c1.date_input("From (in force on or after)", value=state.qp_date("from", state.FIRST_DAY, state.FIRST_DAY,
                   meta["last_change"]), min_value=state.FIRST_DAY, max_value=meta["last_change"],
                   format="YYYY-MM-DD", key="exp_from")
d2 = c2.date_input("To (in force on or before)", value=state.qp_date("to", meta["last_change"], state.FIRST_DAY,
                   meta["last_change"]), min_value=state.FIRST_DAY, max_value=meta["last_change"],
                   format="YYYY-MM-DD", key="exp_to")
c3, c4, c5 = st.columns(3)
articles = [""] + sorted({a[4:] for a in events["article"] if a.startswith("art_")},
                         key=lambda a: [int(x) for x in a.split("-")])
laws = [""] + list(events.sort_values("law_date")["law_number"].drop_duplicates())
kinds = ["", "inserted", "amended", "new_wording", "excluded"]
a_qp, l_qp, k_qp = state.qp_str("article"), state.qp_str("law"), state.qp_str("kind")
article = c3.selectbox("Article", articles, index=articles.index(a_qp) if a_qp in articles else 0,
                       format_func=lambda a: f"Article {a}" if a else "All")
law = c4.selectbox("Amending law", laws, index=laws.index(l_qp) if l_qp in laws else 0,
                   format_func=lambda x: f"№ {x}" if x else "All")
kind = c5.selectbox("Kind", kinds, index=kinds.index(k_qp) if k_qp in kinds else 0, format_func=lambda k: k or "All")
state.set_qp(**{"from": d1, "to": d2}, article=article, law=law, kind=kind)
if d2 < d1:
    st.error("The first date is after the second.")
    st.stop()

args = (key, d1, d2, article or None, law or None, kind or None)
csv_bytes, n = state.export_bytes(args[0], "csv", *args[1:])
st.metric("Rows", n)
name = f"lawtrack_418-V_changes_{d1}_{d2}"
b1, b2, b3, b4 = st.columns(4)
b1.download_button("CSV", csv_bytes, file_name=f"{name}.csv", mime="text/csv", key="dl_csv")
b2.download_button("JSON", state.export_bytes(args[0], "json", *args[1:])[0], file_name=f"{name}.json",
                   mime="application/json", key="dl_json")
b3.download_button("Markdown", state.export_bytes(args[0], "md", *args[1:])[0], file_name=f"{name}.md",
                   mime="text/markdown", key="dl_md")
b4.download_button("Akoma Ntoso XML", state.export_bytes(args[0], "akn", *args[1:])[0], file_name=f"{name}.xml",
                   mime="application/xml", key="dl_akn")
view = events[(events["effective"] >= str(d1)) & (events["effective"] <= str(d2))]
if article:
    view = view[view["article"] == f"art_{article}"]
if law:
    view = view[view["law_number"] == law]
if kind:
    view = view[view["kind"] == kind]
st.dataframe(view[["effective_date", "effective_basis", "law", "label", "kind", "summary"]]
             .rename(columns={"effective_date": "in force from", "effective_basis": "basis", "label": "unit"}),
             hide_index=True, width="stretch")
