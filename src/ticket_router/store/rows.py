"""What `SqlStore` and its mixins (`store/outbox.py`, `store/apikeys.py`) share: domain objects as table rows,
and the dialect's INSERT."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, Table

from ticket_router.domain import Decision, Ticket

TICKET_COLUMNS = {"ticket_id", "customer_id", "subject", "description", "created_at", "channel"}


def dialect_insert(engine: Engine, table: Table):  # type: ignore[no-untyped-def]
    """INSERT with ON CONFLICT support, which SQLite and PostgreSQL both have under the same API."""
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table)


def ticket_row(ticket: Ticket) -> dict[str, Any]:
    return ticket.model_dump(include=TICKET_COLUMNS)


def decision_row(decision: Decision) -> dict[str, Any]:
    return {
        "decision_id": decision.decision_id,
        "ticket_id": decision.ticket_id,
        "customer_id": decision.customer_id,
        "decided_at": decision.decided_at,
        "team": decision.team.value,
        "category": decision.category.value,
        "priority": decision.priority.value,
        "confidence": decision.confidence,
        "needs_review": decision.needs_review,
        "engine": decision.engine,
        "model_name": decision.model.name,
        "model_version": decision.model.version,
        "processing_ms": decision.processing_ms,
        "payload": decision.model_dump_json(),
    }
