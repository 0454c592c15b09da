"""Everything that changed between two dates, with word diffs where both wordings are known."""
from datetime import date

import streamlit as st

from dashboard import state, text

key = state.version()
meta = state.meta(key)
last = meta["last_change"]

st.title("Compare two dates")
st.caption("Changes that entered into force after the first date, up to and including the second.")
st.caption(text.edition_note(meta))
c1, c2 = st.columns(2)
d1 = c1.date_input("From", value=state.qp_date("from", date(2019, 1, 1), state.FIRST_DAY, last),
                   min_value=state.FIRST_DAY, max_value=last, format="YYYY-MM-DD", key="cmp_from")
d2 = c2.date_input("To", value=state.qp_date("to", last, state.FIRST_DAY, last),
                   min_value=state.FIRST_DAY, max_value=last, format="YYYY-MM-DD", key="cmp_to")
state.set_qp(**{"from": d1, "to": d2})
if d2 < d1:
    st.error("The first date is after the second: swap them.")
    st.stop()

cmp = state.comparison(key, d1, d2)
changes = cmp["changes"]
st.metric("Changes", len(changes))
if cmp["wording"]:
    st.subheader("Wording known on both dates")
    st.caption("From dated witnesses (quotations, other editions): word diffs, insertions in green, deletions struck.")
    for w in cmp["wording"]:
        st.markdown(f"**{text.esc(w['label'])}** · {text.esc(w['classification'])} · "
                    f":gray[{text.esc(w['old_source'])} → {text.esc(w['new_source'])}]  \n" + text.diff_markdown(w["diff"]))

st.subheader("Changes recorded in the notes")
ALL = ["inserted", "amended", "new_wording", "excluded"]
kinds_qp = [k for k in state.qp_str("kinds").split(",") if k in ALL]
only = st.multiselect("Kinds", ALL, default=kinds_qp or ALL)
state.set_qp(kinds=",".join(only) if set(only) != set(ALL) else "")
lines = []
for r in changes:
    if r["kind"] not in only:
        continue
    line = f"**{text.esc(r['label'])}** · {r['effective_date'] or '?'} · {text.esc(r['summary'])}"
    if r["diff"]:
        line += "  \n" + text.diff_markdown(r["diff"])
    elif r["new_wording"]:
        line += "  \n:gray[now:] " + text.esc(r["new_wording"])
    lines.append(line)
if lines:
    st.markdown("\n\n".join(lines))
else:
    st.info("No change recorded in the notes took effect in this period.")

if cmp["status"]:
    st.subheader("Units whose status differs")
    st.dataframe(cmp["status"], hide_index=True, width="stretch",
                 column_config={"unit_id": None})
if cmp["undated"]:
    st.caption(f"{len(cmp['undated'])} change(s) have no date and cannot be placed.")
