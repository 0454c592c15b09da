"""Streamlit caching, the engine and query-string state — the only module that caches.

Every cached loader is keyed by the database URL and the law's content version, so an ingest that
changes the data invalidates the cache and nothing else does.
"""
from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` puts only dashboard/ on the path
    sys.path.insert(0, str(ROOT))

from sqlmodel import Session  # noqa: E402

from dashboard import shaping  # noqa: E402
from model.engine import database_url, make_engine  # noqa: E402
from model.queries import get_law  # noqa: E402

FIRST_DAY = date(2016, 1, 1)


@st.cache_resource
def engine(url: str):
    return make_engine(url)


def db_url() -> str:
    return database_url(os.environ.get("LAWTRACK_DB"))


def session() -> Session:
    return Session(engine(db_url()))


def version() -> tuple[str, int, str | None]:
    """(url, content version, language shown): the cache key of everything derived from the database.

    The language is the one picked in the sidebar (``language_picker``), None when only one is ingested.
    """
    url = db_url()
    with Session(engine(url)) as s:
        law = get_law(session=s)
        langs = languages(url, law.content_version)
    lang = st.session_state.get("lang") or qp_str("lang")
    if len(langs) < 2:
        lang = None
    elif lang not in langs:
        lang = langs[0]  # the official text
    return url, law.content_version, lang


LANGUAGE_LABELS = {"rus": "Russian — the official text", "eng": "English — unofficial translation"}


@st.cache_data(show_spinner=False)
def languages(url: str, content_version: int) -> list[str]:
    """The languages of the law's editions, the official one first."""
    from model.queries import languages as edition_languages
    with Session(engine(url)) as s:
        return edition_languages(session=s, law_id=get_law(session=s).id)


def language_picker() -> None:
    """The sidebar switch of the language shown (only when the law is ingested in several)."""
    url = db_url()
    with Session(engine(url)) as s:
        law = get_law(session=s)
        langs = languages(url, law.content_version)
    if len(langs) < 2:
        return
    wanted = qp_str("lang")
    with st.sidebar:
        lang = st.radio("Text shown", langs, index=langs.index(wanted) if wanted in langs else 0,
                        format_func=lambda x: LANGUAGE_LABELS.get(x, x), key="lang",
                        help="Statuses always follow the official text; each unit says whether the translation "
                             "agrees with it.")
    set_qp(lang=None if lang == langs[0] else lang)


# ---- query-string state --------------------------------------------------------------------

def qp_date(name: str, default: date, lo: date, hi: date) -> date:
    raw = st.query_params.get(name)
    try:
        d = date.fromisoformat(raw) if raw else default
    except ValueError:
        st.warning(f"Ignoring the date in the link ({name}={raw!r}): not YYYY-MM-DD.")
        d = default
    return min(max(d, lo), hi)


def qp_str(name: str, default: str = "") -> str:
    return st.query_params.get(name, default)


def qp_bool(name: str, default: bool = False) -> bool:
    raw = st.query_params.get(name)
    return default if raw is None else raw in ("1", "true", "yes")


def set_qp(**values) -> None:
    """Write the view's state into the URL (None or "" removes a key)."""
    for k, v in values.items():
        if v is None or v == "" or v is False:
            if k in st.query_params:
                del st.query_params[k]
        else:
            val = v.isoformat() if isinstance(v, date) else ("1" if v is True else str(v))
            if st.query_params.get(k) != val:
                st.query_params[k] = val


# ---- cached loaders --------------------------------------------------------------------------

@st.cache_data(show_spinner=False)
def meta(key: tuple[str, int, str | None]) -> dict:
    from model.pointintime import law_index
    from model.queries import latest_edition
    with Session(engine(key[0])) as s:
        idx = law_index(session=s, language=key[2])
        official = latest_edition(session=s, law_id=idx.law.id)  # the official text's, if ingested
        # the last change either text announces: the official text may know of later laws than the translation
        last = max(d for d in (idx.last_change, law_index(session=s).last_change, FIRST_DAY) if d)
        return {"number": idx.law.number, "title": idx.law.title, "date": idx.law.date,
                "commencement": idx.law.commencement or FIRST_DAY, "last_change": last,
                "units": len(idx.units), "events": len(idx.events), "language": idx.language,
                "edition": idx.edition, "official": official.language, "official_edition": official.edition_date,
                "languages": languages(key[0], key[1])}


@st.cache_data(show_spinner=False)
def law_as_of(key: tuple[str, int, str | None], on: date) -> pd.DataFrame:
    from model.pointintime import as_of
    with Session(engine(key[0])) as s:
        return shaping.states_frame(as_of(session=s, on=on, language=key[2]))


@st.cache_data(show_spinner=False)
def events(key: tuple[str, int, str | None]) -> pd.DataFrame:
    from model.changes import changelog
    with Session(engine(key[0])) as s:
        return shaping.changes_frame(changelog(session=s, language=key[2]))


@st.cache_data(show_spinner=False)
def unit_history(key: tuple[str, int, str | None], eid: str) -> dict:
    from model.changes import history
    with Session(engine(key[0])) as s:
        try:
            return shaping.history_dict(history(session=s, unit_id=eid, language=key[2]))
        except ValueError:  # a unit the chosen language's edition lacks: the official text's history
            return shaping.history_dict(history(session=s, unit_id=eid))


@st.cache_data(show_spinner=False)
def comparison(key: tuple[str, int, str | None], d1: date, d2: date) -> dict:
    from model.changes import compare
    with Session(engine(key[0])) as s:
        return shaping.comparison_dict(compare(session=s, d1=d1, d2=d2, language=key[2]))


@st.cache_data(show_spinner=False)
def export_bytes(key: tuple[str, int, str | None], fmt: str, d1: date | None, d2: date | None, article: str | None,
                 law: str | None, kind: str | None) -> tuple[bytes, int]:
    """The change log in ``fmt`` from the same exporters the CLI uses, and its row count."""
    from model.changes import changelog
    from model.exports import CHANGELOG_COLUMNS, changelog_markdown, changelog_records, to_csv, to_json
    with Session(engine(key[0])) as s:
        rows = changelog(session=s, date_from=d1, date_to=d2, article=article, law=law, kind=kind, language=key[2])
        if fmt == "csv":
            return to_csv(changelog_records(rows), CHANGELOG_COLUMNS).encode("utf-8"), len(rows)
        if fmt == "json":
            return to_json(changelog_records(rows)).encode("utf-8"), len(rows)
        if fmt == "md":
            return changelog_markdown(rows, "Change log of Law № 418-V").encode("utf-8"), len(rows)
        from model.akn import akn_document
        from model.pointintime import law_index
        idx = law_index(session=s, language=key[2])
        wanted = {r.event_id for r in rows}
        return akn_document(session=s, on=d2 or idx.last_change, events=[e for e in idx.events if e.id in wanted],
                            language=key[2]), len(rows)


@st.cache_data(show_spinner=False)
def quality(key: tuple[str, int, str | None]) -> dict:
    from model.quality import conflicts, weak_dates
    from model.queries import list_warnings
    with Session(engine(key[0])) as s:
        from model.witnesses import list_witness_matches
        law = get_law(session=s)
        witnesses = shaping.witness_frame(list_witness_matches(session=s, law_id=law.id))
        from model.reconcile import reconcile
        return {"warnings": shaping.warnings_frame(list_warnings(session=s, law_id=law.id, language=key[2])),
                "conflicts": shaping.conflicts_frame(conflicts(session=s, language=key[2])),
                "weak": shaping.weak_frame(weak_dates(session=s, language=key[2])),
                "witnesses": witnesses,
                "reconcile": shaping.findings_frame(reconcile(session=s, law_id=law.id).findings)}
