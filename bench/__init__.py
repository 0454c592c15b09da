"""Benchmarks (run ``bench/run``; not part of the test suite). May import ingest, model and dashboard."""
