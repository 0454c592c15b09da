"""The layout of the public git mirror of Kazakh legislation (``kazakhstan-law/codes``): one act, one edition.

An act is a directory such as ``03-laws/20151124-o-kiberbezopasnosti-95699/`` holding ``rus.md`` (and
``kaz.md``). Each file opens with YAML front matter whose ``source:`` links the edition on the official
portal; the URL ends with the edition date (``…/doc/95699/rus/18.01.2026``). A large document is split:
``rus.md`` is then the title, the preamble and a table of contents ("## Части документа") linking the
parts ``rus/secNNN….md`` in the order of the text; each part has its own front matter.

``read_act_dir(path)`` (a directory) and ``read_act(name, read, listing)`` (any store, e.g. a git
commit) read one edition. After they return, the following are guaranteed:

1. every file was valid UTF-8 without NUL bytes, and every part the table of contents links exists;
2. ``source.lines`` is ``rus.md`` followed by every part in the order of the table, one line for one
   line, numbered from 1; ``where(line)`` names the file and its own line (``rus/sec001.md:57``);
3. ``apparatus`` holds the lines that belong to the mirror, not to the law: front matter blocks and the
   table of contents section;
4. ``source.sha256`` depends on the names and bytes of the files in text order, so the same edition
   read from a directory or from a commit is the same source (``load_parsed`` stays idempotent);
5. a part file not linked from the table is reported in ``warnings``, never read silently.
"""
from __future__ import annotations

import hashlib
import os
import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from typing import Callable

from ingest.errors import IngestError, ParseWarning
from ingest.source import MAX_BYTES, SourceText, decode_text

_FRONT_FENCE = "---"
_TOC_HEADING = re.compile(r"^#{1,6}\s+Части документа\s*$")
_TOC_LINK = re.compile(r"\]\(((?:rus|kaz|eng)/[^)\s]+\.md)\)")
_EDITION_URL = re.compile(r"/(rus|kaz|eng)/(\d{2})\.(\d{2})\.(\d{4})\s*$")
_ACT_DATE = re.compile(r"(?:^|/)(\d{4})/?(\d{2})(\d{2})-[^/]*$")
_ARTICLE = re.compile(r"^\s*#*\s*Статья\s+\d+(?:-\d+)*\.", re.M)


@dataclass(frozen=True)
class Part:
    """One file of an edition and the global lines it occupies: ``[first, first + count)``."""

    name: str   # relative to the act directory: "rus.md", "rus/sec001.md"
    first: int
    count: int


@dataclass(frozen=True)
class ActText:
    """One edition of one act in one language, as the mirror lays it out."""

    act: str                    # the act directory's name, e.g. "20151124-o-kiberbezopasnosti-95699"
    language: str               # "rus" (official) or "kaz"
    source: SourceText          # all files concatenated in text order
    parts: tuple[Part, ...]
    apparatus: frozenset[int]   # global lines that are mirror layout, not law text
    front: dict[str, str]       # front matter of the main file
    portal_url: str | None
    edition_date: date | None   # from the portal URL (None if the URL carries no date)
    act_date: date | None       # from the directory name (YYYYMMDD-…)
    warnings: tuple[ParseWarning, ...]

    def where(self, line: int) -> str:
        """``rus/sec001.md:57`` for a global line number (``?`` outside the text)."""
        starts = [p.first for p in self.parts]
        i = bisect_right(starts, line) - 1
        if i < 0 or line >= self.parts[i].first + self.parts[i].count:
            return f"?:{line}"
        return f"{self.parts[i].name}:{line - self.parts[i].first + 1}"


def edition_date_of(url: str | None) -> date | None:
    """The edition date at the end of a portal URL (``…/rus/18.01.2026`` -> 2026-01-18), else None."""
    m = _EDITION_URL.search(url or "")
    return _date(m.group(4), m.group(3), m.group(2)) if m else None


def act_date_of(act: str) -> date | None:
    """The act's own date from its directory: ``20151124-o-…`` or the older layout ``2015/1124-o-…``.

    >>> act_date_of("03-laws/20151124-o-kiberbezopasnosti-95699"), act_date_of("03-laws/2015/1124-o-x")
    (datetime.date(2015, 11, 24), datetime.date(2015, 11, 24))
    """
    m = _ACT_DATE.search(act)
    return _date(m.group(1), m.group(2), m.group(3)) if m else None


