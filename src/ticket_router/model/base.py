"""The classifier interface every model implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ticket_router.domain import Category, ModelInfo

# Classification reads at most this much text: hundreds of KB of pasted logs add no signal and cost time.
MAX_CLASSIFY_CHARS = 20_000


class Classifier(Protocol):
    info: ModelInfo

    def predict_proba(self, texts: Sequence[str]) -> list[dict[Category, float]]:
        """One probability per category for each text; each row sums to 1."""
        ...

    def evidence(self, text: str, category: Category, k: int = 4) -> list[str]:
        """The words in `text` that pushed it most towards `category`."""
        ...


def clip(text: str) -> str:
    return text[:MAX_CLASSIFY_CHARS]
