"""Demo customers, outages and ticket history, loaded into a fresh default database on first use."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from importlib import resources

from ticket_router.domain import IMPORTED_ENGINE, Category, Decision, ModelInfo, Priority, Team, Ticket
from ticket_router.ingest import read_customers, read_outages, split
from ticket_router.store.base import Store


def _demo_bytes(name: str) -> bytes:
    return resources.files("ticket_router").joinpath("data", "demo", name).read_bytes()


def seed_demo(store: Store, now: datetime) -> None:
    """Load the bundled demo data. History dates are relative to `now` so repeat contact shows up."""
    store.upsert_customers(split(read_customers(_demo_bytes("customers.csv")))[0])
    store.upsert_outages(split(read_outages(_demo_bytes("outages.csv")))[0])
    items = []
    for line in _demo_bytes("history.jsonl").decode("utf-8").splitlines():
        row = json.loads(line)
        created = now - timedelta(days=row["days_ago"])
        ticket = Ticket(ticket_id=row["ticket_id"], subject=row["subject"], description=row["description"],
                        customer_id=row["customer_id"], created_at=created)
        decision = Decision(
            decision_id=uuid.uuid4().hex, ticket_id=ticket.ticket_id, customer_id=ticket.customer_id,
            team=Team(row["team"]), category=Category(row["category"]), priority=Priority(row["priority"]),
            confidence=1.0, needs_review=False, alternatives=[], reasoning="Imported from the previous system.",
            entities={}, priority_factors={}, priority_score=0.0, engine=IMPORTED_ENGINE,
            model=ModelInfo(name="import", version="1"), policy_version="import", processing_ms=0.0,
            decided_at=created,
        )
        items.append((ticket, decision))
    store.save_decisions(items)
