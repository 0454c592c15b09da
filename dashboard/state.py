"""Streamlit caching, the engine and query-string state — the only module that caches."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` puts only dashboard/ on the path
    sys.path.insert(0, str(ROOT))

from model.engine import database_url, make_engine  # noqa: E402
from sqlmodel import Session  # noqa: E402


@st.cache_resource
def engine(url: str):
    return make_engine(url)


def db_url() -> str:
    return database_url(os.environ.get("LAWTRACK_DB"))


@st.cache_data
def _events(url: str) -> pd.DataFrame:
    from dashboard.shaping import events_frame
    from model.queries import get_law, list_events
    with Session(engine(url)) as s:
        law = get_law(session=s)
        return events_frame(list_events(session=s, law_id=law.id))


def load_events() -> pd.DataFrame:
    return _events(db_url())
