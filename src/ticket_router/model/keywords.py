"""A keyword-matching classifier: the benchmark baseline (like the specification's mock tools) and the
fallback when the trained model cannot be loaded. It knows the four built-in categories only (every policy keeps
them), never a policy's own: under such a policy a fallback decision goes to one of those four's teams."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ticket_router.domain import Category, ModelInfo
from ticket_router.model.base import Prediction

KEYWORDS: dict[Category, tuple[str, ...]] = {
    Category.NETWORK_OUTAGE: ("outage", "down", "no signal", "no service", "slow", "speed", "dropped",
                              "disconnect", "coverage", "network", "latency", "throttl"),
    Category.BILLING_DISPUTE: ("bill", "charge", "refund", "payment", "invoice", "fee", "price", "credit",
                               "overcharg", "cost", "paid", "cap"),
    Category.TECHNICAL_PROBLEM: ("router", "modem", "device", "error", "setup", "install", "wifi", "box",
                                 "sim", "voicemail", "app", "technician", "reset"),
    Category.ACCOUNT_ACCESS: ("login", "log in", "password", "account", "locked", "cancel", "contract",
                              "upgrade", "plan", "customer service", "access"),
}


class KeywordClassifier:
    """Counts keyword hits per category; with no hit at all it is uniform (and so always needs review)."""

    info = ModelInfo(name="keywords", version="1")

    def __init__(self, keywords: dict[Category, tuple[str, ...]] | None = None) -> None:
        words = keywords or KEYWORDS
        self._patterns = {c: re.compile("|".join(re.escape(w) for w in ws), re.IGNORECASE) for c, ws in words.items()}

    @property
    def categories(self) -> list[Category]:
        """Only the built-in categories: the keyword lists know nothing of a policy's own (a fallback only)."""
        return list(self._patterns)

    def _hits(self, text: str) -> dict[Category, list[str]]:
        return {c: [m.group(0).lower() for m in p.finditer(text)] for c, p in self._patterns.items()}

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        predictions = []
        for text in texts:
            hits = self._hits(text)
            total = sum(len(h) for h in hits.values())
            probabilities = {c: (len(h) + 0.25) / (total + 0.25 * len(hits)) for c, h in hits.items()}
            top = max(probabilities, key=probabilities.__getitem__)
            predictions.append(Prediction(probabilities, list(dict.fromkeys(hits[top]))[:4]))
        return predictions
