"""Training the ensemble (`ensemble.py`): the embedding head, the corpus prototypes and the calibrator.

Training side only (scikit-learn). The encoder is the shipped int8 ONNX one, so training embeds exactly as run
time does and needs no PyTorch. Choices made on the realistic dev set (`benchmarks/model_selection.py`):
the head is trained on the corpus plus a subject-only copy of every record that has both a subject and a
description (real traffic is mostly titles), C=4; the members are averaged with equal weight.

The calibrator is fitted on (a) 5-fold out-of-fold predictions of both members on the corpus and (b) the
members' predictions on the dev files given, weighted `dev_weight` each, since they look like real traffic.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

import numpy as np

from ticket_router.domain import Category
from ticket_router.model.calibration import FEATURES, Calibrator
from ticket_router.model.corpus import LabelledTicket
from ticket_router.model.encoder import DEFAULT_ENCODER, OnnxEncoder
from ticket_router.model.ensemble import EnsembleClassifier, category_order
from ticket_router.model.memory import DEFAULT_MEMORY_STRENGTH, OperatorMemory
from ticket_router.model.tfidf import TfidfClassifier, softmax
from ticket_router.model.train import fit_temperature, widened

HEAD_C = 4.0
TFIDF_WEIGHT = 0.5
PROTOTYPES = 200
FOLDS = 5


def subject_copies(examples: Sequence[LabelledTicket]) -> list[LabelledTicket]:
    """A subject-only copy of each example that has both a subject and a description."""
    return [e.model_copy(update={"description": ""}) for e in examples if e.subject.strip() and e.description.strip()]


def corpus_embeddings(encoder: OnnxEncoder, examples: Sequence[LabelledTicket], digest: str) -> np.ndarray:
    """Embeddings of the corpus texts then of their subject copies; cached by corpus and encoder."""
    from ticket_router.model.candidate import cached_arrays

    texts = [e.text for e in examples] + [e.text for e in subject_copies(examples)]
    key = f"embeddings:{digest}:{encoder_digest()}:{encoder.max_tokens}"
    return cached_arrays(key, lambda: {"embeddings": encoder.embed(texts)})["embeddings"]


def encoder_digest() -> str:
    return hashlib.sha256(DEFAULT_ENCODER.onnx.read_bytes()[:1_000_000]).hexdigest()[:16]


def fit_head(vectors: np.ndarray, labels: Sequence[str], weights: np.ndarray | None, seed: int,
             start: tuple[list[Category], np.ndarray, np.ndarray] | None = None, C: float = HEAD_C) -> Any:
    """The embedding head; from `start` (categories, head coefficients, intercepts) when given (a refit: fewer
    iterations)."""
    from sklearn.linear_model import LogisticRegression

    from ticket_router.model.train import warm_started

    head = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=seed)
    if start is not None:
        head = warm_started(head, *start)
    return head.fit(vectors, list(labels), sample_weight=weights)


def head_out_of_fold(examples: Sequence[LabelledTicket], vectors: np.ndarray, seed: int,
                     categories: list) -> np.ndarray:
    """Out-of-fold head logits for each corpus example; a held-out example's subject copy is held out too."""
    from sklearn.model_selection import StratifiedKFold

    n = len(examples)
    copy_of = [i for i, e in enumerate(examples) if e.subject.strip() and e.description.strip()]
    labels = np.array([e.category.value for e in examples])
    logits = np.zeros((n, len(categories)))
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    for train, test in folds.split(np.zeros(n), labels):
        keep = set(train.tolist())
        rows = list(train) + [n + j for j, i in enumerate(copy_of) if i in keep]
        row_labels = [examples[i].category.value if i < n else examples[copy_of[i - n]].category.value for i in rows]
        head = fit_head(vectors[rows], row_labels, None, seed)
        logits[test] = head.decision_function(vectors[test])[:, category_order(categories, head.classes_)]
    return logits


