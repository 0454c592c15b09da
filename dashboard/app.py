"""Entry point: routes only."""
import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

st.set_page_config(page_title="lawtrack — Law 418-V On Informatization", page_icon=":material/gavel:", layout="wide")
PAGES = Path(__file__).resolve().parent / "app_pages"
from dashboard import state  # noqa: E402  (after the path is set)

pages = st.navigation([
    st.Page(PAGES / "law_as_of.py", title="Law as of", icon=":material/menu_book:", default=True),
    st.Page(PAGES / "timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page(PAGES / "churn.py", title="Churn", icon=":material/bar_chart:", url_path="churn"),
    st.Page(PAGES / "compare.py", title="Compare dates", icon=":material/compare_arrows:", url_path="compare"),
    st.Page(PAGES / "export.py", title="Export", icon=":material/download:", url_path="export"),
    st.Page(PAGES / "quality.py", title="Data quality", icon=":material/fact_check:", url_path="quality"),
])
state.language_picker()  # the language shown, on every page
pages.run()
