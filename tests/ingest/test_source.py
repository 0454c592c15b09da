"""Bad input first: what read_source refuses, and how it says so."""
from __future__ import annotations

import os

import pytest

from ingest.errors import IngestError
from ingest.source import decode_source, read_source

MINI = ("On informatization\n\nLaw of the Republic of Kazakhstan dated 24 November 2015 № 418-V.\n\n"
        " SECTION 1. BASICS Chapter 1. GENERAL PROVISIONS\nArticle 1. Concepts\n\n      1) one;\n")


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(IngestError) as e:
        read_source(str(tmp_path / "nope.txt"))
    assert "nope.txt" in str(e.value) and "no such file" in str(e.value)


def test_directory_is_refused(tmp_path):
    with pytest.raises(IngestError, match="is a directory"):
        read_source(str(tmp_path))


def test_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    with pytest.raises(IngestError, match="empty"):
        read_source(str(p))


def test_cp1251_reports_line(tmp_path):
    p = tmp_path / "cp.txt"
    p.write_bytes(MINI.encode("utf-8") + "\nСтатья 2".encode("cp1251"))
    with pytest.raises(IngestError) as e:
        read_source(str(p))
    assert "not UTF-8" in str(e.value) and f"{p}:10:" in str(e.value)


def test_utf16_is_named(tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes(MINI.encode("utf-16"))
    with pytest.raises(IngestError, match="UTF-16"):
        read_source(str(p))


def test_binary(tmp_path):
    p = tmp_path / "bin.txt"
    p.write_bytes(b"abc\n\x00\x01\x02")
    with pytest.raises(IngestError, match="binary"):
        read_source(str(p))


def test_html_page(tmp_path):
    p = tmp_path / "page.txt"
    p.write_text("<!DOCTYPE html><html><body>" + MINI + "</body></html>", encoding="utf-8")
    with pytest.raises(IngestError, match="HTML"):
        read_source(str(p))


def test_not_a_law(tmp_path):
    p = tmp_path / "novel.txt"
    p.write_text("It was a dark and stormy night.\n", encoding="utf-8")
    with pytest.raises(IngestError, match="not a law text"):
        read_source(str(p))


def test_law_without_articles():
    with pytest.raises(IngestError, match='no "Article N."'):
        decode_source(MINI.replace("Article 1. Concepts", "Preamble").encode(), "x.txt")


def test_no_permission(tmp_path, monkeypatch):
    p = tmp_path / "secret.txt"
    p.write_text(MINI, encoding="utf-8")
    p.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make open() behave as for other users
        real_open = open

        def denied(path, *a, **k):
            if str(path) == str(p):
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *a, **k)
        monkeypatch.setattr("builtins.open", denied)
    with pytest.raises(IngestError, match="permission denied"):
        read_source(str(p))


def test_fixture_reads(fixture_source):
    assert fixture_source.sha256 == "aa9c1ed73a3d04b83160490c96653b0c4fadf98b6d9607b0a25ce8a769851ce3"
    assert len(fixture_source.lines) == 2714  # 2,713 lines and the empty string after the last newline
    assert fixture_source.lines[14].strip().startswith("Article 1.")


@pytest.mark.parametrize("control", ["\x01", "\x08", "\x0e", "\x1b", "\x1f", "\x7f"])
def test_control_characters_are_shown_as_replacement_characters(control):
    """Other C0 controls than tab and line breaks never reach the pages or XML: each becomes U+FFFD; a
    tab and the text around it stay (the bytes of Cyrillic letters hold no control byte)."""
    text = MINI.replace("1) one;", f"1) one\t{control}Закон;")
    src = decode_source(text.encode("utf-8"), "x.txt")
    assert src.lines[-2] == "      1) one\t\ufffdЗакон;"


def test_a_text_without_control_characters_is_kept_as_it_is():
    src = decode_source(("Закон «Об информатизации»\t" + MINI).encode("utf-8"), "x.txt")
    assert "\n".join(src.lines) == "Закон «Об информатизации»\t" + MINI
