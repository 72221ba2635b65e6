"""The default model: MiniLM sentence embeddings + TF-IDF, averaged, with calibrated confidence.

Two members see a ticket differently. The TF-IDF logistic regression knows the corpus's exact words and
phrases; a logistic regression on all-MiniLM-L6-v2 embeddings (`encoder.py`) knows what the text means when
its words are new ("my bill doubled" vs "my speed halved"). Their temperature-scaled probabilities are averaged
with a weight chosen on the realistic dev set. The confidence then comes from `calibration.py`: it drops when
the members disagree, the text says almost nothing, is in another language, or is unlike any corpus ticket.

Run time needs numpy, onnxruntime and tokenizers only. One `.npz` file holds the TF-IDF member (under `tfidf/`),
the embedding head, the corpus prototypes and the calibrator; the encoder's ONNX file is shared and shipped.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

import numpy as np

from ticket_router.domain import Category, ModelInfo
from ticket_router.model.base import Prediction, clip
from ticket_router.model.calibration import Calibrator, Signals, reshape, word_signals
from ticket_router.model.encoder import OnnxEncoder
from ticket_router.model.memory import OperatorMemory
from ticket_router.model.tfidf import TfidfClassifier, npz_bytes, softmax


class EnsembleClassifier:
    def __init__(
        self,
        tfidf: TfidfClassifier,
        head_coef: np.ndarray,  # (categories, 384), in `tfidf.categories` order
        head_intercept: np.ndarray,
        head_temperature: float,
        tfidf_weight: float,
        prototypes: np.ndarray,  # (k, 384) unit vectors summarising the corpus
        calibrator: Calibrator,
        encoder: OnnxEncoder,
        meta: dict[str, Any],
        info: ModelInfo | None = None,
        memory: OperatorMemory | None = None,  # an operator's labelled tickets (`learn`), when it has any
    ) -> None:
        self.tfidf = tfidf
        self.head_coef, self.head_intercept, self.head_temperature = head_coef, head_intercept, head_temperature
        self.tfidf_weight = tfidf_weight
        self.prototypes = prototypes
        self.calibrator = calibrator
        self.encoder = encoder
        self.meta = meta
        self.memory = memory
        self.categories = tfidf.categories
        self.info = info or ModelInfo(name=meta.get("name", "minilm-tfidf-v1"), version=meta.get("version", "1"))

    # inference -------------------------------------------------------------------------------------------
    def members(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each member's probabilities and the embeddings: (TF-IDF, embedding head, embeddings)."""
        return self._members(texts)[:3]

    def _members(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[Any],
                                                      list[tuple[int, int] | None]]:
        """The members' probabilities, the embeddings, each text's word features, and, where the operator's
        own labelled tickets (the memory) weighed in, the category they back and how many back it."""
        clipped = [clip(t) for t in texts]
        rows = [self.tfidf.word_rows(t) for t in clipped]  # kept: the evidence reads the same word features
        logits = np.array([r[1] for r in rows]).reshape(len(texts), len(self.categories))
        tfidf = softmax(logits / self.tfidf.temperature)
        embeddings = self.encoder.embed(clipped)
        head = softmax((embeddings @ self.head_coef.T + self.head_intercept) / self.head_temperature)
        backed: list[tuple[int, int] | None] = [None] * len(texts)
        if self.memory is not None:  # both members lean towards the operator's nearest labelled tickets
            votes, weights, backing = self.memory.vote(embeddings, [c.value for c in self.categories])
            tfidf, head = self.memory.blend(tfidf, votes, weights), self.memory.blend(head, votes, weights)
            backed = [(int(v.argmax()), int(b)) if w >= NOTE_FROM else None for v, w, b in zip(votes, weights, backing)]
        return tfidf, head, embeddings, [r[0] for r in rows], backed

    def signals(self, texts: Sequence[str], tfidf: np.ndarray, head: np.ndarray,
                embeddings: np.ndarray) -> tuple[np.ndarray, Signals, np.ndarray]:
        """The averaged probabilities, the calibration signals and each text's count of letters."""
        mixed = self.tfidf_weight * tfidf + (1 - self.tfidf_weight) * head
        chosen = mixed.argmax(axis=1)
        rows = np.arange(len(texts))
        words = [word_signals(clip(t), self.tfidf._words) for t in texts]
        signals = Signals(
            top=mixed[rows, chosen],
            agree=(tfidf.argmax(axis=1) == head.argmax(axis=1)).astype(float),
            weaker=np.minimum(tfidf[rows, chosen], head[rows, chosen]),
            content_words=np.array([w[0] for w in words], dtype=float),
            known_share=np.array([w[1] for w in words], dtype=float),
            similarity=(embeddings @ self.prototypes.T).max(axis=1) if len(texts) else np.zeros(0),
        )
        counts = np.array([sum(c.isalpha() for c in t[:200]) for t in texts])  # enough to judge a language
        return mixed, signals, counts

    def predict(self, texts: Sequence[str], k: int = 4) -> list[Prediction]:
        if not texts:
            return []
        tfidf, head, embeddings, words, backed = self._members(texts)
        mixed, signals, counts = self.signals(texts, tfidf, head, embeddings)
        confidence, doubts = self.calibrator.confidence(signals, counts)
        calibrated = reshape(mixed, confidence)
        predictions = []
        for text, row, reasons, (indices, values), memory in zip(texts, calibrated, doubts, words, backed):
            top = int(row.argmax())
            evidence = self.tfidf.evidence(clip(text), indices, values, top, k)
            precedents = (memory_note(memory[1]),) if memory and memory[0] == top else ()
            predictions.append(Prediction(dict(zip(self.categories, map(float, row))), evidence, tuple(reasons),
                                          precedents))
        return predictions

    # files -----------------------------------------------------------------------------------------------
    def arrays(self) -> dict[str, np.ndarray]:
        header = {**self.meta, "categories": [c.value for c in self.categories], "tfidf_weight": self.tfidf_weight,
                  "head_temperature": self.head_temperature}
        return {"header": np.array(json.dumps(header)), **self.tfidf.arrays("tfidf/"), "head_coef": self.head_coef,
                "head_intercept": self.head_intercept, "prototypes": self.prototypes.astype(np.float32),
                **self.calibrator.arrays("calibrator/"), **(self.memory.arrays("memory/") if self.memory else {})}

    def to_bytes(self) -> bytes:
        return npz_bytes(self.arrays())

    @classmethod
    def from_bytes(cls, payload: bytes, encoder: OnnxEncoder, info: ModelInfo | None = None) -> EnsembleClassifier:
        with np.load(io.BytesIO(payload), allow_pickle=False) as data:
            header = json.loads(str(data["header"]))
            tfidf = TfidfClassifier.from_arrays(data, prefix="tfidf/", label=header.get("name", "ensemble"))
            if [c.value for c in tfidf.categories] != header["categories"]:
                raise ValueError("the ensemble's members disagree on the categories; retrain it")
            return cls(tfidf, data["head_coef"], data["head_intercept"], float(header["head_temperature"]),
                       float(header["tfidf_weight"]), data["prototypes"],
                       Calibrator.from_arrays(data, "calibrator/"), encoder, header, info,
                       OperatorMemory.from_arrays(data, "memory/"))


NOTE_FROM = 0.2  # a memory vote weighing at least this much is named in the decision's reasoning


def memory_note(backing: int) -> str:
    return f"like {backing} of the operator's own labelled ticket{'s' if backing != 1 else ''}"


def category_order(categories: list[Category], classes: Sequence[str]) -> list[int]:
    """Column indices that put a scikit-learn classifier's `classes` into `categories` order."""
    return [list(classes).index(c.value) for c in categories]
