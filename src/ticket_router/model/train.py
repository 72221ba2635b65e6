"""`ticket-router train`: rebuild the embedded model from the corpus, reproducibly (fixed seed, sorted files)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from ticket_router.model import tfidf
from ticket_router.model.corpus import LabelledTicket
from ticket_router.model.tfidf import TfidfClassifier, softmax


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The temperature that minimises the negative log-likelihood of out-of-fold predictions."""
    best, best_nll = 1.0, float("inf")
    for temperature in np.linspace(0.2, 5.0, 97):
        probabilities = softmax(logits / temperature)
        nll = -np.mean(np.log(probabilities[np.arange(len(labels)), labels] + 1e-12))
        if nll < best_nll:
            best, best_nll = float(temperature), float(nll)
    return best


def train_tfidf(
    examples: list[LabelledTicket], corpus_sha256: str, seed: int = 13
) -> tuple[TfidfClassifier, Any]:
    """The exported (numpy) model and the fitted sklearn pipeline it came from."""
    import sklearn
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    texts = [e.text for e in examples]
    labels = [e.category.value for e in examples]
    pipeline = tfidf.build_pipeline(seed)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    out_of_fold = cross_val_predict(pipeline, texts, labels, cv=folds, method="decision_function")
    classes = sorted(set(labels))
    temperature = fit_temperature(out_of_fold, np.array([classes.index(label) for label in labels]))
    pipeline.fit(texts, labels)
    meta = {
        "name": tfidf.NAME,
        "version": tfidf.VERSION,
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "examples": len(examples),
        "corpus_sha256": corpus_sha256,
        "seed": seed,
        "temperature": temperature,
        "sklearn": sklearn.__version__,
        "cv_accuracy": float(np.mean(np.array(classes)[out_of_fold.argmax(axis=1)] == np.array(labels))),
    }
    return TfidfClassifier.from_pipeline(pipeline, temperature, meta), pipeline


def default_model_path() -> Path:
    return Path(__file__).parent / "artifacts" / f"{tfidf.NAME}-v{tfidf.VERSION}.npz"
