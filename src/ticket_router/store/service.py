"""What the HTTP service needs from storage beyond `Store`: atomic first-time writes, the outbox, API keys.

`SqlStore` implements all of it (see `store/outbox.py` and `store/apikeys.py`); another backend implements the
same protocol.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from ticket_router.domain import Decision, Ticket
from ticket_router.store.base import Store


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OutboundMessage(_Record):
    """A message for the ticketing system, written in the same transaction as its decision."""

    decision_id: str
    ticket_id: str
    payload: str  # JSON, built by the outbox from the decision
    created_at: datetime


class PendingMessage(_Record):
    id: int
    decision_id: str
    ticket_id: str
    payload: str
    created_at: datetime
    attempts: int
    next_attempt_at: datetime
    last_error: str | None = None
    delivered_at: datetime | None = None


class DeadLetter(_Record):
    id: int
    decision_id: str
    ticket_id: str
    payload: str
    created_at: datetime
    attempts: int
    last_error: str | None = None
    dead_at: datetime


class OutboxCounts(_Record):
    pending: int = 0
    delivered: int = 0
    dead: int = 0


class ApiKeyRecord(_Record):
    key_id: str
    name: str = ""
    key_hash: str
    created_at: datetime
    revoked_at: datetime | None = None
    admin: bool = False  # may change the routing model through `/v1/models` (promote, rollback, shadow)


NewItem = tuple[Ticket, Decision, OutboundMessage | None]


@runtime_checkable
class ServiceStore(Store, Protocol):
    # tickets and decisions ---------------------------------------------------------------------------------
    def save_new_decisions(self, items: list[NewItem]) -> list[bool]:
        """Store each ticket with its decision (and message) only if the ticket id is new, in one transaction;
        True where it was new. The ticket id's primary key decides, so concurrent duplicates cannot both win."""
        ...

    def save_decisions_with_outbox(self, items: list[tuple[Ticket, Decision]],
                                   messages: list[OutboundMessage]) -> None:
        """Like `save_decisions` (an existing ticket's row takes the text the decision was made from, the decision
        is added), plus the messages, all in one transaction."""
        ...

    def get_decisions(self, ticket_ids: list[str]) -> dict[str, Decision]:
        """The latest decision of each ticket that has one, in one query (unknown ids are absent)."""
        ...

    def list_ticket_decisions(self, ticket_id: str) -> list[Decision]:
        """Every decision a ticket got, newest first."""
        ...

    def ping(self) -> bool:
        """True when decisions can be stored (a write, not only a read); raises the backend's error otherwise."""
        ...

    # the outbox --------------------------------------------------------------------------------------------
    def claim_due_messages(self, now: datetime, limit: int, lease_seconds: float) -> list[PendingMessage]: ...

    def mark_delivered(self, message_ids: list[int], now: datetime) -> None: ...

    def mark_failed(self, message_id: int, error: str, next_attempt_at: datetime) -> None: ...

    def dead_letter(self, message_id: int, error: str, now: datetime) -> None: ...

    def list_outbox(self, include_delivered: bool = False, limit: int = 100) -> list[PendingMessage]: ...

    def list_dead_letters(self, limit: int = 100) -> list[DeadLetter]: ...

    def retry_dead_letters(self, decision_ids: list[str] | None, now: datetime) -> int: ...

    def outbox_counts(self) -> OutboxCounts: ...

    def next_due_at(self) -> datetime | None: ...

    # API keys ----------------------------------------------------------------------------------------------
    def add_api_key(self, record: ApiKeyRecord) -> None: ...

    def find_api_key(self, key_hash: str) -> ApiKeyRecord | None: ...

    def list_api_keys(self) -> list[ApiKeyRecord]: ...

    def revoke_api_key(self, key_id: str, now: datetime) -> bool: ...
