"""The ``lawtrack`` command line.

Every command turns expected failures (bad input, no data, unreachable database) into one line on
stderr and exit status 2 — never a traceback.
"""
from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import os
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Callable, List, Optional

import typer
from sqlalchemy.exc import SQLAlchemyError

from ingest.amending_laws import DEFAULT_PATH as LAWS_CSV, read_amending_laws
from ingest.errors import IngestError
from model.engine import database_url, make_engine
from model.queries import NoData

# The parser and the exports are imported by the commands that use them: every command pays for what
# is imported here before its first output (`lawtrack laws` starts in well under a second).

FIXTURE = str(Path(__file__).resolve().parent.parent / "fixtures" / "informatization_418-V_eng.txt")
RUSSIAN_FIXTURE = str(Path(__file__).resolve().parent.parent / "fixtures" / "kazakhstan-law-codes" / "03-laws"
                      / "20151124-o-kiberbezopasnosti-95699")  # the official text, as the public mirror lays it out

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                  help="lawtrack — amendment history of the Law of the Republic of Kazakhstan "
                       '"On Informatization" (No. 418-V): what a unit said on a date, what changed, '
                       "which law changed it and from when.")

DbOption = typer.Option(None, "--db", help="SQLAlchemy URL or SQLite path (default: $LAWTRACK_DB or ./lawtrack.db)")
LangOption = typer.Option(None, "--language", help="rus (the official text) or eng (the unofficial English "
                          "translation); default: the official text if it is ingested")


def fail(message: str) -> None:
    typer.echo(f"lawtrack: error: {message}", err=True)
    raise typer.Exit(2)


