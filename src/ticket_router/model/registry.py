"""Classifiers by versioned name. A published name never changes meaning; a new model gets a new name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ticket_router.model.base import Classifier


def _tfidf(path: Path | None) -> Classifier:
    from ticket_router.model.tfidf import TfidfClassifier
    from ticket_router.model.train import default_model_path

    return TfidfClassifier.load(path or default_model_path())


def _keywords(path: Path | None) -> Classifier:
    from ticket_router.model.keywords import KeywordClassifier

    return KeywordClassifier()


FACTORIES: dict[str, Callable[[Path | None], Classifier]] = {
    "tfidf-lr-v1": _tfidf,
    "keywords-v1": _keywords,
}


class UnknownModel(ValueError):
    pass


def load_classifier(name: str, path: Path | None = None) -> Classifier:
    try:
        factory = FACTORIES[name]
    except KeyError:
        raise UnknownModel(f"unknown model {name!r}; known: {', '.join(sorted(FACTORIES))}") from None
    return factory(path)
