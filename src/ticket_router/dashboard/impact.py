"""Which open tickets an outage affects, by the region-and-service rule the router applies."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from ticket_router.domain import Category, Customer, Decision, Outage, Service
from ticket_router.policy import DEFAULT_SERVICE_CATEGORIES
from ticket_router.tools.service_status import matching_outages


def affected_tickets(outage: Outage, decisions: Sequence[Decision], customers: Mapping[str, Customer],
                     at: datetime, service_categories: Collection[Category] = DEFAULT_SERVICE_CATEGORIES
                     ) -> list[Decision]:
    """Open service-problem tickets in the outage's region on its service (or naming no service): highest priority
    first, then the newest.

    The region is the customer's when known, else the one the ticket text names, as in `Router.gather`.
    """
    found = []
    for decision in decisions:
        # an outage affects service problems, not a billing dispute or a password reset from the same region: the
        # categories the policy names service-affecting (tools/severity.py)
        if decision.category not in service_categories:
            continue
        customer = customers.get(decision.customer_id or "")
        named = decision.entities.get("region")
        region = (customer.region if customer else "") or (named if isinstance(named, str) else None)
        services = [Service(s) for s in decision.entities.get("services") or [] if s in Service._value2member_map_]
        if matching_outages([outage], region, services, at):
            found.append(decision)
    return sorted(found, key=lambda d: (d.priority.level, -d.decided_at.timestamp(), d.ticket_id))
