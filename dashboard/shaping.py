"""Pure pandas shaping for the pages (no Streamlit here)."""
from __future__ import annotations

import pandas as pd

from model.labels import short_label


def events_frame(events) -> pd.DataFrame:
    """Events as a table with readable labels."""
    return pd.DataFrame([{
        "unit": short_label(e.eid), "kind": e.kind, "law": f"№ {e.law_number}",
        "law date": e.law_date, "in force from": e.effective_date, "basis": e.effective_basis,
        "entry-into-force clause": e.effect_clause, "line": e.source_line} for e in events])
