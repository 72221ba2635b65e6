"""Classifiers by versioned name. A published name never changes meaning; a new model gets a new name.

- `minilm-tfidf-v1` (default): MiniLM sentence embeddings + TF-IDF, an ensemble with calibrated confidence.
- `tfidf-lr-v2`: TF-IDF + logistic regression alone, for extreme throughput, trained on the current corpus.
- `tfidf-lr-v1`: the first TF-IDF model, frozen as published (trained on the first 2,336-record corpus).
- `keywords-v1`: the keyword baseline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ticket_router.model.base import Classifier

ARTIFACTS = Path(__file__).parent / "artifacts"
DEFAULT_MODEL = "minilm-tfidf-v1"


@dataclass(frozen=True)
class Family:
    """How to load a trained model from its file's bytes, and how to retrain it (training side)."""

    from_payload: Callable[[bytes, str, str], Classifier]
    retrain: Callable[..., tuple[bytes, dict[str, Any]]]


def _tfidf_from_payload(payload: bytes, name: str, version: str) -> Classifier:
    from ticket_router.domain import ModelInfo
    from ticket_router.model.tfidf import TfidfClassifier

    model = TfidfClassifier.from_bytes(payload, label=name)
    model.info = ModelInfo(name=name, version=version)
    return model


def _tfidf_retrain(*args: Any, **options: Any) -> tuple[bytes, dict[str, Any]]:
    from ticket_router.model.train import retrain_tfidf

    return retrain_tfidf(*args, **options)


def _ensemble_from_payload(payload: bytes, name: str, version: str) -> Classifier:
    from ticket_router.domain import ModelInfo
    from ticket_router.model.ensemble import EnsembleClassifier

    return EnsembleClassifier.from_bytes(payload, shared_encoder(), ModelInfo(name=name, version=version))


def _ensemble_retrain(*args: Any, **options: Any) -> tuple[bytes, dict[str, Any]]:
    from ticket_router.model.train_ensemble import retrain_ensemble

    return retrain_ensemble(*args, **options)


@lru_cache(maxsize=1)
def shared_encoder() -> Any:
    """One ONNX session per process, shared by every ensemble loaded (shipped, learned, shadow)."""
    from ticket_router.model.encoder import OnnxEncoder

    return OnnxEncoder()


FAMILIES: dict[str, Family] = {
    "tfidf-lr": Family(_tfidf_from_payload, _tfidf_retrain),
    "minilm-tfidf": Family(_ensemble_from_payload, _ensemble_retrain),
}
TRAINED = ("minilm-tfidf-v1", "tfidf-lr-v2")  # names `ticket-router train` rebuilds from the current corpus
FROZEN = ("tfidf-lr-v1",)  # published models kept as they are


class UnknownModel(ValueError):
    pass


def family(name: str) -> Family:
    stem = name.rsplit("-v", 1)[0]
    if name not in TRAINED + FROZEN or stem not in FAMILIES:
        raise UnknownModel(f"unknown model {name!r}; known: {', '.join(sorted(known()))}")
    return FAMILIES[stem]


def artifact_path(name: str) -> Path:
    family(name)
    return ARTIFACTS / f"{name}.npz"


def known() -> list[str]:
    return [*TRAINED, *FROZEN, "keywords-v1"]


def load_classifier(name: str, path: Path | None = None) -> Classifier:
    """The named model, from its shipped file or from `path`."""
    if name == "keywords-v1":
        from ticket_router.model.keywords import KeywordClassifier

        return KeywordClassifier()
    if name == "tfidf-lr-v1":  # published with the name "tfidf-lr" in its decisions; kept as it was
        from ticket_router.model.tfidf import TfidfClassifier

        return TfidfClassifier.load(path or artifact_path(name))
    source = path or artifact_path(name)
    return family(name).from_payload(source.read_bytes(), name, "1")
