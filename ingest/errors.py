"""The one error the ingest steps raise, and the warnings they record."""
from __future__ import annotations

from dataclasses import dataclass


class IngestError(Exception):
    """Input that cannot be ingested at all. Carries where it went wrong.

    ``str(err)`` is one line fit for a user: what, and where (file and line).
    """

    def __init__(self, what: str, path: str | None = None, line: int | None = None):
        self.what = what
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{what}")

    def __reduce__(self):  # unpickled whole (from a worker process), not rebuilt from the message alone
        return (type(self), (self.what, self.path, self.line))


@dataclass(frozen=True)
class ParseWarning:
    """Something in the text the parser did not fully understand, or repaired.

    severity: ``repaired`` (understood after fixing an obvious slip, e.g. a month-first date)
    or ``unparsed`` (part of an annotation could not be turned into data).
    """

    line: int
    text: str
    reason: str
    severity: str = "unparsed"
