"""Storage: one interface (`Store`), chosen by URL. `sqlite:///…` and `postgresql://…` share `SqlStore`;
`dynamodb://<table prefix>` is `DynamoStore` (the `aws` extra)."""

from __future__ import annotations

from ticket_router.store.base import PastTicket, Store


def open_store(url: str) -> Store:
    """Open (and migrate) the store a database URL names."""
    if url.startswith("dynamodb://"):
        from ticket_router.store.dynamodb import DynamoStore

        return DynamoStore.from_url(url)
    from ticket_router.store.sql import SqlStore

    return SqlStore.from_url(url)


__all__ = ["PastTicket", "Store", "open_store"]
