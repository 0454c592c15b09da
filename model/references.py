"""The references of the bulk tables to their law or source, checked once per statement on PostgreSQL.

A foreign key is checked by PostgreSQL row by row: one lookup of the referenced row (and a lock on it)
for each of a law's ~4,300 units, versions, events and notes — each the same few rows of ``law`` and
``source``. Those checks were a third of the server's work of an ingest (a COPY of one law's 2,206 unit
versions: 29 ms of the server's time with its foreign key, 15 without). On PostgreSQL these references are
therefore not foreign keys but triggers with the same guarantees, checked once per statement:

* an INSERT (or COPY) into the referencing table: after the statement, its distinct keys (from the
  statement's transition table) are looked up in the referenced table and those rows locked ``FOR KEY
  SHARE`` (as a foreign key's check does: the referenced row cannot be deleted, nor its key changed, until
  the inserting transaction ends); a key that is missing raises ``foreign_key_violation`` (SQLSTATE 23503,
  an ``IntegrityError``), naming it;
* an UPDATE that changes a referencing row's key: the same check for its new key (row by row: no ingest
  updates these columns);
* a DELETE of a referenced row, or an UPDATE changing its key, while a row refers to it: refused with
  ``foreign_key_violation`` (``NO ACTION``: nothing cascades).

Two differences from a foreign key, both outside what lawtrack does (it never deletes a law or a source, nor
changes a key): a ``TRUNCATE`` of ``law`` or ``source`` alone is not refused; and a DELETE of a referenced
row in a REPEATABLE READ or SERIALIZABLE transaction that waited for a concurrent ingest referring to it
does not see that ingest's rows (a foreign key would raise a serialization failure). In READ COMMITTED
(psql's default) the DELETE sees them and is refused.

Other databases (SQLite) keep the foreign keys: their checks are lookups in this process, no round trip.
A PostgreSQL database created before these triggers keeps its foreign keys (``create_all`` does not alter
existing tables): the same guarantees, checked row by row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ForeignKeyConstraint, Table, event


@dataclass(frozen=True)
class Reference:
    child: str
    child_cols: tuple[str, ...]
    parent: str
    parent_cols: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.child}_{'_'.join(self.child_cols)}_ref"


REFERENCES: list[Reference] = []


def _not_postgresql(ddl, target, bind, tables=None, state=None, *, dialect, compiler=None, **kw) -> bool:
    return dialect.name != "postgresql"


def checked_reference(child: str, child_cols: tuple[str, ...], parent: str,
                      parent_cols: tuple[str, ...]) -> ForeignKeyConstraint:
    """The foreign key ``child(child_cols) → parent(parent_cols)``: created as a foreign key except on
    PostgreSQL, where ``child``'s table, once created, gets the triggers of the module docstring."""
    REFERENCES.append(Reference(child, child_cols, parent, parent_cols))
    return ForeignKeyConstraint(list(child_cols), [f"{parent}.{c}" for c in parent_cols]).ddl_if(
        callable_=_not_postgresql)


_IDENT = re.compile(r"[a-z_][a-z0-9_]*\Z")


