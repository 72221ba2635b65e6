"""Routing statistics over stored decisions and agents' feedback: what `/v1/stats` and the dashboard show."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ticket_router.domain import IMPORTED_ENGINE, Category, Feedback, Priority, Team


class Routed(Protocol):
    """What statistics read of a decision: a full `Decision` or a light `store.base.DecisionRow` both fit."""

    @property
    def ticket_id(self) -> str: ...
    @property
    def decided_at(self) -> datetime: ...
    @property
    def team(self) -> Team: ...
    @property
    def category(self) -> Category: ...
    @property
    def priority(self) -> Priority: ...
    @property
    def confidence(self) -> float: ...
    @property
    def needs_review(self) -> bool: ...
    @property
    def processing_ms(self) -> float: ...
    @property
    def engine(self) -> str: ...


D = TypeVar("D", bound=Routed)


class Summary(BaseModel):
    model_config = ConfigDict(frozen=True)

    count: int = 0
    by_team: dict[str, int] = Field(default_factory=dict)
    by_priority: dict[str, int] = Field(default_factory=dict)
    by_category: dict[str, int] = Field(default_factory=dict)
    avg_confidence: float | None = None
    avg_latency_ms: float | None = None
    review_rate: float | None = None
    feedback_count: int = 0
    accuracy: float | None = Field(default=None, description="share of feedback whose team matches the decision")
    priority_accuracy: float | None = None


class DayStats(Summary):
    day: date


class Stats(Summary):
    per_day: list[DayStats] = Field(default_factory=list)


def latest_per_ticket(decisions: Sequence[D]) -> list[D]:
    """A rerouted ticket counts once, with its latest decision."""
    latest: dict[str, D] = {}
    for decision in decisions:
        current = latest.get(decision.ticket_id)
        if current is None or decision.decided_at >= current.decided_at:
            latest[decision.ticket_id] = decision
    return list(latest.values())


def _summary(decisions: Sequence[Routed], feedback: dict[str, Feedback]) -> dict:  # type: ignore[type-arg]
    count = len(decisions)
    timed = [d.processing_ms for d in decisions if d.engine != IMPORTED_ENGINE]  # never timed here
    judged = [(d, feedback[d.ticket_id]) for d in decisions if d.ticket_id in feedback]
    with_priority = [(d, f) for d, f in judged if f.priority is not None]
    return {
        "count": count,
        "by_team": dict(Counter(d.team.value for d in decisions).most_common()),
        "by_priority": dict(sorted(Counter(d.priority.value for d in decisions).items())),
        "by_category": dict(Counter(d.category.value for d in decisions).most_common()),
        "avg_confidence": sum(d.confidence for d in decisions) / count if count else None,
        "avg_latency_ms": sum(timed) / len(timed) if timed else None,
        "review_rate": sum(d.needs_review for d in decisions) / count if count else None,
        "feedback_count": len(judged),
        "accuracy": sum(d.team == f.team for d, f in judged) / len(judged) if judged else None,
        "priority_accuracy": sum(d.priority == f.priority for d, f in with_priority) / len(with_priority)
        if with_priority else None,
    }


def latest_feedback(feedback: Sequence[Feedback]) -> dict[str, Feedback]:
    """Ticket id → its latest feedback: what the ticket really needed."""
    return {item.ticket_id: item for item in sorted(feedback, key=lambda f: f.created_at)}


def compute_stats(decisions: Sequence[Routed], feedback: Sequence[Feedback]) -> Stats:
    """Totals and per-day figures (by decision day, UTC). The latest feedback per ticket is the truth."""
    current = latest_per_ticket(decisions)
    truth = latest_feedback(feedback)
    by_day: dict[date, list[Routed]] = defaultdict(list)
    for decision in current:
        by_day[decision.decided_at.date()].append(decision)
    return Stats(
        **_summary(current, truth),
        per_day=[DayStats(day=day, **_summary(items, truth)) for day, items in sorted(by_day.items())],
    )


def confusion(decisions: Sequence[Routed], feedback: Sequence[Feedback]) -> dict[tuple[str, str], int]:
    """(predicted team, actual team) → tickets, over the latest decision and latest feedback per judged ticket."""
    truth = latest_feedback(feedback)
    return dict(Counter((d.team.value, truth[d.ticket_id].team.value)
                        for d in latest_per_ticket(decisions) if d.ticket_id in truth))


def unjudged(decisions: Sequence[D], feedback: Sequence[Feedback]) -> list[D]:
    """The latest decision of every ticket that no agent has given feedback on yet."""
    judged = {item.ticket_id for item in feedback}
    return [d for d in latest_per_ticket(decisions) if d.ticket_id not in judged]


def review_queue(decisions: Sequence[D], feedback: Sequence[Feedback]) -> list[D]:
    """Tickets whose latest decision needs review and that no agent has judged yet: highest priority first, then
    the oldest decision first."""
    waiting = [d for d in unjudged(decisions, feedback) if d.needs_review]
    return sorted(waiting, key=lambda d: (d.priority.level, d.decided_at, d.ticket_id))
