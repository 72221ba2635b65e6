"""Which open tickets an outage affects, by the same region-and-service rule the router applies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from ticket_router.domain import Customer, Decision, Feedback, Outage, Service
from ticket_router.stats import latest_per_ticket
from ticket_router.tools.service_status import matching_outages


def open_decisions(decisions: Sequence[Decision], feedback: Sequence[Feedback]) -> list[Decision]:
    """The latest decision of every ticket that no agent has given feedback on yet."""
    judged = {item.ticket_id for item in feedback}
    return [d for d in latest_per_ticket(decisions) if d.ticket_id not in judged]


def affected_tickets(outage: Outage, decisions: Sequence[Decision], customers: Mapping[str, Customer],
                     at: datetime) -> list[Decision]:
    """Open tickets in the outage's region on its service (or naming no service), newest first.

    The region is the customer's when known, else the one the ticket text names — as in `Router.gather`.
    """
    found = []
    for decision in decisions:
        customer = customers.get(decision.customer_id or "")
        region = (customer.region if customer else "") or decision.entities.get("region")
        services = [Service(s) for s in decision.entities.get("services", []) if s in Service._value2member_map_]
        if matching_outages([outage], region, services, at):
            found.append(decision)
    return sorted(found, key=lambda d: d.decided_at, reverse=True)
