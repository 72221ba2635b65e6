"""The local engine is the router itself: the embedded classifier and the 7 tools, offline, in milliseconds."""

from __future__ import annotations

from collections.abc import Sequence

from ticket_router.domain import Decision, Ticket
from ticket_router.router import Router


class LocalEngine:
    name = "local"

    def __init__(self, router: Router) -> None:
        self.router = router

    def route(self, ticket: Ticket, save: bool = True) -> Decision:
        return self.router.route(ticket, save=save)

    def route_many(self, tickets: Sequence[Ticket], save: bool = True) -> list[Decision]:
        return self.router.route_many(tickets, save=save)
