"""Entry point: routes only."""
import streamlit as st

st.set_page_config(page_title="lawtrack — Law 418-V On Informatization", layout="wide")
pages = [
    st.Page("app_pages/events.py", title="Amendment events", icon="📜", default=True),
]
st.navigation(pages).run()