def clean_errors(fn: Callable) -> Callable:
    """Turn the errors users can cause into one line on stderr and exit 2."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except IngestError as err:
            fail(str(err))
        except NoData as err:
            fail(str(err))
        except SQLAlchemyError as err:
            reason = str(getattr(err, "orig", None) or err).strip().splitlines()[0]
            fail(f"database {_safe_url(kwargs.get('db'))}: {reason}")
        except ValueError as err:
            fail(str(err))
        except typer.Exit:
            raise
        except KeyboardInterrupt:  # Ctrl-C: an open transaction has been rolled back on the way here
            typer.echo("lawtrack: interrupted", err=True)
            raise typer.Exit(130)
        except BrokenPipeError:  # the reader went away (`lawtrack asof … | head`): not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
            raise typer.Exit(0)
        except Exception as err:  # a bug of ours: one line, unless asked for the traceback
            if os.environ.get("LAWTRACK_DEBUG"):
                raise
            typer.echo(f"lawtrack: internal error: {type(err).__name__}: {err} "
                       "(set LAWTRACK_DEBUG=1 for the traceback)", err=True)
            raise typer.Exit(1)
    return wrapper


def _safe_url(url: str | None) -> str:
    u = database_url(url)
    if "@" in u:  # hide the password
        head, _, tail = u.partition("@")
        scheme, _, _creds = head.partition("://")
        return f"{scheme}://…@{tail}"
    return u


def _parse_day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{name}: {value!r} is not a date (YYYY-MM-DD)")


def progress(msg: str) -> None:
    typer.echo(f"  … {msg}", err=True)


@app.command()
@clean_errors
def ingest(files: Optional[List[str]] = typer.Argument(None, help="law text files, or act directories of the "
                                                        "kazakhstan-law/codes mirror (default: the fixture)"),
           db: Optional[str] = DbOption,
           edition_date: Optional[str] = typer.Option(None, help="date of the edition (YYYY-MM-DD), if known; "
                                                      "an act directory's own date (front matter) is used otherwise"),
           number: Optional[str] = typer.Option(None, "--number", help="the act's number, e.g. 418-V (the Russian "
                                                "text does not state it; default: the tracked law of the same date)"),
           laws_csv: str = typer.Option(LAWS_CSV, "--laws", help="CSV of amending laws (titles, publication dates)"),
           jobs: Optional[int] = typer.Option(None, "--jobs", min=0, help="processes parsing while the texts are "
                                              "stored (default: one per CPU but one; 0: parse in this process)")):
    """Parse law texts and store units, events and warnings: all of them or — on any error — none (one
    transaction). With several files, worker processes parse the next ones while each is stored."""
    from ingest.batch import Job, ingest_many
    files = files or [FIXTURE]
    ed = _parse_day(edition_date, "--edition-date") if edition_date else None
    if laws_csv != LAWS_CSV and not Path(laws_csv).exists():
        fail(f"{laws_csv}: no such file (--laws)")
    amending = read_amending_laws(laws_csv)
    todo = []
    for f in files:
        if os.path.isdir(f):
            from ingest.mirror import read_act_dir
            todo.append(Job(f, act=True, number=number or _act_number(db, read_act_dir(f), None), edition_date=ed))
        else:
            todo.append(Job(f, edition_date=ed))
    typer.echo(f"ingesting {len(todo)} file(s) into {_safe_url(db)}, in one transaction", err=True)
    with _new_file_removed_on_error(db):
        engine = make_engine(db)
        try:
            stored = ingest_many(engine, todo, amending, workers=jobs, step=lambda m: typer.echo(m, err=True),
                                 progress=progress)
        except IngestError as err:
            fail(f"{err} (nothing was stored)" if len(todo) > 1 else str(err))
        finally:
            engine.dispose()
    for summary in stored:
        _print_ingest_summary(summary)
    if len(stored) > 1:
        new = sum(1 for x in stored if not x.result.unchanged)
        typer.echo(f"{len(stored)} files: {new} stored, {len(stored) - new} unchanged (already ingested)")


@contextlib.contextmanager
def _new_file_removed_on_error(db: str | None):
    """A SQLite file this block creates is removed again if the block fails: the transaction leaves the
    tables empty, and no file at all is what was there before."""
    from model.engine import sqlite_path
    path = sqlite_path(db)
    created = path is not None and not os.path.exists(path)
    try:
        yield
    except BaseException:
        if created:
            for f in (path, f"{path}-wal", f"{path}-shm", f"{path}-journal"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(f)
        raise


TRACKED_ACTS = {"95699": "418-V"}  # portal document id -> number, for the law this tool is built around


def _act_number(db: str | None, act, number: str | None) -> str:
    """The act's number: ``--number``, else the law of the same date already in the database, else the
    tracked law when the portal document is its own; otherwise a clear error."""
    if number:
        return number
    from sqlalchemy import inspect
    from sqlmodel import Session, select

    from model import tables as t
    from model.engine import sqlite_path
    path = sqlite_path(db)
    if act.act_date and (path is None or os.path.exists(path)):
        engine = make_engine(db)
        if inspect(engine).has_table("law"):
            with Session(engine) as s:
                same = s.exec(select(t.Law).where(t.Law.date == act.act_date)).all()
            if len(same) == 1:
                return same[0].number
    doc = act.act.rsplit("-", 1)[-1]
    if doc in TRACKED_ACTS:
        return TRACKED_ACTS[doc]
    fail(f"{act.source.path}: the Russian text does not state the act's number; give it with --number")


@app.command("ingest-git")
@clean_errors
def ingest_git(clone: str = typer.Argument(..., metavar="CLONE", help="a clone of the kazakhstan-law/codes mirror"),
               act_path: str = typer.Option(..., "--act", help="the act's directory in the clone, e.g. "
                                            "03-laws/20151124-o-kiberbezopasnosti-95699"),
               number: Optional[str] = typer.Option(None, "--number", help="the act's number, e.g. 418-V"),
               db: Optional[str] = DbOption,
               laws_csv: str = typer.Option(LAWS_CSV, "--laws", help="CSV of amending laws (titles, publication dates)")):
    """Ingest every edition of an act from the mirror's git history (one commit = one dated edition)."""
    from ingest.batch import summarize
    from ingest.load import load_parsed
    from ingest.mirror_git import read_history
    from ingest.parse_ru import parse_law_ru
    typer.echo(f"walking the history of {act_path}/rus.md in {clone}", err=True)
    history = read_history(clone, act_path)
    if laws_csv != LAWS_CSV and not Path(laws_csv).exists():
        fail(f"{laws_csv}: no such file (--laws)")
    amending = read_amending_laws(laws_csv)
    parsed = []
    for i, e in enumerate(history.editions, start=1):
        typer.echo(f"[{i}/{len(history.editions)}] parsing the edition of {e.edition_date} "
                   f"(commit {e.commit[:10]}: {e.subject})", err=True)
        parsed.append((e, parse_law_ru(e.act, amending, number=_act_number(db, e.act, number))))
    engine = make_engine(db)
    for e, p in parsed:
        typer.echo(f"storing {p.source.name} in {_safe_url(db)}", err=True)
        res = load_parsed(engine, p, edition_date=e.edition_date, progress=progress)
        _print_ingest_summary(summarize(p, res, e.edition_date))
        typer.echo(f"  commit: {e.commit[:10]} {e.committed:%Y-%m-%d} {e.subject}; edition date from the {e.date_basis}")
    for commit, why in history.skipped:
        typer.echo(f"skipped commit {commit[:10]}: {why}")
    typer.echo(f"{len(history.editions)} edition(s) of {act_path}, {len(history.skipped)} commit(s) skipped")


