"""Evaluation figures: accuracy, macro-F1, per-team precision/recall, confusion matrix and calibration (ECE)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict


class TeamScores(BaseModel):
    model_config = ConfigDict(frozen=True)

    precision: float
    recall: float
    f1: float
    support: int


class Evaluation(BaseModel):
    model_config = ConfigDict(frozen=True)

    count: int
    accuracy: float
    macro_f1: float
    per_team: dict[str, TeamScores]
    labels: list[str]
    confusion: list[list[int]]  # rows: gold, columns: predicted, both in `labels` order
    ece: float
    review_rate: float
    accuracy_when_confident: float | None


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    """Mean |accuracy − confidence| over equal-width confidence bins, weighted by bin size."""
    total = len(confidences)
    if not total:
        return 0.0
    error = 0.0
    for index in range(bins):
        low, high = index / bins, (index + 1) / bins
        members = [i for i, c in enumerate(confidences) if low < c <= high or (index == 0 and c == 0.0)]
        if members:
            accuracy = sum(correct[i] for i in members) / len(members)
            confidence = sum(confidences[i] for i in members) / len(members)
            error += len(members) / total * abs(accuracy - confidence)
    return error


def evaluate_predictions(
    gold: Sequence[str], predicted: Sequence[str], confidences: Sequence[float], labels: Sequence[str],
    review_threshold: float,
) -> Evaluation:
    correct = [g == p for g, p in zip(gold, predicted)]
    per_team: dict[str, TeamScores] = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted) if g == label and p == label)
        predicted_n = sum(1 for p in predicted if p == label)
        gold_n = sum(1 for g in gold if g == label)
        precision = tp / predicted_n if predicted_n else 0.0
        recall = tp / gold_n if gold_n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_team[label] = TeamScores(precision=precision, recall=recall, f1=f1, support=gold_n)
    present = [label for label in labels if per_team[label].support]
    confident = [i for i, c in enumerate(confidences) if c >= review_threshold]
    return Evaluation(
        count=len(gold),
        accuracy=sum(correct) / len(gold) if gold else 0.0,
        macro_f1=sum(per_team[label].f1 for label in present) / len(present) if present else 0.0,
        per_team=per_team,
        labels=list(labels),
        confusion=[[sum(1 for g, p in zip(gold, predicted) if g == row and p == col) for col in labels]
                   for row in labels],
        ece=expected_calibration_error(confidences, correct),
        review_rate=1 - len(confident) / len(gold) if gold else 0.0,
        accuracy_when_confident=sum(correct[i] for i in confident) / len(confident) if confident else None,
    )
