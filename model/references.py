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


# The three trigger functions, generic over the tables: TG_ARGV = (other table, the child's key columns,
# the parent's key columns), column lists comma-separated. Their SQL is built from those names with %I.
_FUNCTIONS = [
    r"""
CREATE OR REPLACE FUNCTION lawtrack_refs_exist() RETURNS trigger LANGUAGE plpgsql AS $fn$
-- AFTER INSERT ... FOR EACH STATEMENT, REFERENCING NEW TABLE AS lawtrack_new. TG_ARGV: parent, child cols, parent cols
DECLARE
    ccols text := (SELECT string_agg(format('%I', c), ', ') FROM unnest(string_to_array(TG_ARGV[1], ',')) c);
    pcols text := (SELECT string_agg(format('p.%I', c), ', ') FROM unnest(string_to_array(TG_ARGV[2], ',')) c);
    ncols text := (SELECT string_agg(format('n.%I', c), ', ') FROM unnest(string_to_array(TG_ARGV[1], ',')) c);
    not_null text := (SELECT string_agg(format('%I IS NOT NULL', c), ' AND ')
                      FROM unnest(string_to_array(TG_ARGV[1], ',')) c);
    wanted bigint;
    found bigint;
    missing text;
BEGIN
    EXECUTE format('SELECT count(*) FROM (SELECT DISTINCT %s FROM lawtrack_new WHERE %s) k', ccols, not_null)
        INTO wanted;
    IF wanted = 0 THEN
        RETURN NULL;
    END IF;
    -- the parent's key is unique: each distinct key locks at most one row
    EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %I p WHERE (%s) IN (SELECT %s FROM lawtrack_new) '
                   'FOR KEY SHARE OF p) k', TG_ARGV[0], pcols, ccols) INTO found;
    IF found < wanted THEN
        EXECUTE format('SELECT (%s)::text FROM lawtrack_new n WHERE %s AND NOT EXISTS '
                       '(SELECT 1 FROM %I p WHERE (%s) = (%s)) LIMIT 1',
                       ncols, not_null, TG_ARGV[0], pcols, ncols) INTO missing;
        RAISE foreign_key_violation USING
            MESSAGE = format('insert or update on table "%s" violates the foreign key reference to table "%s"',
                             TG_TABLE_NAME, TG_ARGV[0]),
            DETAIL = format('Key (%s)=%s is not present in table "%s".', replace(TG_ARGV[1], ',', ', '),
                            missing, TG_ARGV[0]),
            TABLE = TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END
$fn$""",
    r"""
CREATE OR REPLACE FUNCTION lawtrack_ref_exists() RETURNS trigger LANGUAGE plpgsql AS $fn$
-- AFTER UPDATE OF the key ... FOR EACH ROW WHEN (the key changed). TG_ARGV: parent, child cols, parent cols
DECLARE
    newkey text := (SELECT string_agg(format('($1).%I', c), ', ') FROM unnest(string_to_array(TG_ARGV[1], ',')) c);
    pcols text := (SELECT string_agg(format('p.%I', c), ', ') FROM unnest(string_to_array(TG_ARGV[2], ',')) c);
    has_null boolean;
    found bigint;
BEGIN
    EXECUTE format('SELECT NOT ((%s) IS NOT NULL)', newkey) USING NEW INTO has_null;
    IF has_null THEN  -- MATCH SIMPLE: a key with a NULL refers to nothing
        RETURN NULL;
    END IF;
    EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %I p WHERE (%s) = (%s) FOR KEY SHARE OF p) k',
                   TG_ARGV[0], pcols, newkey) USING NEW INTO found;
    IF found = 0 THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('insert or update on table "%s" violates the foreign key reference to table "%s"',
                             TG_TABLE_NAME, TG_ARGV[0]),
            DETAIL = format('Key (%s) is not present in table "%s".', TG_ARGV[1], TG_ARGV[0]),
            TABLE = TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END
$fn$""",
    r"""
CREATE OR REPLACE FUNCTION lawtrack_ref_unused() RETURNS trigger LANGUAGE plpgsql AS $fn$
-- BEFORE DELETE, or BEFORE UPDATE OF the key WHEN (it changed), FOR EACH ROW of the parent.
-- TG_ARGV: child, child cols, parent cols
DECLARE
    ccols text := (SELECT string_agg(format('c.%I', c), ', ') FROM unnest(string_to_array(TG_ARGV[1], ',')) c);
    oldkey text := (SELECT string_agg(format('($1).%I', c), ', ') FROM unnest(string_to_array(TG_ARGV[2], ',')) c);
    used boolean;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I c WHERE (%s) = (%s))', TG_ARGV[0], ccols, oldkey)
        USING OLD INTO used;
    IF used THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('%s on table "%s" violates the foreign key reference from table "%s"',
                             lower(TG_OP), TG_TABLE_NAME, TG_ARGV[0]),
            DETAIL = format('Key (%s) is still referenced from table "%s".', TG_ARGV[2], TG_ARGV[0]),
            TABLE = TG_TABLE_NAME;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$fn$""",
]


def trigger_statements(ref: Reference) -> list[str]:
    """The DDL of ``ref``'s triggers on PostgreSQL (the functions first; every statement idempotent)."""
    args = f"'{ref.parent}', '{','.join(ref.child_cols)}', '{','.join(ref.parent_cols)}'"
    back = f"'{ref.child}', '{','.join(ref.child_cols)}', '{','.join(ref.parent_cols)}'"

    def changed(cols: tuple[str, ...]) -> str:
        return (f"(({', '.join('OLD.' + c for c in cols)}) IS DISTINCT FROM "
                f"({', '.join('NEW.' + c for c in cols)}))")
    return [*_FUNCTIONS,
            f"CREATE OR REPLACE TRIGGER {ref.name}_insert AFTER INSERT ON {ref.child} "
            f"REFERENCING NEW TABLE AS lawtrack_new FOR EACH STATEMENT EXECUTE FUNCTION lawtrack_refs_exist({args})",
            f"CREATE OR REPLACE TRIGGER {ref.name}_update AFTER UPDATE OF {', '.join(ref.child_cols)} ON {ref.child} "
            f"FOR EACH ROW WHEN {changed(ref.child_cols)} EXECUTE FUNCTION lawtrack_ref_exists({args})",
            f"CREATE OR REPLACE TRIGGER {ref.name}_delete BEFORE DELETE ON {ref.parent} "
            f"FOR EACH ROW EXECUTE FUNCTION lawtrack_ref_unused({back})",
            f"CREATE OR REPLACE TRIGGER {ref.name}_rekey BEFORE UPDATE OF {', '.join(ref.parent_cols)} "
            f"ON {ref.parent} FOR EACH ROW WHEN {changed(ref.parent_cols)} "
            f"EXECUTE FUNCTION lawtrack_ref_unused({back})"]


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