_LANGUAGES = {"rus": "official Russian text", "eng": "unofficial English translation"}


def _print_ingest_summary(x) -> None:
    """The report of one stored law text (an ``ingest.batch.IngestSummary``)."""
    state = "unchanged (already ingested)" if x.result.unchanged else "stored"
    typer.echo(f"{x.name}: {state}")
    typer.echo(f"  law: {x.title or '(no title)'} № {x.number} of {x.date or 'an unknown date'}; in force from "
               f"{x.commencement or 'an unknown date (not found in the text)'}")
    typer.echo(f"  text: {_LANGUAGES.get(x.language, x.language)}; edition of {x.edition_date or 'an unknown date'}")
    typer.echo("  units: " + ", ".join(f"{k} {v}" for k, v in x.units.items()))
    typer.echo(f"  notes: {x.footnotes} footnotes, {x.inline_markers} inline markers")
    typer.echo(f"  events: {sum(x.events.values())}"
               + (" (" + ", ".join(f"{k} {v}" for k, v in x.events.items()) + ")" if x.events else ""))
    if x.effective_bases:
        typer.echo("  effective dates: " + ", ".join(f"{k} {v}" for k, v in x.effective_bases.items()))
    typer.echo(f"  amending laws: {x.amending_laws}")
    typer.echo(f"  warnings: {x.warnings} (repaired {x.repaired}, not understood {x.unparsed}) — see `lawtrack warnings`")


def _session(db: str | None):
    """A session on an existing, ingested database; ``NoData`` otherwise (nothing is created)."""
    import os

    from sqlalchemy import inspect
    from sqlmodel import Session

    from model.engine import sqlite_path
    path = sqlite_path(db)
    if path is not None and not os.path.exists(path):
        raise NoData(f"no database at {path}: run `lawtrack ingest` first")
    engine = make_engine(db)
    if not inspect(engine).has_table("law"):
        raise NoData("the database holds no law yet: run `lawtrack ingest` first")
    return Session(engine)


def _check_language(s, law_id: int | None, language: str | None) -> None:
    """Fail with one line when ``--language`` names a language with no edition ingested."""
    if language is None:
        return
    from model.queries import get_law, languages
    have = languages(session=s, law_id=law_id or get_law(session=s).id)
    if language not in have:
        fail(f"--language {language}: no edition in that language is ingested (ingested: {', '.join(have)})")


def _write_rows(rows: list[dict], columns: list[str], fmt: str) -> None:
    from model.exports import neutralise
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")  # quotes \r inside a cell too
    w.writeheader()
    for r in rows:
        w.writerow({k: neutralise(r.get(k)) for k in columns})
    sys.stdout.write(buf.getvalue())