def fit_prototypes(vectors: np.ndarray, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    centres = KMeans(n_clusters=min(PROTOTYPES, len(vectors)), n_init=1, random_state=seed).fit(vectors).cluster_centers_
    return (centres / np.linalg.norm(centres, axis=1, keepdims=True)).astype(np.float32)


def fit_calibrator(features: np.ndarray, correct: np.ndarray, weights: np.ndarray) -> Calibrator:
    from sklearn.linear_model import LogisticRegression

    fit = LogisticRegression(C=1.0, max_iter=2000).fit(features, correct.astype(int), sample_weight=weights)
    return Calibrator(coef=fit.coef_[0].astype(float), intercept=float(fit.intercept_[0]))


def calibration_rows(model: EnsembleClassifier, texts: Sequence[str], gold: Sequence[str],
                     tfidf: np.ndarray | None = None, head: np.ndarray | None = None,
                     embeddings: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Calibration features and whether the ensemble was right, for `texts` (members' outputs may be given)."""
    if tfidf is None or head is None or embeddings is None:
        tfidf, head, embeddings = model.members(texts)
    mixed, signals, _ = model.signals(texts, tfidf, head, embeddings)
    predicted = np.array([model.categories[i].value for i in mixed.argmax(axis=1)])
    return signals.matrix(), predicted == np.array(list(gold))


def train_ensemble(
    examples: list[LabelledTicket], digest: str, tfidf_model: TfidfClassifier, tfidf_out_of_fold: np.ndarray,
    dev: Sequence[tuple[list[str], list[str]]], *, seed: int = 13, dev_weight: float = 3.0,
    encoder: OnnxEncoder | None = None,
) -> EnsembleClassifier:
    """The ensemble from a trained TF-IDF member (with its out-of-fold logits) and the corpus; the calibrator
    also learns from `dev`: (texts, gold categories) pairs of realistic tickets."""
    import sklearn

    encoder = encoder or OnnxEncoder()
    categories = tfidf_model.categories
    copies = subject_copies(examples)
    vectors = corpus_embeddings(encoder, examples, digest)
    labels = [e.category.value for e in examples + copies]
    oof_head = head_out_of_fold(examples, vectors, seed, categories)
    gold_index = np.array([categories.index(e.category) for e in examples])
    head_temperature = fit_temperature(oof_head, gold_index)
    head = fit_head(vectors, labels, None, seed)
    order = category_order(categories, head.classes_)
    meta = {"name": "minilm-tfidf-v1", "version": "1", "corpus_sha256": digest, "seed": seed,
            "examples": len(examples), "subject_copies": len(copies), "head_C": HEAD_C,
            "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "sklearn": sklearn.__version__,
            "encoder": DEFAULT_ENCODER.onnx.name, "encoder_max_tokens": encoder.max_tokens,
            "calibration": {"features": list(FEATURES), "dev_sets": len(dev), "dev_weight": dev_weight}}
    model = EnsembleClassifier(tfidf_model, head.coef_[order], head.intercept_[order], head_temperature,
                               TFIDF_WEIGHT, fit_prototypes(vectors[:len(examples)], seed),
                               Calibrator(coef=np.zeros(len(FEATURES)), intercept=0.0), encoder, meta)
    n = len(examples)
    features, correct = calibration_rows(
        model, [e.text for e in examples], [e.category.value for e in examples],
        softmax(tfidf_out_of_fold / tfidf_model.temperature), softmax(oof_head / head_temperature), vectors[:n])
    weights = [np.ones(n)]
    parts, hits = [features], [correct]
    for texts, gold in dev:
        f, c = calibration_rows(model, texts, gold)
        parts.append(f), hits.append(c), weights.append(np.full(len(texts), dev_weight))
    model.calibrator = fit_calibrator(np.vstack(parts), np.concatenate(hits), np.concatenate(weights))
    model.meta["calibration"]["oof_accuracy"] = float(correct.mean())
    return model


def retrain_ensemble(
    base_payload: bytes, examples: list[LabelledTicket], digest: str, extra: list[LabelledTicket], weight: float,
    seed: int, memory_strength: float = DEFAULT_MEMORY_STRENGTH,
) -> tuple[bytes, dict[str, Any]]:
    """The ensemble refitted on corpus + `extra` (weighted): both members' logistic regressions are refitted on
    cached features (TF-IDF vocabulary and corpus embeddings kept); weights, temperatures, prototypes and the
    calibrator are kept from the base model (the calibrator reads class-agnostic signals: the top probability,
    the members' agreement, the text's words; so it holds for added categories too). `extra` is also kept as
    the model's memory (`memory.py`), with `memory_strength`."""
    from ticket_router.model.train import retrain_tfidf

    from ticket_router.model.registry import shared_encoder

    encoder = shared_encoder()
    base = EnsembleClassifier.from_bytes(base_payload, encoder)
    tfidf_payload, _ = retrain_tfidf(base.tfidf.to_bytes(), examples, digest, extra, weight, seed)
    tfidf_model = TfidfClassifier.from_bytes(tfidf_payload)
    copies, extra_copies = subject_copies(examples), subject_copies(extra)
    corpus_vectors = corpus_embeddings(encoder, examples, digest)
    extra_vectors = encoder.embed([e.text for e in extra + extra_copies]) if extra else np.zeros((0, 384))
    vectors = np.vstack([corpus_vectors, extra_vectors])
    labels = [e.category.value for e in examples + copies + extra + extra_copies]
    weights = np.concatenate([np.ones(len(corpus_vectors)), np.full(len(extra_vectors), weight)])
    # the TF-IDF refit decided the classes (the base's plus the operator's own); added ones start from zero
    start = widened(base.categories, base.head_coef, base.head_intercept, tfidf_model.categories)
    head = fit_head(vectors, labels, weights, seed, start=start)
    order = category_order(tfidf_model.categories, head.classes_)
    trained_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    memory = OperatorMemory(vectors=extra_vectors[:len(extra)], labels=[e.category.value for e in extra],
                            strength=memory_strength) if extra else None
    model = EnsembleClassifier(tfidf_model, head.coef_[order], head.intercept_[order], base.head_temperature,
                               base.tfidf_weight, base.prototypes, base.calibrator, encoder,
                               {**base.meta, "trained_at": trained_at, "examples": len(examples) + len(extra),
                                "categories": [c.value for c in tfidf_model.categories]}, memory=memory)
    return model.to_bytes(), {"trained_at": trained_at, "categories": model.meta["categories"],
                              "memory_strength": memory_strength if extra else None}
