"""What the API does with a request, once parsed: route, store (with the outbox message), answer.

Route handlers call one method each; this is where idempotency and the transactional outbox are kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ticket_router.api.schemas import BatchItemPublic, BatchPublic, DecisionPublic
from ticket_router.api.validation import InvalidInput, parse_ticket
from ticket_router.domain import Decision, Feedback, Ticket, utcnow
from ticket_router.engines.base import Engine
from ticket_router.outbox.message import build_message
from ticket_router.stats import Stats, compute_stats
from ticket_router.store.service import OutboundMessage, OutboxCounts, ServiceStore

log = logging.getLogger(__name__)
STATS_LIMIT = 1_000_000  # decision rows read for /v1/stats (indexed columns only, no payloads)


@dataclass(frozen=True)
class Submitted:
    decision: Decision
    created: bool


class TicketService:
    def __init__(
        self,
        store: ServiceStore,
        engines: Callable[[str | None], Engine],
        outbox_enabled: bool,
        clock: Callable[[], datetime] = utcnow,
        on_decisions: Callable[[Sequence[Decision]], None] = lambda decisions: None,
        on_outbox_write: Callable[[], None] = lambda: None,
        on_saved: Callable[[Sequence[tuple[Ticket, Decision]]], object] = lambda items: None,
    ) -> None:
        self.store = store
        self.engines = engines
        self.outbox_enabled = outbox_enabled
        self.clock = clock
        self.on_decisions = on_decisions
        self.on_outbox_write = on_outbox_write
        self.on_saved = on_saved  # the shadow model scores what was stored

    def _message(self, decision: Decision) -> OutboundMessage | None:
        return build_message(decision, self.clock()) if self.outbox_enabled else None

    def _route(self, tickets: Sequence[Ticket], engine: str | None) -> list[Decision]:
        """Decisions from the engine asked for. The embedded router never fails a ticket (it falls back inside);
        should an LLM engine raise instead of falling back, the embedded router decides and flags each ticket."""
        picked = self.engines(engine)
        try:
            return picked.route_many(tickets, save=False)
        except Exception as error:  # noqa: BLE001 - every ticket gets a decision
            local = self.engines("local")
            if picked is local:
                raise
            name = engine or "default"
            log.error("engine failed, routed by the embedded model",
                      extra={"engine": name, "error": type(error).__name__, "tickets": len(tickets)})
            reason = f"the {name} engine failed ({type(error).__name__}); routed by the embedded model"
            return [d.model_copy(update={"needs_review": True, "review_reasons": [*d.review_reasons, reason]})
                    for d in local.route_many(tickets, save=False)]

    def _made(self, decisions: Sequence[Decision]) -> None:
        if decisions:
            self.on_decisions(decisions)
            if self.outbox_enabled:
                self.on_outbox_write()

    @staticmethod
    def log_submitted(submitted: Sequence[Submitted]) -> None:
        """One line per new decision: ids and outcome, never the ticket's text. Called by whoever serves the
        request, so the line carries that request's correlation id."""
        for item in submitted:
            if item.created:
                decision = item.decision
                log.info("ticket routed", extra={
                    "ticket_id": decision.ticket_id, "decision_id": decision.decision_id, "team": decision.team.value,
                    "priority": decision.priority.value, "confidence": round(decision.confidence, 3),
                    "needs_review": decision.needs_review, "engine": decision.engine,
                    "latency_ms": decision.processing_ms})

    # tickets -----------------------------------------------------------------------------------------------
    def submit_many(self, tickets: Sequence[Ticket], engine: str | None = None) -> list[Submitted]:
        """Route and store the tickets whose ids are new, each with its outbox message, in one transaction. A
        ticket id stored before gets its stored decision and nothing new (and no engine is asked about it)."""
        stored = self.store.get_decisions([t.ticket_id for t in tickets])
        fresh = [t for t in tickets if t.ticket_id not in stored]
        decisions = self._route(fresh, engine) if fresh else []
        created = self.store.save_new_decisions([(t, d, self._message(d)) for t, d in zip(fresh, decisions)])
        made = {d.ticket_id: d for d, is_new in zip(decisions, created) if is_new}
        self._made(list(made.values()))
        self.on_saved([(t, made[t.ticket_id]) for t in fresh if t.ticket_id in made])
        # Ids that lost a race: another request stored them between the read above and the write.
        stored.update(self.store.get_decisions([t.ticket_id for t in fresh if t.ticket_id not in made]))
        results, seen = [], set()
        for ticket in tickets:
            decision = made.get(ticket.ticket_id) or stored.get(ticket.ticket_id)
            if decision is None:  # pragma: no cover - a ticket row is always written with its decision
                raise RuntimeError("ticket stored without a decision")
            # A ticket id given twice in one batch: its first copy made the decision, the others find it.
            results.append(Submitted(decision, created=ticket.ticket_id in made and ticket.ticket_id not in seen))
            seen.add(ticket.ticket_id)
        return results

    def submit(self, ticket: Ticket, engine: str | None = None) -> Submitted:
        submitted = self.submit_many([ticket], engine)
        self.log_submitted(submitted)
        return submitted[0]

    def submit_batch(self, raw_items: Sequence[Any], engine: str | None = None) -> BatchPublic:
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
            submitted = self.submit_many([t for _, t in valid], engine)
            self.log_submitted(submitted)
            for (index, ticket), item in zip(valid, submitted):
                results[index] = BatchItemPublic(
                    index=index, status="created" if item.created else "existing", ticket_id=ticket.ticket_id,
                    decision=DecisionPublic.model_validate(item.decision.model_dump()))
        items = [r for r in results if r is not None]
        return BatchPublic(created=sum(r.status == "created" for r in items),
                           existing=sum(r.status == "existing" for r in items),
                           invalid=sum(r.status == "invalid" for r in items), results=items)

    def reroute(self, ticket_id: str, engine: str | None = None) -> Decision | None:
        ticket = self.store.get_ticket(ticket_id)
        if ticket is None:
            return None
        decision = self._route([ticket], engine)[0]
        message = self._message(decision)
        self.store.save_decisions_with_outbox([(ticket, decision)], [message] if message else [])
        self._made([decision])
        self.on_saved([(ticket, decision)])
        self.log_submitted([Submitted(decision, created=True)])
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
        stats = compute_stats(self.store.list_decision_rows(since=since, limit=STATS_LIMIT),
                              self.store.list_feedback(since=since))
        return stats, self.store.outbox_counts()
