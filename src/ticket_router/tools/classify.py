"""Tool 1: classify_issue — the issue category with a probability for each, and secondary categories."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from ticket_router.domain import Category, ModelInfo
from ticket_router.model.base import Classifier
from ticket_router.policy import RoutingPolicy


class Classification(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    category: Category
    probabilities: dict[Category, float]
    secondary: list[Category] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    model: ModelInfo


def _from_probabilities(
    text: str, probabilities: dict[Category, float], classifier: Classifier, policy: RoutingPolicy
) -> Classification:
    ranked = sorted(probabilities, key=lambda c: -probabilities[c])
    top = ranked[0]
    return Classification(
        category=top,
        probabilities={c: round(probabilities[c], 4) for c in ranked},
        secondary=[c for c in ranked[1:] if probabilities[c] >= policy.secondary_category_threshold],
        evidence=classifier.evidence(text, top),
        model=classifier.info,
    )


def classify_issue(text: str, classifier: Classifier, policy: RoutingPolicy) -> Classification:
    """Classify one ticket text into Network Outage, Billing Dispute, Technical Problem or Account Access."""
    return classify_many([text], classifier, policy)[0]


def classify_many(texts: Sequence[str], classifier: Classifier, policy: RoutingPolicy) -> list[Classification]:
    """Batch form of `classify_issue`: one model call for many texts."""
    return [
        _from_probabilities(text, probabilities, classifier, policy)
        for text, probabilities in zip(texts, classifier.predict_proba(texts))
    ]
