"""`ticket-router db upgrade`: apply pending schema migrations to the database a URL names."""

from __future__ import annotations

from ticket_router.store import schema


def upgrade_database(url: str) -> tuple[list[int], int]:
    """Apply every pending migration; returns the versions applied and the version the database is now at."""
    from ticket_router.store.sql import make_engine

    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            applied = schema.upgrade(conn)
            return applied, schema.current_version(conn)
    finally:
        engine.dispose()