def _date(year: str, month: str, day: str) -> date | None:
    """The date, or None when there is no such day (31.02)."""
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _lines(data: bytes, name: str) -> list[str]:
    """A file's lines (``source.decode_text``: UTF-8, no NUL); the final newline does not start a line."""
    if len(data) > MAX_BYTES:
        raise IngestError(f"file is over {MAX_BYTES // (1024 * 1024)} MB", name)
    lines = list(decode_text(data, name).lines)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """``key: value`` pairs of a leading ``---`` block and the number of lines it takes (0: none)."""
    if not lines or lines[0].strip() != _FRONT_FENCE:
        return {}, 0
    out: dict[str, str] = {}
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == _FRONT_FENCE:
            return out, i + 1
        key, sep, value = line.partition(":")
        if sep:
            out[key.strip()] = value.strip().strip("'\"")
    return {}, 0  # an unclosed block is text, not front matter


def read_act(act_path: str, read: Callable[[str], bytes | None], listing: Callable[[], list[str]],
             *, language: str = "rus", origin: str | None = None) -> ActText:
    """Read one edition from any store: ``read(name)`` gives a file's bytes (None if absent),
    ``listing()`` the part files present (``rus/….md``). ``act_path`` is the act's directory (its last
    component names the act; the path may carry its date); ``origin`` names the store in errors."""
    act_path = act_path.replace(os.sep, "/").rstrip("/")
    act = act_path.rsplit("/", 1)[-1]
    origin = origin or act_path
    main = f"{language}.md"
    data = read(main)
    if data is None:
        raise IngestError(f"no {main}: not an act directory of the mirror", origin)
    main_lines = _lines(data, f"{origin}/{main}")
    front, _ = _front_matter(main_lines)
    links: list[str] = []
    toc_from = None
    for i, line in enumerate(main_lines):
        if toc_from is None and _TOC_HEADING.match(line):
            toc_from = i
        if toc_from is not None:
            links += [m.group(1) for m in _TOC_LINK.finditer(line)]
    files: list[tuple[str, bytes, list[str]]] = [(main, data, main_lines)]
    warnings: list[ParseWarning] = []
    seen: set[str] = set()
    for name in links:
        if name in seen:
            continue
        seen.add(name)
        part = read(name)
        if part is None:
            raise IngestError(f"the table of contents links {name}, which is missing", f"{origin}/{main}")
        files.append((name, part, _lines(part, f"{origin}/{name}")))
    parts: list[Part] = []
    apparatus: set[int] = set()
    all_lines: list[str] = []
    digest = hashlib.sha256()
    for name, raw, lines in files:
        first = len(all_lines) + 1
        parts.append(Part(name, first, len(lines)))
        digest.update(name.encode() + b"\0" + raw + b"\0")
        _, n = _front_matter(lines)
        apparatus.update(range(first, first + n))
        all_lines.extend(lines)
    if toc_from is not None:
        apparatus.update(range(toc_from + 1, len(main_lines) + 1))
    for name in sorted(set(listing()) - seen):
        warnings.append(ParseWarning(0, name, f"{name} is not linked from the table of contents of {main}; "
                                     "not read"))
    if not _ARTICLE.search("\n".join(all_lines)):
        raise IngestError('not a law text: no "Статья N." heading in the edition', origin)
    url = front.get("source")
    total = sum(len(raw) for _, raw, _ in files)
    name = f"{act}/{main}"
    source = SourceText(path=origin, name=name, sha256=digest.hexdigest(), size=total, lines=tuple(all_lines))
    return ActText(act=act, language=language, source=source, parts=tuple(parts),
                   apparatus=frozenset(apparatus), front=front, portal_url=url,
                   edition_date=edition_date_of(url), act_date=act_date_of(act_path), warnings=tuple(warnings))


def read_act_dir(path: str, *, language: str = "rus") -> ActText:
    """Read the edition an act directory holds (see the module guarantees)."""
    path = os.path.normpath(path)
    if not os.path.isdir(path):
        raise IngestError("no such directory" if not os.path.exists(path) else "not a directory", path)

    if not os.path.isfile(os.path.join(path, f"{language}.md")):
        raise IngestError(f"is a directory, not a law text file nor an act directory of the mirror "
                          f"(no {language}.md)", path)

    def read(name: str) -> bytes | None:
        full = os.path.join(path, *name.split("/"))
        if not os.path.isfile(full):
            return None
        try:
            with open(full, "rb") as fh:
                return fh.read()
        except OSError as err:
            raise IngestError(f"cannot read: {err.strerror}", full) from None

    def listing() -> list[str]:
        sub = os.path.join(path, language)
        if not os.path.isdir(sub):
            return []
        return [f"{language}/{n}" for n in sorted(os.listdir(sub)) if n.endswith(".md")]

    return read_act(path, read, listing, language=language, origin=path)
