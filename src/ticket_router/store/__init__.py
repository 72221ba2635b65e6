"""Storage: one interface (`Store`), chosen by URL. `sqlite:///…` and `postgresql://…` share `SqlStore`."""

from __future__ import annotations

from ticket_router.store.base import PastTicket, Store


def open_store(url: str) -> Store:
    """Open (and migrate) the store a database URL names."""
    from ticket_router.store.sql import SqlStore

    return SqlStore.from_url(url)


__all__ = ["PastTicket", "Store", "open_store"]
