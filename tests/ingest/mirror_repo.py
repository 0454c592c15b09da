"""A small, clearly synthetic git history of the mirror, built from the fixture for the tests.

Commit 1, "older edition (SYNTHETIC)", dated 2025-11-01, at the mirror's older layout
``03-laws/2015/1124-o-kiberbezopasnosti-95699/``; it differs from the real edition in three places,
each marked in the text as synthetic where it is wording:
- ``rus/sec001.md:170``: subparagraph 43-1) of Article 1 is not yet excluded (a synthetic wording);
- ``rus/sec001-ch002-part001.md:42``: the note of Article 5 is shorter — it lacks Law № 141-VII;
- ``rus/sec001.md:244``: subparagraph 62-1) spells "оборудование" where the real text has the slip
  "обрудование" (a wording change no note explains);
- its front matter ``source:`` has no date, so the edition is dated by the commit (2025-11-01).
Commit 2, "edition of 18.01.2026": the act moved to ``03-laws/20151124-o-kiberbezopasnosti-95699/``
(``git mv``) and holds the fixture byte for byte.
Commit 3 adds ``rus/README.txt``, which no table links: the Russian text is unchanged.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ACT = ROOT / "fixtures" / "kazakhstan-law-codes" / "03-laws" / "20151124-o-kiberbezopasnosti-95699"
OLD_PATH = "03-laws/2015/1124-o-kiberbezopasnosti-95699"
NEW_PATH = "03-laws/20151124-o-kiberbezopasnosti-95699"
SYNTHETIC_43_1 = "43-1) СИНТЕТИЧЕСКАЯ РЕДАКЦИЯ ДЛЯ ТЕСТА: подпункт еще не исключен;"
ART5_SHORT = ("> *Сноска. Статья 5 с изменением, внесенным Законом РК от 27.12.2021 № 87-VII (вводится в действие "
              "по истечении десяти календарных дней после дня его первого официального опубликования).*")


def _git(repo: Path, *args: str, date: str | None = None) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="lawtrack tests", GIT_AUTHOR_EMAIL="tests@example.invalid",
               GIT_COMMITTER_NAME="lawtrack tests", GIT_COMMITTER_EMAIL="tests@example.invalid",
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def _edit(path: Path, line: int, new: str) -> str:
    lines = path.read_bytes().decode("utf-8").split("\n")
    old = lines[line - 1]
    lines[line - 1] = new
    path.write_bytes("\n".join(lines).encode("utf-8"))
    return old


def build_repo(where: Path) -> Path:
    """Create the synthetic clone under ``where`` and return its path."""
    repo = where / "codes"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    old = repo / OLD_PATH
    shutil.copytree(ACT, old)
    for f in [old / "rus.md", *sorted((old / "rus").glob("*.md"))]:
        f.chmod(0o644)
        f.write_bytes(f.read_bytes().replace(b"/doc/95699/rus/18.01.2026", b"/doc/95699/rus"))
    assert _edit(old / "rus" / "sec001.md", 170, SYNTHETIC_43_1).startswith("*43-1) исключен")
    assert _edit(old / "rus" / "sec001-ch002-part001.md", 42, ART5_SHORT).startswith("> *Сноска. Статья 5")
    sec001 = old / "rus" / "sec001.md"
    sec001.write_bytes(sec001.read_bytes().replace("обрудование".encode(), "оборудование".encode()))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "older edition (SYNTHETIC, for tests)", date="2025-11-01T12:00:00+05:00")
    (repo / NEW_PATH).parent.mkdir(parents=True, exist_ok=True)
    _git(repo, "mv", OLD_PATH, NEW_PATH)
    new = repo / NEW_PATH
    for f in [new / "rus.md", *sorted((new / "rus").glob("*.md"))]:
        f.write_bytes((ACT / f.relative_to(new)).read_bytes())
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "edition of 18.01.2026 (the fixture)", date="2026-01-18T12:00:00+05:00")
    (new / "rus" / "README.txt").write_text("not part of the text\n", encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "a file no table links", date="2026-01-20T12:00:00+05:00")
    return repo


@functools.lru_cache(maxsize=1)
def russian_parsed():
    """The fixture's Russian edition, parsed once per test session."""
    from ingest.amending_laws import read_amending_laws
    from ingest.mirror import read_act_dir
    from ingest.parse_ru import parse_law_ru
    return parse_law_ru(read_act_dir(str(ACT)), read_amending_laws(), number="418-V")
