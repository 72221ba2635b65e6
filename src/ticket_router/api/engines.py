"""Which engine routes a request. The hook for `ticket_router.engines` (local | agent | cascade)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from ticket_router.domain import Decision, Ticket
from ticket_router.router import Router
from ticket_router.settings import Settings


class Engine(Protocol):
    def route_many(self, tickets: Sequence[Ticket], save: bool = True) -> list[Decision]: ...


def get_engine(settings: Settings, name: str, local: Router) -> Engine:
    """The engine called `name`. Only the embedded router exists in this build, so every name routes with it
    (decisions record `engine="local"`, so nothing claims an engine that did not run). When `engines/` lands,
    this is the one place that picks the agent or cascade engine by name."""
    return local


def engine_picker(settings: Settings, local: Router) -> Callable[[str], Engine]:
    cache: dict[str, Engine] = {}

    def pick(name: str) -> Engine:
        if name not in cache:
            cache[name] = get_engine(settings, name, local)
        return cache[name]

    return pick