@app.command()
@clean_errors
def events(db: Optional[str] = DbOption,
           format: str = typer.Option("csv", "--format", help="csv or json"),
           language: Optional[str] = LangOption):
    """Every amendment event with its entry-into-force date and basis."""
    from model.queries import EVENT_COLUMNS, event_row, get_law, list_events
    if format not in ("csv", "json"):
        fail(f"--format must be csv or json, not {format!r}")
    with _session(db) as s:
        law = get_law(session=s)
        _check_language(s, law.id, language)
        rows = [event_row(e) for e in list_events(session=s, law_id=law.id, language=language)]
    _write_rows(rows, EVENT_COLUMNS, format)


@app.command()
@clean_errors
def laws(db: Optional[str] = DbOption, language: Optional[str] = LangOption):
    """Amending laws: date, effective date(s) used and basis, units touched by kind."""
    from model.queries import get_law, list_amending_laws
    with _session(db) as s:
        law = get_law(session=s)
        _check_language(s, law.id, language)
        rows = list_amending_laws(session=s, law_id=law.id, language=language)
    typer.echo(f"{'law':<10} {'dated':<10}  {'in force (basis × events)':<44} units touched")
    for r in rows:
        eff = "; ".join(f"{d or '?'} {b} ×{n}" for d, b, n in r.effective)
        touched = ", ".join(f"{k} {v}" for k, v in r.touched.items())
        typer.echo(f"{r.number:<10} {str(r.date or '?'):<10}  {eff:<44} {touched}")
        if r.title:
            typer.echo(f"{'':<22}{r.title}")


@app.command()
@clean_errors
def warnings(db: Optional[str] = DbOption,
             format: str = typer.Option("text", "--format", help="text, csv or json"),
             language: Optional[str] = LangOption):
    """Parse warnings: what the parser repaired or could not understand, with line numbers."""
    from model.queries import get_law, list_warnings
    with _session(db) as s:
        law = get_law(session=s)
        _check_language(s, law.id, language)
        rows = [{"line": w.line, "severity": w.severity, "reason": w.reason, "text": w.text}
                for w in list_warnings(session=s, law_id=law.id, language=language)]
    if format == "text":
        for r in rows:
            where = re.match(r"^(\S+\.md:\d+): ", r["text"] or "")  # a mirror edition: the part file and its line
            place = where.group(1) if where else f"line {r['line']:>5}"
            typer.echo(f"{place}  {r['severity']:<9} {r['reason']}")
        typer.echo(f"{len(rows)} warning(s)")
    else:
        _write_rows(rows, ["line", "severity", "reason", "text"], format)


@app.command()
@clean_errors
def reconcile(format: str = typer.Option("text", "--format", help="text, csv or json"),
              on: Optional[str] = typer.Option(None, "--on", help="compare the languages' statuses on this date "
                                               "(YYYY-MM-DD; default: the newest edition date)"),
              db: Optional[str] = DbOption):
    """Where the official Russian text and the English translation disagree, and silent changes between editions."""
    from model.queries import get_law
    from model.reconcile import COLUMNS, KINDS, finding_row
    from model.reconcile import reconcile as run_reconcile
    _fmt(format, ("text", "csv", "json"))
    day = _parse_day(on, "--on") if on else None
    with _session(db) as s:
        law = get_law(session=s)
        result = run_reconcile(session=s, law_id=law.id, on=day)
    rows = [finding_row(f) for f in result.findings]
    if format != "text":
        _write_rows(rows, COLUMNS, format)
        return
    typer.echo(f"Law № {law.number}: editions {', '.join(result.editions)}; languages compared on "
               f"{result.on or 'their final state'}")
    if not any(e.startswith("rus ") for e in result.editions) or not any(e.startswith("eng ") for e in result.editions):
        typer.echo("  (only one language ingested: run `lawtrack ingest` for the English text and "
                   "`lawtrack ingest DIR` for the Russian one to compare them)")
    for kind in KINDS:
        found = [f for f in result.findings if f.kind == kind]
        if not found:
            continue
        typer.echo(f"{kind.replace('_', ' ')}: {len(found)}")
        for f in found:
            dates = ", ".join(d.isoformat() if d else "?" for d in f.dates)
            typer.echo(f"  {f.label:<28} {f.detail}  [{' / '.join(f.sources)}; {dates}]")
            for ev in f.evidence:
                ev = " ".join(ev.split())
                typer.echo(f"      {ev[:220]}{'…' if len(ev) > 220 else ''}")
    counts = ", ".join(f"{k.replace('_', ' ')} {result.count(k)}" for k in KINDS)
    typer.echo(f"{len(result.findings)} finding(s): {counts}")


