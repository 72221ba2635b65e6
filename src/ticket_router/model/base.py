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


def clip(text: str) -> str:
    return text[:MAX_CLASSIFY_CHARS]
