"""Which engine routes a request: `local` (the embedded router), `agent` or `cascade` (`ticket_router.engines`).

The request's `engine` field picks one; without it, `TICKET_ROUTER_ENGINE` does. Each engine is built once, on
first use, over the app's router (its store, classifier and policy), so an app that only ever routes locally never
builds an LLM engine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ticket_router.engines.base import Engine
from ticket_router.engines.factory import engine_for
from ticket_router.router import Router
from ticket_router.settings import Settings


def engine_picker(settings: Settings, local: Router) -> Callable[[str | None], Engine]:
    cache: dict[str, Engine] = {}
    lock = threading.Lock()

    def pick(name: str | None) -> Engine:
        name = name or settings.engine
        with lock:  # request handlers run in a thread pool: build each engine once
            if name not in cache:
                cache[name] = engine_for(settings, local, name)
            return cache[name]

    return pick
