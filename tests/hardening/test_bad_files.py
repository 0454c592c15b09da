"""Bad files through the real CLI: one clear line on stderr, exit 2, no traceback, nothing written.

Every case runs ``python -m lawtrack ingest FILE --db sqlite:///…`` in a subprocess. "Nothing written"
means: the database file (and its -wal/-shm/-journal companions) does not appear, or — for a database
that already held the fixture — its snapshot (row counts and row checksums of every table) is unchanged.

Permission denied is real, not simulated: the tests run as root, whose CAP_DAC_OVERRIDE and
CAP_DAC_READ_SEARCH ignore file modes, so the child process drops those two capabilities from its
bounding set before exec (``prctl(PR_CAPBSET_DROP)``); it stays root for everything else. If the
container does not allow that, those cases skip and say so.
"""
from __future__ import annotations

import ctypes
import os
import resource
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.hardening.util import FIXTURE, error_lines, run_cli, snapshot

LAW_LINE = "Law of the Republic of Kazakhstan dated 24 November 2015 № 418-V."
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2


def _drop_dac() -> None:  # runs in the child between fork and exec
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _can_drop_dac(tmp_path: Path) -> bool:
    probe = tmp_path / "probe"
    probe.write_text("x")
    probe.chmod(0)
    try:
        r = run_cli("--help", preexec_fn=_drop_dac, timeout=30)  # the child can still start …
        c = subprocess.run([sys.executable, "-c", f"open({str(probe)!r}).read()"], preexec_fn=_drop_dac,
                           capture_output=True, text=True, timeout=30)  # … and is refused the file
        return r.returncode == 0 and "PermissionError" in c.stderr
    except (OSError, subprocess.SubprocessError):  # prctl refused (no CAP_SETPCAP): cannot make root feel file modes
        return False


