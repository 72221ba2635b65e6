"""What the API does with a request, once parsed: route, store (with the outbox message), answer.

Route handlers call one method each; this is where idempotency and the transactional outbox are kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ticket_router.api.engines import Engine
from ticket_router.api.schemas import BatchItemPublic, BatchPublic, DecisionPublic
from ticket_router.api.validation import InvalidInput, parse_ticket
from ticket_router.domain import Decision, Feedback, Ticket, utcnow
from ticket_router.outbox.message import build_message
from ticket_router.stats import Stats, compute_stats
from ticket_router.store.service import OutboxCounts, ServiceStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Submitted:
    decision: Decision
    created: bool


class TicketService:
    def __init__(
        self,
        store: ServiceStore,
        engines: Callable[[str], Engine],
        outbox_enabled: bool,
        clock: Callable[[], datetime] = utcnow,
        on_decisions: Callable[[Sequence[Decision]], None] = lambda decisions: None,
        on_outbox_write: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.engines = engines
        self.outbox_enabled = outbox_enabled
        self.clock = clock
        self.on_decisions = on_decisions
        self.on_outbox_write = on_outbox_write

    def _message(self, decision: Decision):  # type: ignore[no-untyped-def]
        return build_message(decision, self.clock()) if self.outbox_enabled else None

    def _made(self, decisions: Sequence[Decision], created: Sequence[bool] | None = None) -> None:
        fresh = [d for i, d in enumerate(decisions) if created is None or created[i]]
        if not fresh:
            return
        self.on_decisions(fresh)
        if self.outbox_enabled:
            self.on_outbox_write()
        for decision in fresh:
            log.info("ticket routed", extra={
                "ticket_id": decision.ticket_id, "decision_id": decision.decision_id, "team": decision.team.value,
                "priority": decision.priority.value, "confidence": round(decision.confidence, 3),
                "needs_review": decision.needs_review, "engine": decision.engine,
                "latency_ms": decision.processing_ms})

    # tickets -----------------------------------------------------------------------------------------------
    def submit(self, ticket: Ticket, engine: str) -> Submitted:
        """Route and store a new ticket; a ticket id seen before gets its stored decision and nothing new."""
        stored = self.store.get_decision(ticket.ticket_id)
        if stored is not None:
            return Submitted(stored, created=False)
        decision = self.engines(engine).route_many([ticket], save=False)[0]
        if self.store.save_new_decisions([(ticket, decision, self._message(decision))])[0]:
            self._made([decision])
            return Submitted(decision, created=True)
        # Another request stored this ticket id between our check and our insert: its decision stands.
        stored = self.store.get_decision(ticket.ticket_id)
        if stored is None:  # pragma: no cover - a ticket row always comes with its decision
            raise RuntimeError("ticket stored without a decision")
        return Submitted(stored, created=False)

    def submit_batch(self, raw_items: Sequence[Any], engine: str) -> BatchPublic:
        results: list[BatchItemPublic | None] = [None] * len(raw_items)
        valid: list[tuple[int, Ticket]] = []
        for index, raw in enumerate(raw_items):
            try:
                valid.append((index, parse_ticket(raw)))
            except InvalidInput as error:
                ticket_id = raw.get("ticket_id") if isinstance(raw, dict) else None
                results[index] = BatchItemPublic(index=index, status="invalid", errors=error.errors,
                                                 ticket_id=ticket_id if isinstance(ticket_id, str) else None)
        if valid:
            tickets = [t for _, t in valid]
            decisions = self.engines(engine).route_many(tickets, save=False)
            created = self.store.save_new_decisions(
                [(t, d, self._message(d)) for t, d in zip(tickets, decisions)])
            self._made(decisions, created)
            for (index, ticket), decision, is_new in zip(valid, decisions, created):
                kept = decision if is_new else self.store.get_decision(ticket.ticket_id)
                results[index] = BatchItemPublic(
                    index=index, status="created" if is_new else "existing", ticket_id=ticket.ticket_id,
                    decision=DecisionPublic.model_validate(kept.model_dump()) if kept else None)
        items = [r for r in results if r is not None]
        return BatchPublic(created=sum(r.status == "created" for r in items),
                           existing=sum(r.status == "existing" for r in items),
                           invalid=sum(r.status == "invalid" for r in items), results=items)

    def reroute(self, ticket_id: str, engine: str) -> Decision | None:
        ticket = self.store.get_ticket(ticket_id)
        if ticket is None:
            return None
        decision = self.engines(engine).route_many([ticket], save=False)[0]
        message = self._message(decision)
        self.store.save_decisions_with_outbox([(ticket, decision)], [message] if message else [])
        self._made([decision])
        return decision

    def get(self, ticket_id: str) -> tuple[Ticket, list[Decision]] | None:
        ticket = self.store.get_ticket(ticket_id)
        if ticket is None:
            return None
        history = self.store.list_ticket_decisions(ticket_id)
        return (ticket, history) if history else None

    def feedback(self, ticket_id: str, fields: dict[str, Any]) -> Feedback | None:
        if self.store.get_ticket(ticket_id) is None:
            return None
        item = Feedback(ticket_id=ticket_id, created_at=self.clock(), **fields)
        self.store.save_feedback(item)
        log.info("feedback stored", extra={"ticket_id": ticket_id, "team": item.team.value})
        return item

    def stats(self, since: datetime | None) -> tuple[Stats, OutboxCounts]:
        stats = compute_stats(self.store.list_decisions(since=since, limit=1_000_000),
                              self.store.list_feedback(since=since))
        return stats, self.store.outbox_counts()
