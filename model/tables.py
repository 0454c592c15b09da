"""All tables. Every law-specific table carries ``law_id`` and is indexed for "this law, this date".

The bulk tables (unit versions, events, notes, parse warnings) point at their source with one reference
on ``(law_id, source_id)``: it says both that the source exists and that the row's law is the
source's (through the source, that the law exists); units point at their law. These references are
foreign keys, except on PostgreSQL, where triggers check them once per statement rather than once per
row (``model.references``: the same guarantees; the per-row checks were a third of the server's work of
an ingest there).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKeyConstraint, Index, Text, UniqueConstraint
from sqlmodel import Column, Field, SQLModel

from model.references import checked_reference, install


class Law(SQLModel, table=True):
    """A tracked act (here: Law 418-V "On Informatization")."""

    __tablename__ = "law"
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(index=True, unique=True)
    title: str
    date: dt.date | None = None
    commencement: dt.date | None = None
    content_version: int = 0  # bumped by every ingest that changes something (cache key)


class AmendingLaw(SQLModel, table=True):
    __tablename__ = "amending_law"
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(index=True, unique=True)
    date: dt.date | None = None
    title: str | None = None
    publication_date: dt.date | None = None
    source: str | None = None


class Source(SQLModel, table=True):
    """A file a law's data came from: a consolidated edition or a dated witness."""

    __tablename__ = "source"
    __table_args__ = (UniqueConstraint("law_id", "sha256"),
                      UniqueConstraint("law_id", "id", name="uq_source_law_id"))  # the target of _by_source()
    id: int | None = Field(default=None, primary_key=True)
    law_id: int = Field(foreign_key="law.id", index=True)
    name: str
    sha256: str
    size: int
    kind: str = "consolidated"  # consolidated | witness
    language: str = "eng"
    edition_date: dt.date | None = None
    description: str | None = None


def _by_source(table: str) -> ForeignKeyConstraint:
    """The reference of a bulk table's ``(law_id, source_id)`` to its source (see the module docstring)."""
    return checked_reference(table, ("law_id", "source_id"), "source", ("law_id", "id"))


class Unit(SQLModel, table=True):
    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("law_id", "eid"), Index("ix_unit_law_position", "law_id", "position"),
                      checked_reference("unit", ("law_id",), "law", ("id",)))
    id: int | None = Field(default=None, primary_key=True)
    law_id: int
    eid: str
    kind: str
    number: str | None = None
    parent_eid: str | None = None
    position: int
    label: str
    present: bool = True  # False: known only from the numbering (Articles 45–47)
    line_start: int | None = None
    line_end: int | None = None


class UnitVersion(SQLModel, table=True):
    """A wording of a unit over a half-open interval [valid_from, valid_to); None = open."""

    __tablename__ = "unit_version"
    __table_args__ = (Index("ix_version_law_eid", "law_id", "eid"), _by_source("unit_version"))
    id: int | None = Field(default=None, primary_key=True)
    law_id: int
    eid: str
    source_id: int
    text: str | None = Field(default=None, sa_column=Column(Text))  # None: wording not in the sources
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    status: str  # in_force | excluded
    confidence: str  # exact | later_amended | unknown
    basis: str = Field(sa_column=Column(Text))
    language: str = "eng"


class Event(SQLModel, table=True):
    __tablename__ = "event"
    __table_args__ = (Index("ix_event_law_date", "law_id", "effective_date"),
                      Index("ix_event_law_eid", "law_id", "eid"),
                      Index("ix_event_law_number", "law_id", "law_number"), _by_source("event"))
    id: int | None = Field(default=None, primary_key=True)
    law_id: int
    source_id: int
    eid: str
    kind: str  # inserted | amended | new_wording | excluded
    law_number: str
    law_date: dt.date | None = None
    effect_clause: str = Field(sa_column=Column(Text))
    effective_date: dt.date | None = None
    effective_basis: str
    effective_note: str = Field(sa_column=Column(Text))
    source_line: int
    note_kind: str  # footnote | inline


class Note(SQLModel, table=True):
    __tablename__ = "note"
    __table_args__ = (Index("ix_note_law_line", "law_id", "line"), _by_source("note"))
    id: int | None = Field(default=None, primary_key=True)
    law_id: int
    source_id: int
    line: int
    kind: str
    text: str = Field(sa_column=Column(Text))
    context_eid: str | None = None


class ParseWarningRow(SQLModel, table=True):
    __tablename__ = "parse_warning"
    __table_args__ = (_by_source("parse_warning"),)
    id: int | None = Field(default=None, primary_key=True)
    law_id: int = Field(index=True)
    source_id: int
    line: int
    text: str = Field(sa_column=Column(Text))
    reason: str = Field(sa_column=Column(Text))
    severity: str


class WitnessMatch(SQLModel, table=True):
    """A quotation from a witness source, matched to a unit or rejected (with the reason)."""

    __tablename__ = "witness_match"
    id: int | None = Field(default=None, primary_key=True)
    law_id: int = Field(foreign_key="law.id", index=True)
    source_id: int = Field(foreign_key="source.id")
    eid: str | None = None          # the matched unit (None when rejected)
    quoted_number: str | None = None  # the number the quotation carries, e.g. "3-1"
    quoted_text: str = Field(sa_column=Column(Text))
    status: str                     # matched | rejected
    reason: str = Field(sa_column=Column(Text))
    similarity: float | None = None
    known_on: dt.date


class TextChange(SQLModel, table=True):
    """Two dated wordings of a unit that differ: the word diff and its classification."""

    __tablename__ = "text_change"
    __table_args__ = (Index("ix_text_change_law_eid", "law_id", "eid"),)
    id: int | None = Field(default=None, primary_key=True)
    law_id: int = Field(foreign_key="law.id")
    eid: str
    older_source_id: int = Field(foreign_key="source.id")
    newer_source_id: int = Field(foreign_key="source.id")
    older_date: dt.date | None = None
    newer_date: dt.date | None = None
    classification: str  # translation | substantive
    diff: str = Field(sa_column=Column(Text))  # JSON list of [op, text] pairs: op in "=", "-", "+"


for _table in (Unit, UnitVersion, Event, Note, ParseWarningRow):
    install(_table.__table__)