def _db_files(db: Path) -> list[Path]:
    return [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")) if p.exists()]


def assert_clean_failure(r, *needles: str) -> str:
    """Exit 2, no traceback, exactly one ``lawtrack: error`` line and it is the last line; returns it."""
    assert r.returncode == 2, (r.returncode, r.stdout[-300:], r.stderr[-500:])
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    errors = error_lines(r.stderr)
    assert len(errors) == 1 and r.stderr.splitlines()[-1] == errors[0], r.stderr
    for n in needles:
        assert n in errors[0], (n, errors[0])
    assert "stored" not in r.stdout
    return errors[0]


# --- the bad files -------------------------------------------------------------------------------------
def _html(p: Path) -> None:
    body = "".join(f"<p>{line}</p>\n" for line in FIXTURE.read_text(encoding="utf-8").splitlines()[:200])
    p.write_text("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Law 418-V</title>"
                 "<script>var x = 1;</script></head>\n<body><div class=\"text\">\n" + body + "</div></body></html>\n",
                 encoding="utf-8")


def _big(p: Path) -> None:
    chunk = FIXTURE.read_bytes()
    with open(p, "wb") as fh:
        for _ in range((50 << 20) // len(chunk) + 1):
            fh.write(chunk)


def _no_law_line(p: Path) -> None:
    p.write_text(FIXTURE.read_text(encoding="utf-8").replace(LAW_LINE, "Some law."), encoding="utf-8")


CASES = {
    # name: (make the file at path p, what the error line must say)
    "empty": (lambda p: p.write_bytes(b""), ["file is empty"]),
    "only whitespace": (lambda p: p.write_bytes(b"\n \t\r\n\n"), ["file is empty"]),
    "binary with NUL": (lambda p: p.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 64), ["binary data", ":1:"]),
    "binary without NUL": (lambda p: p.write_bytes(b"\xff\xd8\xff\xe0JFIF" + bytes(range(128, 256)) * 64),
                           ["not UTF-8"]),
    "UTF-16 with BOM": (lambda p: p.write_bytes(FIXTURE.read_text(encoding="utf-8").encode("utf-16")), ["UTF-16"]),
    "UTF-16-LE without BOM": (lambda p: p.write_bytes(FIXTURE.read_text(encoding="utf-8").encode("utf-16-le")),
                              ["NUL"]),
    "cp1251": (lambda p: p.write_bytes(FIXTURE.read_text(encoding="utf-8").encode("cp1251", "replace")),
               ["not UTF-8 (byte 0xb9)", ":9:"]),  # "№" on the law line (line 9) is 0xB9 in cp1251
    "latin-1": (lambda p: p.write_bytes("Gesetz über Informatisierung\n".encode("latin-1")), ["not UTF-8", ":1:"]),
    "saved HTML page": (_html, ["looks like a saved HTML page"]),
    "50 MB": (_big, ["file is 50 MB", "at most 20 MB"]),
    "no articles": (lambda p: p.write_text(f"On informatization\n\n{LAW_LINE}\n\nThis Law regulates things.\n",
                                           encoding="utf-8"), ['no "Article N." heading']),
    "no law line": (_no_law_line, ["Law of the Republic of Kazakhstan"]),
    "unrelated text": (lambda p: p.write_text("Lorem ipsum dolor sit amet.\n" * 100, encoding="utf-8"),
                       ["not a law text"]),
    "directory": (lambda p: p.mkdir(), ["directory"]),  # "is a directory" / "not an act directory of the mirror"
    "missing": (lambda p: None, ["no such file"]),
    "dangling symlink": (lambda p: p.symlink_to(p.parent / "nowhere.txt"), ["no such file"]),
}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """A database already holding the fixture, and its snapshot."""
    db = tmp_path_factory.mktemp("existing") / "existing.db"
    r = run_cli("ingest", db=f"sqlite:///{db}")
    assert r.returncode == 0, r.stderr
    return db, snapshot(f"sqlite:///{db}")


EXISTING = ["empty", "cp1251", "saved HTML page", "50 MB"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory, ingested):
    """Every case run once into no database and, for ``EXISTING``, into a copy of ``ingested`` —
    the runs are independent processes, so they run side by side (one per CPU)."""
    jobs = [(c, False) for c in CASES] + [(c, True) for c in EXISTING]
    prepared = []
    for case, existing in jobs:
        d = tmp_path_factory.mktemp("bad")
        bad, db = d / "law.txt", d / "out.db"
        CASES[case][0](bad)
        if existing:
            shutil.copy(ingested[0], db)
        prepared.append((bad, db))
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = pool.map(lambda p: run_cli("ingest", str(p[0]), db=f"sqlite:///{p[1]}"), prepared)
        return {job: (r, bad, db) for job, r, (bad, db) in zip(jobs, results, prepared)}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_into_no_database(runs, case):
    r, bad, db = runs[(case, False)]
    line = assert_clean_failure(r, *CASES[case][1])
    assert str(bad) in line, f"the error does not name the file: {line}"
    assert _db_files(db) == []


@pytest.mark.parametrize("case", EXISTING)
def test_bad_file_leaves_an_existing_database_unchanged(runs, ingested, case):
    r, _, db = runs[(case, True)]
    assert_clean_failure(r, *CASES[case][1])
    assert snapshot(f"sqlite:///{db}") == ingested[1]


def test_a_bad_second_file_writes_nothing_of_the_first(tmp_path, ingested):
    """``ingest GOOD BAD``: every file is parsed before anything is stored."""
    src, before = ingested
    db = tmp_path / "existing.db"
    shutil.copy(src, db)
    newer = tmp_path / "newer.txt"
    newer.write_text(FIXTURE.read_text(encoding="utf-8").replace("the process of using", "the procedure of using"),
                     encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00")
    r = run_cli("ingest", str(newer), str(bad), db=f"sqlite:///{db}")
    assert_clean_failure(r, str(bad), "UTF-16")
    assert snapshot(f"sqlite:///{db}") == before


def test_bad_laws_csv(tmp_path):
    csv = tmp_path / "laws.csv"
    csv.write_text("number,date,title,publication_date,source\n128-VI,28.12.2017,,,\n", encoding="utf-8")
    db = tmp_path / "out.db"
    r = run_cli("ingest", "--laws", str(csv), db=f"sqlite:///{db}")
    assert_clean_failure(r, str(csv), ":2:", "not a date")
    csv.write_bytes("number,date,title,publication_date,source\n128-VI,,Закон,,\n".encode("cp1251"))
    r = run_cli("ingest", "--laws", str(csv), db=f"sqlite:///{db}")
    assert_clean_failure(r, str(csv), "not UTF-8")
    assert _db_files(db) == []


def test_laws_csv_that_is_a_directory(tmp_path):
    db = tmp_path / "out.db"
    r = run_cli("ingest", "--laws", str(tmp_path), db=f"sqlite:///{db}")
    assert_clean_failure(r, str(tmp_path))
    assert _db_files(db) == []


def test_missing_laws_csv_given_explicitly(tmp_path):
    db = tmp_path / "out.db"
    r = run_cli("ingest", "--laws", str(tmp_path / "typo.csv"), db=f"sqlite:///{db}")
    assert_clean_failure(r, "typo.csv", "no such file")


# --- permissions (real EACCES) -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def no_dac(tmp_path_factory):
    if os.geteuid() != 0:
        return None  # an ordinary user already meets file modes
    if not _can_drop_dac(tmp_path_factory.mktemp("dac")):
        pytest.skip("running as root and this container refuses prctl(PR_CAPBSET_DROP): file modes cannot be "
                    "made to apply, so permission denied cannot be produced honestly")
    return _drop_dac


def test_unreadable_file(tmp_path, no_dac):
    bad = tmp_path / "law.txt"
    shutil.copy(FIXTURE, bad)
    bad.chmod(0)
    db = tmp_path / "out.db"
    r = run_cli("ingest", str(bad), db=f"sqlite:///{db}", preexec_fn=no_dac)
    assert_clean_failure(r, str(bad), "permission denied")
    assert _db_files(db) == []


def test_file_in_unreadable_directory(tmp_path, no_dac):
    locked = tmp_path / "locked"
    locked.mkdir()
    shutil.copy(FIXTURE, locked / "law.txt")
    locked.chmod(0)
    db = tmp_path / "out.db"
    try:
        r = run_cli("ingest", str(locked / "law.txt"), db=f"sqlite:///{db}", preexec_fn=no_dac)
    finally:
        locked.chmod(0o755)
    assert _db_files(db) == []
    assert_clean_failure(r, str(locked / "law.txt"), "permission denied")


def test_unwritable_database_directory(tmp_path, no_dac):
    """The law is fine but the database cannot be created: one line naming the database, exit 2."""
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        r = run_cli("ingest", db=f"sqlite:///{ro / 'x.db'}", preexec_fn=no_dac)
    finally:
        ro.chmod(0o755)
    assert_clean_failure(r, "database", str(ro / "x.db"))
    assert _db_files(ro / "x.db") == []


# --- special files -------------------------------------------------------------------------------------
def test_fifo_with_bad_content(tmp_path):
    """A named pipe is read to its end like a file; bad content still gives the one-line error."""
    fifo = tmp_path / "law.txt"
    os.mkfifo(fifo)

    def writer():
        with open(fifo, "wb") as fh:
            fh.write("Статья 1.\n".encode("cp1251"))
    t = threading.Thread(target=writer, daemon=True)
    t.start()
    db = tmp_path / "out.db"
    r = run_cli("ingest", str(fifo), db=f"sqlite:///{db}", timeout=60)
    t.join(5)
    assert_clean_failure(r, str(fifo), "not UTF-8")
    assert _db_files(db) == []


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_endless_device_is_refused(tmp_path):
    db = tmp_path / "out.db"
    r = run_cli("ingest", "/dev/zero", db=f"sqlite:///{db}", preexec_fn=_limit_memory, timeout=60)
    assert _db_files(db) == []
    assert_clean_failure(r, "/dev/zero")


# --- file names that are not UTF-8 ---------------------------------------------------------------------
def _bytes_path(tmp_path: Path, name: bytes) -> bytes:
    return os.fsencode(tmp_path) + b"/" + name


def test_bad_file_with_a_non_utf8_name(tmp_path):
    path = _bytes_path(tmp_path, b"zakon-\xff\xfe.txt")
    with open(path, "wb"):
        pass
    db = tmp_path / "out.db"
    r = run_cli(b"ingest", path, db=f"sqlite:///{db}")
    line = assert_clean_failure(r, "file is empty", "zakon-")
    assert str(tmp_path) in line
    assert _db_files(db) == []


def test_law_with_a_non_utf8_name(tmp_path):
    path = _bytes_path(tmp_path, b"zakon-\xff\xfe.txt")
    with open(path, "wb") as fh:
        fh.write(FIXTURE.read_bytes())
    db = tmp_path / "out.db"
    r = run_cli(b"ingest", path, db=f"sqlite:///{db}")
    if r.returncode == 0:  # stored, under a name that can be shown
        assert "stored" in r.stdout
        r2 = run_cli("events", db=f"sqlite:///{db}")
        assert r2.returncode == 0 and len(r2.stdout.splitlines()) == 418
    else:  # or refused cleanly, naming the file, with nothing written
        assert_clean_failure(r, "zakon-")
        assert _db_files(db) == []
