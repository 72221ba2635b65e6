"""An operator's labelled tickets remembered by meaning: the nearest ones vote on a new ticket's category.

Retraining on the corpus plus a few dozen of an operator's tickets moves the model only a little: 50 tickets
are a small share of 10,000. The memory makes those tickets count where they apply. A new ticket whose
sentence embedding is close to some of the operator's labelled tickets gets their labels' vote, mixed into each
member's probabilities with a strength that grows with the similarity; a ticket unlike all of them is left as
the model sees it. `learn` chooses the strength by cross-validation on the operator's own tickets (0 turns the
memory off), so the memory is only as strong as it proved useful.

Numpy only: it runs wherever the model runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Cosine similarities of all-MiniLM-L6-v2 sentence embeddings: below FLOOR two tickets are about different
# things; at CEILING and above they are re-wordings of one complaint.
FLOOR = 0.45
CEILING = 0.80
NEIGHBOURS = 5
STRENGTHS = (0.0, 0.25, 0.5, 0.75, 0.9)  # what `learn` tries
DEFAULT_MEMORY_STRENGTH = 0.5  # kept unless another strength does better out of fold


@dataclass
class OperatorMemory:
    vectors: np.ndarray  # (n, dims) unit sentence embeddings of the operator's labelled tickets
    labels: list[str]  # each ticket's category
    strength: float  # 0..1: the vote's weight for a ticket at or above CEILING

    def vote(self, embeddings: np.ndarray, categories: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per text: the neighbours' vote over `categories` (rows sum to 1, or 0 with no neighbour), the weight
        (0..strength) it should get, and how many close neighbours back the vote's top category."""
        votes = np.zeros((len(embeddings), len(categories)))
        weights = np.zeros(len(embeddings))
        backing = np.zeros(len(embeddings), dtype=int)
        if not len(self.labels) or not len(embeddings) or self.strength <= 0:
            return votes, weights, backing
        column = {c: i for i, c in enumerate(categories)}
        known = np.array([label in column for label in self.labels])
        if not known.any():
            return votes, weights, backing
        vectors = self.vectors[known].astype(np.float32)
        labels = np.array([column[label] for label in np.array(self.labels)[known]])
        similarity = embeddings.astype(np.float32) @ vectors.T
        k = min(NEIGHBOURS, similarity.shape[1])
        nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        for row, indices in enumerate(nearest):
            close = np.clip(similarity[row, indices] - FLOOR, 0.0, None)
            if close.sum() <= 0:
                continue
            np.add.at(votes[row], labels[indices], close)
            votes[row] /= votes[row].sum()
            top = float(similarity[row, indices].max())
            weights[row] = self.strength * min(1.0, (top - FLOOR) / (CEILING - FLOOR))
            backing[row] = int(((close > 0) & (labels[indices] == votes[row].argmax())).sum())
        return votes, weights, backing

    def blend(self, probabilities: np.ndarray, votes: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """`probabilities` moved towards the vote by each row's weight (rows still sum to 1)."""
        return (1 - weights[:, None]) * probabilities + weights[:, None] * votes

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}vectors": self.vectors.astype(np.float16), f"{prefix}labels": np.array(self.labels),
                f"{prefix}strength": np.array(self.strength)}

    @classmethod
    def from_arrays(cls, data: object, prefix: str) -> OperatorMemory | None:
        files = getattr(data, "files", [])
        if f"{prefix}vectors" not in files:
            return None
        return cls(vectors=data[f"{prefix}vectors"].astype(np.float32),  # type: ignore[index]
                   labels=[str(label) for label in data[f"{prefix}labels"]],  # type: ignore[index]
                   strength=float(data[f"{prefix}strength"]))  # type: ignore[index]
