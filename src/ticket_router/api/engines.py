"""Which engine routes a request: `local` (the embedded router), `agent` or `cascade` (`ticket_router.engines`).

The request's `engine` field picks one; without it, `TICKET_ROUTER_ENGINE` does. Each engine is built once, on
first use, and shares the app's store and classifier, so an app that only ever routes locally never builds an
LLM engine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Protocol

from ticket_router.domain import Decision, Ticket
from ticket_router.router import Router
from ticket_router.settings import Settings


class Engine(Protocol):
    def route_many(self, tickets: Sequence[Ticket], save: bool = True) -> list[Decision]: ...


def get_engine(settings: Settings, name: str, local: Router) -> Engine:
    if name == "local":
        return local
    from ticket_router.engines.factory import build_engine

    return build_engine(settings, local.store, name, classifier=local.classifier)


def engine_picker(settings: Settings, local: Router) -> Callable[[str | None], Engine]:
    cache: dict[str, Engine] = {}
    lock = threading.Lock()

    def pick(name: str | None) -> Engine:
        name = name or settings.engine
        with lock:  # request handlers run in a thread pool: build each engine once
            if name not in cache:
                cache[name] = get_engine(settings, name, local)
            return cache[name]

    return pick
