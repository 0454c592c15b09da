"""The ``lawtrack`` command line: ties ``ingest`` and ``model`` (and starts the dashboard)."""