def trigger_statements(ref: Reference) -> list[str]:
    """The DDL of ``ref``'s three functions and four triggers on PostgreSQL (every statement idempotent).

    The functions are written for ``ref``'s tables (static SQL: PL/pgSQL plans each query once per connection):
    * ``…_keys_exist``, after each INSERT/COPY statement into the child: the statement's distinct keys, each looked
      up in the parent by its unique index and locked ``FOR KEY SHARE`` — one query; a key not found raises;
    * ``…_key_exists``, after an UPDATE that changes a child row's key: the same for its new key;
    * ``…_unused``, before a DELETE of a parent row or an UPDATE changing its key: refused while a child row
      has that key.
    """
    for name in (ref.child, ref.parent, *ref.child_cols, *ref.parent_cols):
        assert _IDENT.match(name), name  # names of this module's tables: written into the SQL as they are
    ccols, pcols = ", ".join(ref.child_cols), ", ".join(f"p.{c}" for c in ref.parent_cols)
    keys = ", ".join(f"k.{c}" for c in ref.child_cols)
    k_not_null = " AND ".join(f"{c} IS NOT NULL" for c in ref.child_cols)  # MATCH SIMPLE: NULL refers to nothing
    new_key = ", ".join(f"NEW.{c}" for c in ref.child_cols)
    old_key = ", ".join(f"OLD.{c}" for c in ref.parent_cols)

    def refused(detail: str, args: str) -> str:  # the RAISE of a key not in the parent
        return (f"RAISE foreign_key_violation USING\n"
                f"            MESSAGE = format('insert or update on table \"%s\" violates the foreign key reference "
                f"to table \"{ref.parent}\"', TG_TABLE_NAME),\n"
                f"            DETAIL = format('Key ({ccols})={detail} is not present in table \"{ref.parent}\".', {args}),\n"
                f"            TABLE = TG_TABLE_NAME;")
    fn = ref.name
    exist = f"""
CREATE OR REPLACE FUNCTION {fn}_keys_exist() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    wanted bigint;
    found bigint;
    missing text;
BEGIN
    SELECT count(*), count(x.one) INTO wanted, found
      FROM (SELECT DISTINCT {ccols} FROM lawtrack_new WHERE {k_not_null}) k
      LEFT JOIN LATERAL (SELECT 1 AS one FROM {ref.parent} p WHERE ({pcols}) = ({keys}) FOR KEY SHARE OF p) x ON true;
    IF found < wanted THEN
        SELECT ({keys})::text INTO missing FROM lawtrack_new k
         WHERE {k_not_null} AND NOT EXISTS (SELECT 1 FROM {ref.parent} p WHERE ({pcols}) = ({keys})) LIMIT 1;
        {refused("%s", "missing")}
    END IF;
    RETURN NULL;
END
$fn$"""
    exists = f"""
CREATE OR REPLACE FUNCTION {fn}_key_exists() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF ({new_key}) IS NOT NULL THEN
        PERFORM 1 FROM {ref.parent} p WHERE ({pcols}) = ({new_key}) FOR KEY SHARE OF p;
        IF NOT FOUND THEN
            {refused("(%s)", f"concat_ws(', ', {new_key})")}
        END IF;
    END IF;
    RETURN NULL;
END
$fn$"""
    unused = f"""
CREATE OR REPLACE FUNCTION {fn}_unused() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF EXISTS (SELECT 1 FROM {ref.child} c WHERE ({", ".join(f"c.{c}" for c in ref.child_cols)}) = ({old_key})) THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('%s on table "%s" violates the foreign key reference from table "{ref.child}"',
                             lower(TG_OP), TG_TABLE_NAME),
            DETAIL = format('Key ({", ".join(ref.parent_cols)})=(%s) is still referenced from table "{ref.child}".',
                            concat_ws(', ', {old_key})),
            TABLE = TG_TABLE_NAME;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$fn$"""

    def changed(cols: tuple[str, ...]) -> str:
        return (f"(({', '.join('OLD.' + c for c in cols)}) IS DISTINCT FROM "
                f"({', '.join('NEW.' + c for c in cols)}))")
    return [exist, exists, unused,
            f"CREATE OR REPLACE TRIGGER {fn}_insert AFTER INSERT ON {ref.child} "
            f"REFERENCING NEW TABLE AS lawtrack_new FOR EACH STATEMENT EXECUTE FUNCTION {fn}_keys_exist()",
            f"CREATE OR REPLACE TRIGGER {fn}_update AFTER UPDATE OF {ccols} ON {ref.child} "
            f"FOR EACH ROW WHEN {changed(ref.child_cols)} EXECUTE FUNCTION {fn}_key_exists()",
            f"CREATE OR REPLACE TRIGGER {fn}_delete BEFORE DELETE ON {ref.parent} "
            f"FOR EACH ROW EXECUTE FUNCTION {fn}_unused()",
            f"CREATE OR REPLACE TRIGGER {fn}_rekey BEFORE UPDATE OF {', '.join(ref.parent_cols)} ON {ref.parent} "
            f"FOR EACH ROW WHEN {changed(ref.parent_cols)} EXECUTE FUNCTION {fn}_unused()"]


def install(table: Table) -> None:
    """Create ``table``'s reference triggers on PostgreSQL right after the table itself (``create_all``)."""
    refs = [r for r in REFERENCES if r.child == table.name]

    @event.listens_for(table, "after_create")
    def _triggers(target, connection, **kw) -> None:
        if connection.dialect.name != "postgresql":
            return
        cur = connection.connection.driver_connection.cursor()  # no parameters: the SQL's % are its own
        try:
            for ref in refs:
                for sql in trigger_statements(ref):
                    cur.execute(sql)
        finally:
            cur.close()
