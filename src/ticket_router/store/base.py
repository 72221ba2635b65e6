"""The storage interface every backend implements (SQLite and PostgreSQL today, DynamoDB later)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from ticket_router.domain import Category, Customer, Decision, Feedback, Outage, Priority, Team, Ticket


class PastTicket(BaseModel):
    """A ticket the customer raised before, with the decision it got."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ticket_id: str
    created_at: datetime
    subject: str
    team: Team
    category: Category
    priority: Priority


class DecisionRow(BaseModel):
    """A stored decision's indexed columns without its payload: what statistics and queues need, cheap to read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    decision_id: str
    ticket_id: str
    customer_id: str | None = None
    decided_at: datetime
    team: Team
    category: Category
    priority: Priority
    confidence: float
    needs_review: bool
    engine: str
    processing_ms: float


class CustomerLookup(Protocol):
    def get_customer(self, customer_id: str) -> Customer | None: ...


class HistoryLookup(Protocol):
    def customer_history(self, customer_id: str, since: datetime, limit: int = 20) -> list[PastTicket]: ...

    def customer_histories(
        self, customer_ids: list[str], since: datetime, limit: int = 20
    ) -> dict[str, list[PastTicket]]:
        """`customer_history` for many customers in one query (the batch path)."""
        ...


@runtime_checkable
class Store(Protocol):
    """What the router and the edges need from storage. Implementations must be safe to reuse across calls."""

    def get_customer(self, customer_id: str) -> Customer | None: ...

    def get_customers(self, customer_ids: list[str]) -> dict[str, Customer]:
        """Many customers in one query (the batch path); unknown ids are absent from the result."""
        ...

    def upsert_customers(self, customers: list[Customer]) -> int: ...

    def list_customers(self, search: str = "", limit: int = 1000) -> list[Customer]: ...

    def upsert_outages(self, outages: list[Outage]) -> int: ...

    def list_outages(self, active_at: datetime | None = None) -> list[Outage]: ...

    def resolve_outage(self, outage_id: str, ended_at: datetime) -> bool: ...

    def known_regions(self) -> list[str]: ...

    def customer_history(self, customer_id: str, since: datetime, limit: int = 20) -> list[PastTicket]: ...

    def customer_histories(
        self, customer_ids: list[str], since: datetime, limit: int = 20
    ) -> dict[str, list[PastTicket]]:
        """`customer_history` for many customers in one query (the batch path)."""
        ...

    def save_decisions(self, items: list[tuple[Ticket, Decision]]) -> None:
        """Store each decision with its ticket; a ticket id stored before takes this ticket's text (a decision
        never attaches to text it was not made from)."""
        ...

    def get_decision(self, ticket_id: str) -> Decision | None: ...

    def get_ticket(self, ticket_id: str) -> Ticket | None: ...

    def list_decisions(self, since: datetime | None = None, limit: int = 10000,
                       until: datetime | None = None) -> list[Decision]:
        """Decisions made from `since` up to (not including) `until`, newest first, at most `limit`."""
        ...

    def list_decision_rows(self, since: datetime | None = None, limit: int = 10000,
                           until: datetime | None = None) -> list[DecisionRow]:
        """`list_decisions` without the payloads (newest first): for statistics over many decisions."""
        ...

    def save_feedback(self, feedback: Feedback) -> None: ...

    def list_feedback(self, since: datetime | None = None) -> list[Feedback]:
        """Every feedback record since `since`, oldest first (the latest per ticket is the one that counts)."""
        ...

    def is_empty(self) -> bool: ...

    def close(self) -> None: ...
