"""The Streamlit dashboard. Reads only through ``model``; never imports ``ingest`` or lxml.

- ``app.py``        routes (``st.navigation``)
- ``app_pages/``    thin pages that describe the UI
- ``state.py``      the one module that owns Streamlit caching, the engine and query-string state
- ``shaping.py``    pure pandas shaping (no ``import streamlit``), testable without a browser
"""
