"""Every edition of an act in a clone of the mirror: its git history, one commit per edition.

The mirror commits one edition per commit, so the working tree at any commit is the act as it stood
then. ``read_history(clone, act_path)`` walks ``git log --follow`` on ``<act_path>/rus.md`` (the act
directory may have been renamed: each commit is read at the path it had then), adds the commits that
changed only parts (``<act_path>/rus/``), and reads each commit's edition with ``mirror.read_act``.
After it returns:

1. editions are oldest first; each carries its commit, its edition date (from the front matter's
   ``source:`` URL, else the commit's author date — ``date_basis`` says which) and the ``ActText``;
2. a commit whose Russian text is byte-identical to the edition before it is left out and named in
   ``skipped`` (it changed something else, e.g. ``kaz.md``);
3. a commit at which the act cannot be read (deleted, not UTF-8, a part missing) is named in
   ``skipped`` with the reason; the walk goes on.

Errors: ``IngestError`` when ``clone`` is not a git work tree, git is missing, or the path has no
history at all.
"""
from __future__ import annotations

import dataclasses
import os
import posixpath
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, datetime

from ingest.errors import IngestError
from ingest.mirror import ActText, read_act

_TIMEOUT = 120


@dataclass(frozen=True)
class Edition:
    commit: str
    committed: datetime      # the commit's author date
    subject: str             # the commit message's first line (the mirror names the amending act)
    path: str                # the act directory at this commit
    edition_date: date
    date_basis: str          # "front matter" | "commit date"
    act: ActText


@dataclass(frozen=True)
class History:
    editions: tuple[Edition, ...]
    skipped: tuple[tuple[str, str], ...]  # (commit, why)


def _git(clone: str, *args: str) -> bytes:
    if shutil.which("git") is None:
        raise IngestError("git is not installed; ingest-git needs it", clone)
    try:
        r = subprocess.run(["git", "-C", clone, *args], capture_output=True, timeout=_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise IngestError(f"git {args[0]} took longer than {_TIMEOUT} s", clone) from None
    if r.returncode != 0:
        msg = r.stderr.decode("utf-8", "replace").strip().splitlines()
        raise IngestError(f"git {args[0]} failed: {msg[0] if msg else r.returncode}", clone)
    return r.stdout


def _log(clone: str, *args: str) -> list[tuple[str, str, str, list[str]]]:
    """(commit, author date, subject, paths) per commit, newest first."""
    out = _git(clone, "log", "--format=%x00%H%x09%aI%x09%s", "--name-only", *args).decode("utf-8", "replace")
    rows = []
    for chunk in out.split("\x00")[1:]:
        head, _, rest = chunk.partition("\n")
        commit, committed, subject = (head.split("\t", 2) + ["", ""])[:3]
        rows.append((commit, committed, subject, [p for p in rest.splitlines() if p.strip()]))
    return rows


def read_history(clone: str, act_path: str, *, language: str = "rus") -> History:
    """Every edition of the act at ``act_path`` (relative to the clone), oldest first."""
    if not os.path.isdir(clone):
        raise IngestError("no such directory", clone)
    top = _git(clone, "rev-parse", "--show-toplevel").decode().strip()
    act_path = posixpath.normpath(act_path.strip("/").replace(os.sep, "/"))
    main = f"{language}.md"
    follow = _log(top, "--follow", "--", f"{act_path}/{main}")
    if not follow:
        raise IngestError(f"no history of {act_path}/{main} in this clone (is --act the act's directory?)", top)
    path_at = {c: posixpath.dirname(next((p for p in paths if p.endswith("/" + main)), f"{act_path}/{main}"))
               for c, _, _, paths in follow}
    parts_only = _log(top, "--", f"{act_path}/{main}", f"{act_path}/{language}/")
    rows = {c: (when, subject) for c, when, subject, _ in follow + parts_only}
    for c, _, _, _ in parts_only:
        path_at.setdefault(c, act_path)
    rank = {c: i for i, (c, _, _, _) in enumerate(parts_only + follow)}  # git log order: newest first
    order = sorted(rows, key=lambda c: (datetime.fromisoformat(rows[c][0]), -rank[c]))
    editions: list[Edition] = []
    skipped: list[tuple[str, str]] = []
    for commit in order:
        when, subject = rows[commit]
        path = path_at[commit]
        try:
            act = _read_at(top, commit, path, language)
        except IngestError as err:
            skipped.append((commit, err.what))
            continue
        if editions and editions[-1].act.source.sha256 == act.source.sha256:
            skipped.append((commit, f"the {main} text is the same as at {editions[-1].commit[:10]}"))
            continue
        committed = datetime.fromisoformat(when)
        ed, basis = (act.edition_date, "front matter") if act.edition_date else (committed.date(), "commit date")
        source = dataclasses.replace(act.source, name=f"{act.act}/{main}@{commit[:10]}",
                                     path=f"{top}@{commit[:10]}:{path}")
        editions.append(Edition(commit, committed, subject, path, ed, basis, dataclasses.replace(act, source=source)))
    return History(tuple(editions), tuple(skipped))


def _read_at(top: str, commit: str, path: str, language: str) -> ActText:
    """The edition at ``commit``: files read with ``git show``, parts listed with ``git ls-tree``."""
    def read(name: str) -> bytes | None:
        r = subprocess.run(["git", "-C", top, "show", f"{commit}:{path}/{name}"], capture_output=True,
                           timeout=_TIMEOUT)
        return r.stdout if r.returncode == 0 else None

    has_parts = subprocess.run(["git", "-C", top, "cat-file", "-e", f"{commit}:{path}/{language}"],
                               capture_output=True, timeout=_TIMEOUT).returncode == 0

    def listing() -> list[str]:
        if not has_parts:  # a small act: the whole text is in rus.md
            return []
        out = _git(top, "ls-tree", "--name-only", f"{commit}:{path}/{language}")
        return [f"{language}/{n}" for n in out.decode("utf-8", "replace").splitlines() if n.endswith(".md")]

    return read_act(path, read, listing, language=language, origin=f"{commit[:10]}:{path}")