def _fmt(fmt: str, allowed: tuple[str, ...]) -> str:
    if fmt not in allowed:
        fail(f"--format must be one of {', '.join(allowed)}, not {fmt!r}")
    return fmt


_STATUS = {"in_force": "in force", "excluded": "EXCLUDED", "not_yet_inserted": "not yet inserted",
           "not_yet_in_force": "not yet in force", "uncertain": "UNCERTAIN"}


@app.command()
@clean_errors
def asof(day: str = typer.Argument(..., metavar="DATE", help="YYYY-MM-DD"),
         unit: Optional[str] = typer.Option(None, "--unit", help="a unit id, e.g. art_7 or art_1__subpara_8"),
         format: str = typer.Option("text", "--format", help="text, json or md"),
         db: Optional[str] = DbOption, language: Optional[str] = LangOption):
    """The law (or one unit's subtree) as in force on DATE, with status and wording confidence.

    With the official Russian text ingested, statuses follow it; each unit says whether the English
    translation agrees. --language chooses the wording shown."""
    from model.exports import asof_markdown, asof_records, to_json
    from model.pointintime import as_of
    _fmt(format, ("text", "json", "md"))
    on = _parse_day(day, "DATE")
    with _session(db) as s:
        _check_language(s, None, language)
        try:
            states = as_of(session=s, on=on, unit=unit, language=language)
        except LookupError as err:
            fail(str(err).strip("'\""))
        from model.queries import get_law
        law = get_law(session=s)
    if format == "json":
        typer.echo(to_json(asof_records(states, on)))
        return
    if format == "md":
        typer.echo(asof_markdown(states, on, f"Law № {law.number} {law.title}"))
        return
    both = any(x.agreement for x in states)
    shown = Counter(x.language for x in states).most_common(1)[0][0] if states else "eng"
    if both:
        typer.echo(f"Law № {law.number} \"{law.title}\" as of {on}: status from the official Russian text "
                   f"({next((x.status_from for x in states if x.agreement != 'translation_only'), '')}); "
                   f"wording from the {_LANGUAGES.get(shown, shown)}")
        agree = Counter(x.agreement for x in states if x.kind != "heading")
        typer.echo("  translation: " + ", ".join(f"{_AGREE[k]} {v}" for k, v in agree.items()))
    else:
        typer.echo(f"Law № {law.number} \"{law.title}\" as of {on} ({_LANGUAGES.get(shown, shown)})")
    counts = Counter(x.status for x in states)
    typer.echo("  " + ", ".join(f"{_STATUS[k]} {v}" for k, v in counts.items()))
    for x in states:
        if x.kind == "heading":
            continue
        pad = "  " * x.depth
        tag = _STATUS[x.status] + (f", {x.certainty}" if x.certainty and x.certainty != "certain" else "") + \
            (f", wording {x.confidence}" if x.confidence else "")
        if both:
            tag += (f", {x.language}" if x.language != shown else "") + f"; translation {_AGREE[x.agreement]}"
        text = (x.text or "(wording not in the sources)").replace("\n", " ")
        if x.kind in ("section", "chapter", "article"):
            typer.echo(f"{pad}{text if x.present else x.label}  [{tag}]")
        else:
            typer.echo(f"{pad}{x.label}: {text}  [{tag}]")
        if x.confidence in ("later_amended", "unknown") or x.status in ("uncertain", "excluded"):
            typer.echo(f"{pad}    ↳ {x.basis}")
        if both and x.agreement not in ("agrees",):
            typer.echo(f"{pad}    ≠ {x.agreement_note}")


