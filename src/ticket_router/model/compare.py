"""How model versions do on live traffic: a shadow version beside the active model (agreement, and accuracy of
each against agents' feedback on the same tickets), and accuracy against feedback per day per model."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel, ConfigDict

from ticket_router.domain import Feedback
from ticket_router.stats import latest_feedback
from ticket_router.store.versions import ModelDecision, ShadowPrediction


class ShadowReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: str
    tickets: int  # live tickets the shadow version scored
    agreement: float | None  # share where it chose the live decision's team
    judged: int  # of those, tickets an agent gave feedback on
    shadow_accuracy: float | None
    active_accuracy: float | None  # the live decisions' accuracy on the same judged tickets
    active_models: list[str]  # the models that made those live decisions


class DailyAccuracy(BaseModel):
    model_config = ConfigDict(frozen=True)

    day: date
    model: str  # "name/version"; a shadow version's figures come from its silent predictions
    shadow: bool
    judged: int
    accuracy: float


def _latest_per_ticket(items: Sequence[ShadowPrediction]) -> dict[str, ShadowPrediction]:
    latest: dict[str, ShadowPrediction] = {}
    for item in items:  # oldest first
        latest[item.ticket_id] = item
    return latest


def compare_shadow(version: str, predictions: Sequence[ShadowPrediction], feedback: Sequence[Feedback]) -> ShadowReport:
    shadow = _latest_per_ticket(predictions)
    gold = {ticket: item.team.value for ticket, item in latest_feedback(list(feedback)).items()}
    judged = [p for p in shadow.values() if p.ticket_id in gold]
    return ShadowReport(
        version=version,
        tickets=len(shadow),
        agreement=sum(p.team == p.active_team for p in shadow.values()) / len(shadow) if shadow else None,
        judged=len(judged),
        shadow_accuracy=sum(p.team == gold[p.ticket_id] for p in judged) / len(judged) if judged else None,
        active_accuracy=sum(p.active_team == gold[p.ticket_id] for p in judged) / len(judged) if judged else None,
        active_models=sorted({p.active_model for p in shadow.values()}),
    )


def daily_accuracy(decisions: Sequence[ModelDecision], predictions: Sequence[ShadowPrediction],
                   feedback: Sequence[Feedback]) -> list[DailyAccuracy]:
    """Per day and model, the share of judged tickets whose latest decision (or shadow prediction) matched the
    agent's team. A ticket counts on the day it was decided."""
    gold = {ticket: item.team.value for ticket, item in latest_feedback(list(feedback)).items()}
    tally: dict[tuple[date, str, bool], list[int]] = defaultdict(lambda: [0, 0])
    latest: dict[str, ModelDecision] = {}
    for decision in decisions:  # oldest first
        latest[decision.ticket_id] = decision
    for decision in latest.values():
        if decision.ticket_id in gold:
            counts = tally[(decision.decided_at.date(), f"{decision.model_name}/{decision.model_version}", False)]
            counts[0] += 1
            counts[1] += decision.team == gold[decision.ticket_id]
    for key, items in _by_version(predictions).items():
        for prediction in items.values():
            if prediction.ticket_id in gold:
                counts = tally[(prediction.predicted_at.date(), key, True)]
                counts[0] += 1
                counts[1] += prediction.team == gold[prediction.ticket_id]
    return [DailyAccuracy(day=day, model=model, shadow=shadow, judged=n, accuracy=right / n)
            for (day, model, shadow), (n, right) in sorted(tally.items())]


def _by_version(predictions: Sequence[ShadowPrediction]) -> dict[str, dict[str, ShadowPrediction]]:
    grouped: dict[str, list[ShadowPrediction]] = defaultdict(list)
    for item in predictions:
        grouped[f"{item.model_name}/{item.model_version}"].append(item)
    return {key: _latest_per_ticket(items) for key, items in grouped.items()}
