"""Wiring: builds the store, classifier, policy and router that the edges (CLI, API, dashboard) use.

Nothing here runs at import; every function takes the settings it needs.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from ticket_router.domain import ModelInfo, utcnow
from ticket_router.model.base import Classifier, Prediction
from ticket_router.model.registry import load_classifier
from ticket_router.policy import RoutingPolicy
from ticket_router.router import Router
from ticket_router.settings import Settings
from ticket_router.store import Store, open_store
from ticket_router.store.seed import seed_demo

log = logging.getLogger(__name__)


class UnavailableClassifier:
    """Stands in for a model that failed to load: every call raises, so the router falls back and flags."""

    def __init__(self, name: str, error: Exception) -> None:
        self.info = ModelInfo(name=name, version="unavailable")
        self.error = error

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        raise RuntimeError(f"model {self.info.name} could not be loaded: {type(self.error).__name__}")


def open_configured_store(settings: Settings) -> Store:
    url, is_default = settings.database()
    store = open_store(url)
    if is_default and store.is_empty():
        seed_demo(store, utcnow())
    return store


def load_configured_classifier(settings: Settings) -> Classifier:
    try:
        return load_classifier(settings.model, settings.model_path)
    except Exception as error:  # noqa: BLE001 - routing goes on with the keyword fallback, flagged for review
        log.error("could not load model %s: %s", settings.model, type(error).__name__)
        return UnavailableClassifier(settings.model, error)


def policy_for(settings: Settings) -> RoutingPolicy:
    policy = RoutingPolicy()
    if settings.review_threshold != policy.review_threshold:
        policy = policy.model_copy(update={"review_threshold": settings.review_threshold,
                                           "version": f"{policy.version}+review{settings.review_threshold:g}"})
    return policy


def build_router(settings: Settings, store: Store, classifier: Classifier | None = None) -> Router:
    return Router(classifier or load_configured_classifier(settings), store, policy_for(settings))
