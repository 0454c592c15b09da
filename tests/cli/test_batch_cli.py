"""`lawtrack ingest` of many files as a user meets it: one report per file and a total, all or nothing
(a bad file in the middle, Ctrl-C half way), parsing in worker processes or not."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_cli import ROOT, run

FIXTURE = ROOT / "fixtures" / "informatization_418-V_eng.txt"


@pytest.fixture(scope="module")
def laws(tmp_path_factory) -> list[Path]:
    """Six texts: the fixture under six law numbers (distinct laws)."""
    d = tmp_path_factory.mktemp("laws")
    text = FIXTURE.read_text(encoding="utf-8")
    out = []
    for n in range(6):
        p = d / f"law_{n}.txt"
        p.write_text(text.replace("№ 418-V.", f"№ {700 + n}-V.", 1), encoding="utf-8")
        out.append(p)
    return out


@pytest.mark.parametrize("jobs", ["0", "1"])
def test_many_files_one_report_each_and_a_total(tmp_path, laws, jobs):
    db = f"sqlite:///{tmp_path / 'm.db'}"
    r = run("ingest", *map(str, laws[:3]), "--jobs", jobs, db=db)
    assert r.returncode == 0, r.stderr
    assert [line for line in r.stdout.splitlines() if line.endswith(": stored")] == \
        ["law_0.txt: stored", "law_1.txt: stored", "law_2.txt: stored"]
    assert "law: On informatization № 701-V of 2015-11-24" in r.stdout
    assert r.stdout.splitlines()[-1] == "3 files: 3 stored, 0 unchanged (already ingested)"
    assert "in one transaction" in r.stderr and "storing law_2.txt (3/3)" in r.stderr
    again = run("ingest", *map(str, laws[1:4]), "--jobs", jobs, db=db)
    assert again.stdout.splitlines()[-1] == "3 files: 1 stored, 2 unchanged (already ingested)"
    listed = run("laws", db=db)
    assert listed.returncode == 0 and "141-VII" in listed.stdout


def test_a_bad_file_in_the_middle_stores_nothing(tmp_path, laws):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    db = tmp_path / "b.db"
    r = run("ingest", str(laws[0]), str(laws[1]), str(bad), str(laws[2]), db=f"sqlite:///{db}")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    last = r.stderr.splitlines()[-1]
    assert last == f"lawtrack: error: {bad}:1: binary data (NUL byte), not a text file (nothing was stored)"
    assert not db.exists() and not Path(f"{db}-wal").exists()


def test_ctrl_c_half_way_stores_nothing(tmp_path, laws):
    db = tmp_path / "c.db"
    env = {k: v for k, v in os.environ.items() if k != "LAWTRACK_DB"}
    p = subprocess.Popen([sys.executable, "-m", "lawtrack", "ingest", *map(str, laws), "--jobs", "1",
                          "--db", f"sqlite:///{db}"], cwd=ROOT, env=env, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen = []
    for line in p.stderr:  # after the second law is being stored, the first one is written (uncommitted)
        seen.append(line)
        if line.startswith("storing law_1.txt"):
            break
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    lines = (''.join(seen) + err).splitlines()
    assert p.returncode == 130, lines[-5:]
    assert lines[-1] == "lawtrack: interrupted" and "Traceback" not in err
    assert out == "" and not db.exists()
