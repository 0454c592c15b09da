"""Every amendment event with its entry-into-force date and basis."""
import streamlit as st

from dashboard.state import load_events

st.title("Amendment events")
df = load_events()
st.caption(f"{len(df)} events from the consolidated English text (unofficial translation).")
st.dataframe(df, hide_index=True, width="stretch")
