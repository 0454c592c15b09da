"""The peer: the same law parsed by Laws.Africa's bluebell (bluebell-akn), in its own virtualenv.

- ``to_bluebell(text)``  the fixture's plain text in bluebell's markup (a small line-by-line conversion);
- ``peer_figures(…)``    bluebell's parse timed in a subprocess of ``/tmp/benchvenv`` (``bench/peer_worker.py``).

The conversion maps the text as lawtrack's own parser reads it, without using it:
``SECTION 1. X Chapter 1. Y`` → ``SECTION 1 - X`` and an indented ``CHAPTER 1 - Y``; ``Article 7-1. H`` →
``ARTICLE 7-1 - H``; ``1. text`` → ``PARA 1.`` with the text indented below; ``1) text`` → ``SUBPARA 1)``
(inside the current paragraph, if any). Other lines stay text lines of the current unit; lines before the
first heading go to ``PREFACE``/``PREAMBLE``. Characters bluebell reads as inline markup (``* / _ { \\``)
are escaped, and a line that starts with an upper-case word gets its first character escaped so that no
text line is read as a keyword.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from bench.measure import Figure, child

VENV = Path(os.environ.get("LAWTRACK_BENCH_VENV", "/tmp/benchvenv"))
WORKER = Path(__file__).resolve().parent / "peer_worker.py"

_SECTION = re.compile(r"^SECTION\s+(\d+)\.\s*(.*?)\s*$")
_CHAPTER_IN_SECTION = re.compile(r"^(.*?)\s+Chapter\s+(\d+)\.\s*(.*?)\s*$")
_CHAPTER = re.compile(r"^Chapter\s+(\d+)\.\s*(.*?)\s*$")
_ARTICLE = re.compile(r"^Article\s+(\d+(?:-\d+)*)\.\s*(.*?)\s*$")
_PARA = re.compile(r"^(\d+(?:-\d+)?)\.\s+(\S.*?)\s*$")
_SUBPARA = re.compile(r"^(\d+(?:-\d+)?)\)\s*(.*?)\s*$")
_INLINE = re.compile(r"([*/_{}\\\[\]])")
_KEYWORD_START = re.compile(r"^[A-Z]+\b")


def _esc(s: str) -> str:
    s = _INLINE.sub(r"\\\1", s)
    return "\\" + s if _KEYWORD_START.match(s) else s


def to_bluebell(text: str) -> str:
    """The law in bluebell markup (see the module docstring). Indentation: two spaces a level."""
    out: list[str] = []
    level = {"section": 0, "chapter": 0, "article": 0, "para": None}
    body = False
    content = 0  # indentation of text lines of the current unit
    front: list[str] = []

    def emit(indent: int, line: str) -> None:
        out.append("  " * indent + line)

    for raw in text.split("\n"):
        s = raw.strip()
        if not s:
            continue
        m = _SECTION.match(s)
        if m:
            if not body:
                body = True
                out.extend(["PREFACE", *map(_esc, front[:1]), "PREAMBLE", *map(_esc, front[1:]), "BODY"])
            title, chapter = m.group(2), None
            mc = _CHAPTER_IN_SECTION.match(title)
            if mc:
                title, chapter = mc.group(1), (mc.group(2), mc.group(3))
            emit(0, f"SECTION {m.group(1)} - {_esc(title)}")
            level.update(chapter=1, article=1, para=None)
            content = 1
            if chapter:
                emit(1, f"CHAPTER {chapter[0]} - {_esc(chapter[1])}")
                level.update(article=2)
                content = 2
            continue
        m = _CHAPTER.match(s)
        if m and body:
            emit(level["chapter"], f"CHAPTER {m.group(1)} - {_esc(m.group(2))}")
            level.update(article=level["chapter"] + 1, para=None)
            content = level["article"]
            continue
        m = _ARTICLE.match(s)
        if m and body:
            emit(level["article"], f"ARTICLE {m.group(1)} - {_esc(m.group(2))}")
            level["para"] = None
            content = level["article"] + 1
            continue
        if not body:
            front.append(s)
            continue
        m = _PARA.match(s)
        if m:
            level["para"] = level["article"] + 1
            emit(level["para"], f"PARA {m.group(1)}.")
            emit(level["para"] + 1, _esc(m.group(2)))
            content = level["para"] + 1
            continue
        m = _SUBPARA.match(s)
        if m:
            sub = (level["para"] if level["para"] is not None else level["article"]) + 1
            emit(sub, f"SUBPARA {m.group(1)})")
            emit(sub + 1, _esc(m.group(2)) if m.group(2) else "\\-")
            content = sub + 1
            continue
        emit(content, _esc(s))
    return "\n".join(out) + "\n"


def ensure_venv(log=lambda m: None) -> str | None:
    """Make ``/tmp/benchvenv`` with bluebell-akn if it is missing; an error message, or None."""
    py = VENV / "bin" / "python"
    if py.exists() and subprocess.run([str(py), "-c", "import bluebell.parser"], capture_output=True).returncode == 0:
        return None
    log(f"creating {VENV} with bluebell-akn (pip, from PyPI)")
    for cmd in (["python3", "-m", "venv", str(VENV)], [str(VENV / "bin" / "pip"), "install", "-q", "bluebell-akn"]):
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            return f"{' '.join(cmd)} failed: {(r.stderr or r.stdout).strip().splitlines()[-1:]}"
    return None


def peer_figures(law_text: str, workdir: Path, runs: int, ours_ingest_ms: float | None,
                 log=lambda m: None) -> list[Figure]:
    """bluebell's structure-only parse (and its XML) of the converted text, and our ingest's speed-up over it."""
    name = "peer: bluebell parse (structure only)"
    err = ensure_venv(log)
    if err:
        return [Figure(name, "ms", [], error=err)]
    src = workdir / "informatization_418-V.bluebell.txt"
    src.write_text(to_bluebell(law_text), encoding="utf-8")
    out = workdir / "peer.json"
    r = child([str(VENV / "bin" / "python"), str(WORKER), str(src), str(runs), str(out)])
    if r.returncode != 0:
        return [Figure(name, "ms", [], error=r.stderr.decode(errors="replace").strip()[-400:])]
    res = json.loads(out.read_text())
    parse = Figure(name, "ms", res["parse_ms"], peak_mb=r.max_rss_mb, memory_kind="rss",
                   note=f"bluebell-akn {res['version']}: pre_parse + PEG parse of {src.stat().st_size / 1e3:.0f} kB "
                        f"markup; {res['counts']}")
    xml = Figure("peer: bluebell parse + XML", "ms", res["xml_ms"], peak_mb=r.max_rss_mb, memory_kind="rss",
                 note="parse_to_xml (tree + Akoma Ntoso XML)")
    figs = [parse, xml]
    if ours_ingest_ms:
        ratio = [p / ours_ingest_ms for p in res["parse_ms"]]
        figs.append(Figure("peer speed-up: bluebell parse / our ingest", "x", ratio, target=3, higher_is_better=True,
                           note=f"our full ingest median {ours_ingest_ms:.0f} ms (same run)"))
    return figs


if __name__ == "__main__":  # print the converted fixture, e.g. to try it with bluebell's own CLI
    sys.stdout.write(to_bluebell(Path(sys.argv[1]).read_text(encoding="utf-8")))
