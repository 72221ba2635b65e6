"""The classifier interface every model implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol

from ticket_router.domain import MAX_TOOL_CHARS, Category, ModelInfo

# Classification reads as much of the text as the other tools do: one bound, set in domain.py.
MAX_CLASSIFY_CHARS = MAX_TOOL_CHARS


class Prediction(NamedTuple):
    probabilities: dict[Category, float]  # one per category, summing to 1
    evidence: list[str]  # the words that pushed the text most towards its top category
    doubts: tuple[str, ...] = ()  # why the model is less sure than usual (members disagree, foreign text…)
    precedents: tuple[str, ...] = ()  # the operator's own labelled tickets behind the top category (`learn`)


class Classifier(Protocol):
    info: ModelInfo

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """One prediction per text, in order. Batch calls are much cheaper per text than single ones."""
        ...


def model_categories(classifier: Classifier) -> list[Category] | None:
    """The categories a classifier predicts (its `categories`), or None when it does not say (one that failed to
    load, a test double): the start-up check against the policy needs them."""
    categories = getattr(classifier, "categories", None)
    return list(categories) if categories is not None else None


def clip(text: str) -> str:
    return text[:MAX_CLASSIFY_CHARS]
