"""The per-ticket time budget, and throttling retries that stay inside it.

Providers' own clients are built with retries off (see providers.py), so this is the only place a model call is
retried: on throttling (and the provider saying it is overloaded) only, with exponential backoff and full jitter,
and never past the ticket's deadline. A connection refused or an auth error fails at once: retrying those only
delays the fallback decision.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from strands.hooks import AfterModelCallEvent, BeforeModelCallEvent, HookProvider, HookRegistry

from ticket_router.llm.errors import is_throttling


@dataclass
class Budget:
    """Seconds allowed for all model work on one ticket, counted from `started`."""

    total_s: float
    started: float = field(default_factory=time.monotonic)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float:
        return max(self.total_s - self.elapsed(), 0.0)


def backoff_delay(attempt: int, base_s: float = 0.25, cap_s: float = 2.0,
                  rng: Callable[[], float] = random.random) -> float:
    """Full jitter: uniform in [0, min(cap, base * 2^attempt)], so many throttled tickets do not retry in step."""
    return rng() * min(cap_s, base_s * (2 ** attempt))


class ModelCallMeter(HookProvider):
    """Counts model round trips (calls started, retries included) and the time spent inside them; the rest of a
    ticket's time is overhead. A call cut off by the budget never reaches `_after`: `finish` counts its time."""

    def __init__(self) -> None:
        self.calls = 0
        self.model_s = 0.0
        self._started: float | None = None

    def register_hooks(self, registry: HookRegistry, **kwargs: Any) -> None:
        registry.add_callback(BeforeModelCallEvent, self._before)
        registry.add_callback(AfterModelCallEvent, self._after)

    def _before(self, event: BeforeModelCallEvent) -> None:
        self.calls += 1
        self._started = time.perf_counter()

    def _after(self, event: AfterModelCallEvent) -> None:
        self.finish()

    def finish(self) -> None:
        if self._started is not None:
            self.model_s += time.perf_counter() - self._started
            self._started = None


class BudgetRetry(HookProvider):
    """Retries a throttled model call after a jittered backoff, if the budget still leaves room for the call."""

    def __init__(
        self,
        budget: Budget,
        *,
        base_s: float = 0.25,
        cap_s: float = 2.0,
        min_call_s: float = 0.5,
        rng: Callable[[], float] = random.random,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.budget = budget
        self.base_s, self.cap_s, self.min_call_s = base_s, cap_s, min_call_s
        self.rng, self.sleep = rng, sleep
        self.retries = 0
        self.gave_up = False

    def register_hooks(self, registry: HookRegistry, **kwargs: Any) -> None:
        registry.add_callback(AfterModelCallEvent, self._after_model_call)

    async def _after_model_call(self, event: AfterModelCallEvent) -> None:
        # is_throttling knows Strands' ModelThrottledException by name, along with the providers' own errors.
        if event.retry or event.exception is None or not is_throttling(event.exception):
            return
        delay = backoff_delay(self.retries, self.base_s, self.cap_s, self.rng)
        if self.budget.remaining() - delay < self.min_call_s:
            self.gave_up = True
            return
        await self.sleep(delay)
        self.retries += 1
        event.retry = True
