"""The per-ticket budget and the throttling retry: exponential backoff with full jitter, never past the deadline."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("strands", reason="the agent extra is not installed")

from strands.hooks import AfterModelCallEvent  # noqa: E402
from strands.types.exceptions import ModelThrottledException  # noqa: E402

from ticket_router.llm.budget import Budget, BudgetRetry, backoff_delay  # noqa: E402


def test_backoff_doubles_up_to_the_cap_and_jitter_spans_zero_to_the_bound():
    assert [backoff_delay(n, 0.25, 2.0, rng=lambda: 1.0) for n in range(6)] == [0.25, 0.5, 1.0, 2.0, 2.0, 2.0]
    assert backoff_delay(3, 0.25, 2.0, rng=lambda: 0.0) == 0.0
    assert backoff_delay(1, 0.25, 2.0, rng=lambda: 0.5) == 0.25


class Clock:
    def __init__(self) -> None:
        self.now = 0.0


def _budget(clock: Clock, total_s: float) -> Budget:
    budget = Budget(total_s, started=0.0)
    budget.elapsed = lambda: clock.now  # type: ignore[method-assign]
    return budget


def _throttled() -> AfterModelCallEvent:
    return AfterModelCallEvent(agent=None, exception=ModelThrottledException("Too many requests"))


def _retry(clock: Clock, total_s: float) -> tuple[BudgetRetry, list[float]]:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.now += seconds

    return BudgetRetry(_budget(clock, total_s), base_s=0.25, cap_s=2.0, min_call_s=0.5, rng=lambda: 1.0,
                       sleep=sleep), slept


def test_throttled_calls_are_retried_with_growing_delays_until_the_budget_would_be_exceeded():
    clock = Clock()
    retry, slept = _retry(clock, total_s=8.0)
    outcomes = []
    for _ in range(10):
        event = _throttled()
        asyncio.run(retry._after_model_call(event))
        outcomes.append(event.retry)
        clock.now += 0.1  # each throttled call takes a moment
        if not event.retry:
            break
    assert slept == [0.25, 0.5, 1.0, 2.0, 2.0]
    assert outcomes == [True] * 5 + [False]
    assert retry.retries == 5 and retry.gave_up
    assert clock.now <= 8.0


def test_other_failures_and_successes_are_not_retried():
    clock = Clock()
    retry, slept = _retry(clock, total_s=8.0)
    for event in (AfterModelCallEvent(agent=None, exception=PermissionError("denied")),
                  AfterModelCallEvent(agent=None)):
        asyncio.run(retry._after_model_call(event))
        assert not event.retry
    assert slept == [] and retry.retries == 0


def test_budget_counts_down_to_zero_and_not_below():
    clock = Clock()
    budget = _budget(clock, 8.0)
    clock.now = 3.0
    assert budget.remaining() == 5.0
    clock.now = 9.0
    assert budget.remaining() == 0.0