_AGREE = {"agrees": "agrees", "notes_differ": "notes differ", "differs": "DIFFERS",
          "official_only": "missing", "translation_only": "only in the translation"}


def _diff_text(diff) -> str:
    """A word diff for the terminal: unchanged words plain, [-deleted] and [+inserted] in brackets."""
    return " ".join(t if op == "=" else f"[{op}{t}]" for op, t in diff)


def _print_changes(rows, header: str) -> None:
    typer.echo(header)
    for r in rows:
        typer.echo(f"  {str(r.effective_date or '?'):<10} {r.label:<34} {r.summary}")
        if r.diff:
            typer.echo("      " + _diff_text(r.diff))
        elif r.new_wording and r.kind != "excluded":
            typer.echo(f"      now: {r.new_wording[:200]}")


@app.command()
@clean_errors
def compare(d1: str = typer.Argument(..., metavar="D1"), d2: str = typer.Argument(..., metavar="D2"),
            format: str = typer.Option("text", "--format", help="text, json or md"),
            db: Optional[str] = DbOption, language: Optional[str] = LangOption):
    """Units inserted, excluded and amended between D1 and D2 (changes in force after D1, up to D2)."""
    from model.changes import compare as compare_dates
    from model.exports import changelog_markdown, comparison_records, to_json
    _fmt(format, ("text", "json", "md"))
    a, b = _parse_day(d1, "D1"), _parse_day(d2, "D2")
    with _session(db) as s:
        _check_language(s, None, language)
        cmp = compare_dates(session=s, d1=a, d2=b, language=language)
    if format == "json":
        typer.echo(to_json(comparison_records(cmp)))
    elif format == "md":
        typer.echo(changelog_markdown(cmp.changes, f"Changes in force after {a} up to {b}"))
    else:
        _print_changes(cmp.changes, f"{len(cmp.changes)} change(s) in force after {a} up to {b}:")
        if cmp.wording_changes:
            typer.echo(f"{len(cmp.wording_changes)} unit(s) with the wording known on both dates differ:")
            for w in cmp.wording_changes:
                typer.echo(f"  {w.label:<34} {w.classification} ({w.old_source} → {w.new_source})")
                typer.echo("      " + _diff_text(w.diff))
        if cmp.status_changes:
            typer.echo(f"{len(cmp.status_changes)} unit(s) changed status:")
            for sc in cmp.status_changes:
                typer.echo(f"  {sc.label:<34} {_STATUS[sc.before.status]} → {_STATUS[sc.after.status]}")


@app.command()
@clean_errors
def effects(law_number: str = typer.Argument(..., metavar="LAW_NUMBER", help="e.g. 141-VII"),
            db: Optional[str] = DbOption, language: Optional[str] = LangOption):
    """Every unit an amending law touched, how, and from when."""
    from model.changes import effects as law_effects
    with _session(db) as s:
        _check_language(s, None, language)
        rows = law_effects(session=s, law_number=law_number.replace("№", "").strip(), language=language)
    title = f" — {rows[0].law_title}" if rows and rows[0].law_title else ""
    _print_changes(rows, f"Law № {law_number}{title}: {len(rows)} effect(s)")


@app.command()
@clean_errors
def history(unit_id: str = typer.Argument(..., metavar="UNIT_ID", help="e.g. art_7-1__subpara_3"),
            db: Optional[str] = DbOption, language: Optional[str] = LangOption):
    """Every law that touched a unit, and every dated wording of it."""
    from model.changes import history as unit_history
    with _session(db) as s:
        _check_language(s, None, language)
        h = unit_history(session=s, unit_id=unit_id, language=language)
    typer.echo(f"{h.long_label} ({h.unit_id})")
    typer.echo(f"  existence: {h.basis}")
    _print_changes(h.events, f"notes on this unit: {len(h.events)}")
    _print_changes(h.context_events, f"notes on its article/paragraph that may have touched it: {len(h.context_events)}")
    typer.echo(f"dated wordings: {len(h.versions)}")
    for v in h.versions:
        text = (v.text or "(not in the sources)").replace("\n", " ")[:160]
        typer.echo(f"  [{v.valid_from or '…'} – {v.valid_to or '…'}) {v.status}, {v.confidence}: {text}")


