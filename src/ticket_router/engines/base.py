"""The interface every engine implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from ticket_router.domain import Decision, Ticket


@runtime_checkable
class Engine(Protocol):
    name: str

    def route_many(self, tickets: Sequence[Ticket], save: bool = True) -> list[Decision]:
        """One decision per ticket, in input order; saved to the store when `save`."""
        ...
