"""How far the data can be trusted: parse warnings, weak dates, conflicting notes, witnesses."""
import streamlit as st

from dashboard import state

key = state.version()
q = state.quality(key)

st.title("Data quality")
st.caption("What the parser repaired or could not read, which dates are estimated, where the notes disagree, "
           "and which quotations of earlier wordings were accepted.")
t1, t2, t3, t4, t5 = st.tabs([f"Parse warnings ({len(q['warnings'])})",
                              f"Estimated and referred dates ({len(q['weak'])})",
                              f"Conflicts between notes ({len(q['conflicts'])})", f"Witnesses ({len(q['witnesses'])})",
                              f"Official text vs translation ({len(q['reconcile'])})"])
with t1:
    st.dataframe(q["warnings"], hide_index=True, width="stretch")
with t2:
    st.markdown("*estimated*: counted from the law's signing date (publication date unknown — add it to "
                "`fixtures/amending_laws.csv`); *referral*: the note says \"see Art. 2\" of the amending law.")
    st.dataframe(q["weak"], hide_index=True, width="stretch")
with t3:
    st.markdown("The same law with different entry-into-force dates may be a staged entry into force or a slip "
                "in the translation; an inline exclusion whose law is missing from its article's footnote means "
                "one of the notes is incomplete.")
    st.dataframe(q["conflicts"], hide_index=True, width="stretch")
with t4:
    st.dataframe(q["witnesses"], hide_index=True, width="stretch")
with t5:
    st.markdown("Where the unofficial English translation is not in step with the official Russian text (statuses on "
                "the newest edition date, units one text lacks, laws named in one text's notes only, different "
                "entry-into-force rules), and where a language's consecutive editions changed a wording without a "
                "note (or the other way round). The same as `lawtrack reconcile`.")
    if q["reconcile"].empty:
        st.info("Nothing to reconcile: only one language and one edition are ingested.")
    else:
        st.dataframe(q["reconcile"], hide_index=True, width="stretch")