@app.command()
@clean_errors
def changelog(date_from: Optional[str] = typer.Option(None, "--from", help="first effective date (inclusive)"),
              date_to: Optional[str] = typer.Option(None, "--to", help="last effective date (inclusive)"),
              article: Optional[str] = typer.Option(None, "--article", help="e.g. 7-1"),
              law: Optional[str] = typer.Option(None, "--law", help="amending law number, e.g. 141-VII"),
              kind: Optional[str] = typer.Option(None, "--kind", help="inserted, amended, new_wording or excluded"),
              format: str = typer.Option(..., "--format", help="csv, json, md or akn"),
              db: Optional[str] = DbOption, language: Optional[str] = LangOption):
    """The change log: one row per unit × event, with dates, laws, notes and wordings where known."""
    from model.changes import changelog as change_log
    from model.exports import CHANGELOG_COLUMNS, changelog_markdown, changelog_records, to_csv, to_json
    _fmt(format, ("csv", "json", "md", "akn"))
    a = _parse_day(date_from, "--from") if date_from else None
    b = _parse_day(date_to, "--to") if date_to else None
    with _session(db) as s:
        _check_language(s, None, language)
        rows = change_log(session=s, date_from=a, date_to=b, article=article, law=law, kind=kind, language=language)
        if format == "akn":
            from model.akn import akn_document
            from model.pointintime import law_index
            idx = law_index(session=s, language=language)
            wanted = {r.event_id for r in rows}
            on = b or idx.last_change or date.today()
            sys.stdout.write(akn_document(session=s, on=on, events=[e for e in idx.events if e.id in wanted],
                                          language=language).decode("utf-8"))
            return
    if format == "csv":
        sys.stdout.write(to_csv(changelog_records(rows), CHANGELOG_COLUMNS))
    elif format == "json":
        typer.echo(to_json(changelog_records(rows)))
    else:
        typer.echo(changelog_markdown(rows, "Change log of Law № 418-V"))


# --- dated witnesses -----------------------------------------------------------------------------
witness_app = typer.Typer(no_args_is_help=True,
                          help="Dated witnesses: documents that quote the law as worded on a date.")
app.add_typer(witness_app, name="witness")
COE_PROFILE = str(Path(__file__).resolve().parent.parent / "fixtures" / "coe_cybercrime_profile_kz_2020-05-01.txt")
COE_DATE = date(2020, 5, 1)
COE_SOURCE = "Council of Europe cybercrime legislation profile of Kazakhstan, version 01 May 2020"


@witness_app.command("add")
@clean_errors
def witness_add(file: str = typer.Argument(..., metavar="FILE", help="the witness text (UTF-8; HTML cells or markdown)"),
                day: str = typer.Option(..., "--date", help="the date its wording is known on (YYYY-MM-DD)"),
                source: str = typer.Option(..., "--source", help="what the document is"),
                db: Optional[str] = DbOption):
    """Store a witness: match its quotations to units and record how they differ from today's text."""
    from ingest.load_witness import load_witness
    on = _parse_day(day, "--date")
    typer.echo(f"reading {file}", err=True)
    res = load_witness(make_engine(db), path=file, known_on=on, source_description=source, progress=progress)
    state = "unchanged (already stored)" if res.unchanged else "stored"
    typer.echo(f"{Path(file).name}: {state}; wording known on {res.known_on}")
    typer.echo(f"  quotations: {res.quotations} (matched {res.matched}, rejected {res.rejected})")
    typer.echo(f"  wordings stored: {res.versions}; differing from today's text: {res.text_changes}"
               " — see `lawtrack witnesses`")


