"""The classifier interface every model implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol

from ticket_router.domain import Category, ModelInfo

# Classification reads at most this much text: hundreds of KB of pasted logs add no signal and cost time.
MAX_CLASSIFY_CHARS = 20_000


class Prediction(NamedTuple):
    probabilities: dict[Category, float]  # one per category, summing to 1
    evidence: list[str]  # the words that pushed the text most towards its top category
    doubts: tuple[str, ...] = ()  # why the model is less sure than usual (members disagree, foreign text…)


class Classifier(Protocol):
    info: ModelInfo

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """One prediction per text, in order. Batch calls are much cheaper per text than single ones."""
        ...


def clip(text: str) -> str:
    return text[:MAX_CLASSIFY_CHARS]
