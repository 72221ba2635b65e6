"""Tool 1: classify_issue — the issue category with a probability for each, and secondary categories."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from ticket_router.domain import Category, ModelInfo
from ticket_router.model.base import Classifier, Prediction
from ticket_router.policy import RoutingPolicy


class Classification(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    category: Category
    probabilities: dict[Category, float]
    secondary: list[Category] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    model: ModelInfo


def from_prediction(prediction: Prediction, model: ModelInfo, policy: RoutingPolicy) -> Classification:
    probabilities = prediction.probabilities
    ranked = sorted(probabilities, key=lambda c: -probabilities[c])
    return Classification(
        category=ranked[0],
        probabilities={c: round(probabilities[c], 4) for c in ranked},
        secondary=[c for c in ranked[1:] if probabilities[c] >= policy.secondary_category_threshold],
        evidence=prediction.evidence,
        model=model,
    )


def classify_issue(text: str, classifier: Classifier, policy: RoutingPolicy) -> Classification:
    """Classify one ticket text into Network Outage, Billing Dispute, Technical Problem or Account Access."""
    return classify_many([text], classifier, policy)[0]


def classify_many(texts: Sequence[str], classifier: Classifier, policy: RoutingPolicy) -> list[Classification]:
    """Batch form of `classify_issue`: one model call for many texts."""
    return [from_prediction(p, classifier.info, policy) for p in classifier.predict(texts)]
