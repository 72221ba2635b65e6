"""Tool 1: classify_issue — the issue category with a probability for each, and secondary categories."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from ticket_router.domain import Category, ModelInfo
from ticket_router.model.base import Classifier, Prediction, clip
from ticket_router.policy import RoutingPolicy
from ticket_router.tools.mentions import mentioned_categories


class Classification(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    category: Category
    probabilities: dict[Category, float]
    secondary: list[Category] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    mentions: dict[Category, list[str]] = Field(default_factory=dict)  # cue phrases of each secondary category
    doubts: list[str] = Field(default_factory=list)  # why the model is less sure (shown when it is flagged)
    precedents: list[str] = Field(default_factory=list)  # the operator's labelled tickets behind the category
    model: ModelInfo


def from_prediction(prediction: Prediction, model: ModelInfo, policy: RoutingPolicy, text: str) -> Classification:
    """Secondary categories: the ones the model gives real probability to, and the ones the text gives
    `policy.secondary_min_cues` distinct cues for (see `mentions.py`)."""
    probabilities = prediction.probabilities
    ranked = sorted(probabilities, key=lambda c: -probabilities[c])
    cues = mentioned_categories(clip(text), policy.secondary_min_cues)
    secondary = [c for c in ranked[1:] if probabilities[c] >= policy.secondary_category_threshold or c in cues]
    return Classification(
        category=ranked[0],
        probabilities={c: round(probabilities[c], 4) for c in ranked},
        secondary=secondary,
        evidence=prediction.evidence,
        mentions={c: cues[c][:4] for c in secondary if c in cues},
        doubts=list(prediction.doubts),
        precedents=list(prediction.precedents),
        model=model,
    )


def classify_issue(text: str, classifier: Classifier, policy: RoutingPolicy) -> Classification:
    """Classify one ticket text into Network Outage, Billing Dispute, Technical Problem or Account Access."""
    return classify_many([text], classifier, policy)[0]


def classify_many(texts: Sequence[str], classifier: Classifier, policy: RoutingPolicy) -> list[Classification]:
    """Batch form of `classify_issue`: one model call for many texts."""
    return [from_prediction(p, classifier.info, policy, text) for p, text in zip(classifier.predict(texts), texts)]