@app.command()
@clean_errors
def witnesses(db: Optional[str] = DbOption):
    """Every quotation of every witness: the unit it matched (and how today's wording differs) or why not."""
    from sqlmodel import select

    from model import tables as t
    from model.labels import short_label
    from model.queries import get_law
    from model.witnesses import list_text_changes, list_witness_matches
    with _session(db) as s:
        law = get_law(session=s)
        matches = list_witness_matches(session=s, law_id=law.id)
        changes = {(c.eid, c.older_source_id): c for c in list_text_changes(session=s, law_id=law.id)}
        sources = {x.id: x for x in s.exec(select(t.Source).where(t.Source.kind == "witness"))}
    if not matches:
        typer.echo("no witness stored yet: run `lawtrack witness add FILE --date D --source …`")
        return
    typer.echo(f"{'known on':<10}  {'unit':<22} {'sim':>4}  {'status':<8}  reason")
    for m in matches:
        sim = f"{m.similarity:.2f}" if m.similarity is not None else "—"
        unit = short_label(m.eid) if m.eid else f"({m.quoted_number})"
        typer.echo(f"{m.known_on}  {unit:<22} {sim:>4}  {m.status if m.status == 'matched' else 'REJECTED':<8}  {m.reason}")
        c = changes.get((m.eid, m.source_id)) if m.eid else None
        if c is not None:
            diff = json.loads(c.diff)
            typer.echo(f"{'':<12}↳ {c.classification} difference from today: "
                       + _diff_text(diff))
        elif m.eid:
            typer.echo(f"{'':<12}↳ same as today")
    kinds = Counter(c.classification for c in changes.values())
    typer.echo(f"{len(matches)} quotation(s) from {len(sources)} witness(es): "
               f"{sum(m.status == 'matched' for m in matches)} matched, "
               f"{sum(m.status == 'rejected' for m in matches)} rejected; {len(changes)} differ from today's "
               f"wording ({kinds.get('substantive', 0)} substantive, {kinds.get('translation', 0)} translation)")
    for x in sources.values():
        typer.echo(f"  witness {x.name}: {x.description} (known on {x.edition_date})")


def main() -> None:
    app()


@app.command()
@clean_errors
def serve(db: Optional[str] = DbOption,
          port: int = typer.Option(8501, "--port", help="port to serve on"),
          address: str = typer.Option("127.0.0.1", "--address", help="address to bind")):
    """Build the database from the fixtures if it is missing (the English text, the official Russian text and
    the 2020 Council of Europe quotations), then run the dashboard."""
    import os
    import subprocess

    from sqlalchemy import inspect

    url = database_url(db)
    engine = make_engine(url)
    if not inspect(engine).has_table("law"):
        typer.echo(f"no data in {_safe_url(url)}: building it from the fixture", err=True)
        from ingest.load import load_parsed
        from ingest.parse import parse_law
        from ingest.source import read_source
        amending = read_amending_laws(LAWS_CSV)
        load_parsed(engine, parse_law(read_source(FIXTURE), amending), progress=progress)
        from ingest.mirror import read_act_dir
        from ingest.parse_ru import parse_law_ru
        act = read_act_dir(RUSSIAN_FIXTURE)
        load_parsed(engine, parse_law_ru(act, amending, number="418-V"), edition_date=act.edition_date,
                    progress=progress)
        from ingest.load_witness import load_witness
        load_witness(engine, path=COE_PROFILE, known_on=COE_DATE, source_description=COE_SOURCE, progress=progress)
    app_path = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
    env = dict(os.environ, LAWTRACK_DB=url)
    typer.echo(f"dashboard: http://{address}:{port}", err=True)
    cmd = [sys.executable, "-m", "streamlit", "run", str(app_path), "--server.port", str(port),
           "--server.address", address, "--server.headless", "true",
           "--browser.gatherUsageStats", "false"]
    try:
        raise typer.Exit(subprocess.call(cmd, env=env))
    except KeyboardInterrupt:
        raise typer.Exit(0)
