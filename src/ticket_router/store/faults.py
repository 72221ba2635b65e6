"""Why a database call failed, in words an operator can act on, and nothing else: a driver's message can quote
the statement and its parameters (customer text), so only a fixed label ever reaches a log or a probe."""

from __future__ import annotations

# (label, phrases any of which in the driver's message or exception name means it), checked in order.
CAUSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("disk full", ("database or disk is full", "no space left on device", "could not extend file", "diskfull")),
    ("read-only", ("readonly database", "read-only", "readonlysqltransaction", "read only")),
    ("connection refused", ("connection refused",)),
    ("database locked", ("database is locked", "database table is locked")),
    ("authentication failed", ("authentication failed", "invalidpassword")),
    ("cannot open the database file", ("unable to open database file",)),
    ("not a database", ("file is not a database", "database disk image is malformed")),
    ("timed out", ("timeout expired", "timed out", "querycanceled")),
    ("host unknown", ("could not translate host name", "name or service not known")),
    ("schema missing", ("no such table", "undefinedtable")),
)


def database_cause(error: BaseException) -> str:
    """A fixed label for `error` (`disk full`, `read-only`, `connection refused`, …), else its driver's type name."""
    original = getattr(error, "orig", None) or error
    chain = [original, *(e for e in (original.__cause__, original.__context__) if e is not None)]
    haystack = " ".join(f"{type(e).__name__} {e}" for e in chain).lower()
    for label, phrases in CAUSES:
        if any(phrase in haystack for phrase in phrases):
            return label
    return type(original).__name__
