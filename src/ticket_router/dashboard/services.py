"""What the pages share: settings, the store, the router and short-lived read caches.

Nothing is built at import. The store and the model are built on first use and cached per server process (keyed
by the settings that make them), so every browser session works on the same storage as the CLI and the API.
Reads that every page repeats (decisions of a period, feedback, customers) are cached for a few seconds and
dropped after any write made from the dashboard.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import streamlit as st
from sqlalchemy.engine import make_url

from ticket_router.bootstrap import build_router, load_configured_classifier, open_configured_store
from ticket_router.domain import Customer, Decision, Feedback, Outage, Ticket, utcnow
from ticket_router.model.base import Classifier
from ticket_router.policy import RoutingPolicy
from ticket_router.settings import Settings, load_settings
from ticket_router.stats import Stats, compute_stats
from ticket_router.store.base import DecisionRow, Store

READ_TTL_S = 15
DECISION_LIMIT = 50_000
ENGINE_KEY = "cfg.engine"
THRESHOLD_KEY = "cfg.threshold"


class Engine(Protocol):
    """What a page needs from a routing engine (the local `Router` and every engine of `engines.factory`)."""

    def route_many(self, tickets: Sequence[Ticket], save: bool = True) -> list[Decision]: ...


@dataclass(frozen=True)
class Context:
    """Everything a page render needs, for one run of the script."""

    settings: Settings
    store: Store
    engine: str
    review_threshold: float

    @property
    def url(self) -> str:
        return self.settings.database()[0]

    def router(self, engine: str | None = None) -> Engine:
        return _engine(self.url, self.settings.model, str(self.settings.model_path or ""), engine or self.engine,
                       self.review_threshold, self.settings, self.store)


# construction ------------------------------------------------------------------------------------------------
def settings() -> Settings:
    """Read on every run (it is cheap) so a test or a restart with other variables gets other settings."""
    return load_settings()


def context(current: Settings | None = None) -> Context:
    current = current or settings()
    url = current.database()[0]
    engine = st.session_state.get(ENGINE_KEY) or getattr(current, "engine", "local")
    threshold = st.session_state.get(THRESHOLD_KEY, current.review_threshold)
    return Context(settings=current, store=_store(url, current), engine=engine, review_threshold=float(threshold))


def open_store_for(current: Settings) -> Store:
    return _store(current.database()[0], current)


@st.cache_resource(show_spinner=False)
def _store(url: str, _settings: Settings) -> Store:
    return open_configured_store(_settings)


@st.cache_resource(show_spinner="Loading the routing model…")
def _classifier(model: str, model_path: str, _settings: Settings) -> Classifier:
    return load_configured_classifier(_settings)


@st.cache_resource(show_spinner=False)
def _engine(url: str, model: str, model_path: str, engine: str, threshold: float,
            _settings: Settings, _store: Store) -> Engine:
    effective = _settings.model_copy(update={"review_threshold": threshold})
    classifier = _classifier(model, model_path, _settings)
    if importlib.util.find_spec("ticket_router.engines") is None:
        return build_router(effective, _store, classifier)
    from ticket_router.engines.factory import build_engine

    return build_engine(effective, _store, engine, classifier=classifier)


def policy_of(engine: Engine) -> RoutingPolicy:
    """The routing policy an engine applies (its router's), for showing thresholds."""
    policy = getattr(engine, "policy", None) or getattr(getattr(engine, "router", None), "policy", None)
    return policy if isinstance(policy, RoutingPolicy) else RoutingPolicy()


def available_engines() -> list[str]:
    """`local` always; the engines of `ticket_router.engines.factory` when that package is installed."""
    if importlib.util.find_spec("ticket_router.engines") is None:
        return ["local"]
    try:
        from ticket_router.engines import factory
    except ImportError:
        return ["local"]
    names: Any = getattr(factory, "ENGINES", None) or ["local"]
    return ["local", *[str(name) for name in names if name != "local"]]


def database_label(current: Settings) -> str:
    """The database URL with any password hidden."""
    url, _ = current.database()
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a label must never break the page
        return url.split("@")[-1]


# cached reads ------------------------------------------------------------------------------------------------
def since_days(days: int | None, now: datetime | None = None) -> datetime | None:
    """The start of a period of `days` ending now, floored to the minute so repeated runs share a cache entry."""
    if days is None:
        return None
    now = (now or utcnow()).replace(second=0, microsecond=0)
    return now - timedelta(days=days)


def decisions(ctx: Context, since: datetime | None) -> list[Decision]:
    return _decisions(ctx.url, since.isoformat() if since else "", ctx.store, since)


@st.cache_resource(ttl=READ_TTL_S, show_spinner=False, max_entries=16)
def _decisions(url: str, since_key: str, _store: Store, _since: datetime | None) -> list[Decision]:
    return _store.list_decisions(since=_since, limit=DECISION_LIMIT)


def rows(ctx: Context, since: datetime | None) -> list[DecisionRow]:
    """Decisions without their payloads: what statistics and the review queue scan."""
    return _rows(ctx.url, since.isoformat() if since else "", ctx.store, since)


@st.cache_resource(ttl=READ_TTL_S, show_spinner=False, max_entries=16)
def _rows(url: str, since_key: str, _store: Store, _since: datetime | None) -> list[DecisionRow]:
    return _store.list_decision_rows(since=_since, limit=DECISION_LIMIT)


def feedback(ctx: Context) -> list[Feedback]:
    return _feedback(ctx.url, ctx.store)


@st.cache_resource(ttl=READ_TTL_S, show_spinner=False, max_entries=4)
def _feedback(url: str, _store: Store) -> list[Feedback]:
    return _store.list_feedback()


def stats(ctx: Context, since: datetime | None) -> Stats:
    return _stats(ctx.url, since.isoformat() if since else "", ctx.store, since)


@st.cache_resource(ttl=READ_TTL_S, show_spinner=False, max_entries=16)
def _stats(url: str, since_key: str, _store: Store, _since: datetime | None) -> Stats:
    return compute_stats(_rows(url, since_key, _store, _since), _feedback(url, _store))


def customers(ctx: Context) -> list[Customer]:
    return _customers(ctx.url, ctx.store)


@st.cache_resource(ttl=60, show_spinner=False, max_entries=4)
def _customers(url: str, _store: Store) -> list[Customer]:
    return _store.list_customers(limit=100_000)


def outages(ctx: Context) -> list[Outage]:
    return ctx.store.list_outages()


def invalidate() -> None:
    """Drop cached reads after a write, so every page shows it on the next run."""
    for cached in (_decisions, _rows, _feedback, _stats, _customers):
        cached.clear()
