"""Wiring: builds the store, classifier, policy and router that the edges (CLI, API, dashboard) use.

Nothing here runs at import; every function takes the settings it needs.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from ticket_router.domain import ModelInfo, utcnow
from ticket_router.model.base import Classifier, Prediction, model_categories
from ticket_router.model.registry import load_classifier
from ticket_router.policy import RoutingPolicy
from ticket_router.policy_file import load_policy
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
    """The built-in policy, or the file's (`TICKET_ROUTER_POLICY`, `--policy`; raises PolicyFileError when it is
    unusable); a review threshold set explicitly in the settings wins over either, under a derived version."""
    policy = load_policy(settings.policy) if settings.policy is not None else RoutingPolicy()
    if "review_threshold" in settings.model_fields_set and settings.review_threshold != policy.review_threshold:
        policy = policy.model_copy(update={"review_threshold": settings.review_threshold,
                                           "version": f"{policy.version}+review{settings.review_threshold:g}"})
    return policy


def check_classifier(classifier: Classifier, policy: RoutingPolicy) -> Classifier:
    """`classifier`, when the policy maps every category it predicts; else `PolicyMismatch`, naming them and the
    model version: a model trained for another policy's categories cannot route under this one."""
    categories = model_categories(classifier)
    if categories is not None:
        policy.check_model(categories, f"{classifier.info.name} v{classifier.info.version}")
    return classifier


def build_router(settings: Settings, store: Store, classifier: Classifier | None = None) -> Router:
    """The router over `store`. Without a classifier passed in, it routes with the store's active model version
    (the shipped model when none is active; `TICKET_ROUTER_MODEL` or `_MODEL_PATH` set explicitly win) and scores
    with its shadow version;
    `router.watcher` keeps both current (`refresh()`, or `start()` in a long-running process).
    Raises `PolicyMismatch` when the model predicts categories the policy lacks."""
    from ticket_router.model.shadow import ShadowScorer
    from ticket_router.model.versions import ModelWatcher, load_version
    from ticket_router.store.versions import ACTIVE, ModelVersionStore

    policy = policy_for(settings)
    explicit = settings.model_path is not None or "model" in settings.model_fields_set  # the operator's choice wins
    if classifier is not None or explicit or not isinstance(store, ModelVersionStore):
        return Router(check_classifier(classifier or load_configured_classifier(settings), policy), store, policy)
    try:
        active = store.model_pointer(ACTIVE)
        stored = store.get_model_version(active) if active else None
    except Exception as error:  # noqa: BLE001 - no database: the shipped model routes (the store flags it)
        log.warning("could not read the active model version: %s", type(error).__name__)
        return Router(check_classifier(load_configured_classifier(settings), policy), store, policy)
    loaded = None
    if stored is not None:
        try:
            loaded = load_version(stored)
        except Exception as error:  # noqa: BLE001 - a broken version leaves the shipped model in use
            log.error("could not load model version %s: %s", active, type(error).__name__)
    shadow = ShadowScorer(store, policy)
    router = Router(check_classifier(loaded or load_configured_classifier(settings), policy), store, policy,
                    shadow=shadow)
    router.watcher = ModelWatcher(
        store, on_active=lambda c: setattr(router, "classifier", c), on_shadow=lambda c: setattr(shadow, "classifier", c),
        default=lambda: load_configured_classifier(settings), interval_s=settings.model_poll_s,
        loaded_active=active if loaded is not None else None,
        check=lambda c: check_classifier(c, policy))
    try:
        router.watcher.refresh()
    except Exception as error:  # noqa: BLE001 - the shadow is optional; the poll will try again
        log.warning("could not read the shadow model version: %s", type(error).__name__)
    return router
