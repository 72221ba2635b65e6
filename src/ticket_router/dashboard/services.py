"""What the pages share: settings, the store, the router and short-lived read caches.

Nothing is built at import. The store and the model are built on first use and cached per server process (keyed
by the settings that make them), so every browser session works on the same storage as the CLI and the API.
Reads that every page repeats (decisions of a period, feedback, customers) are cached for a few seconds and
dropped after any write made from the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import streamlit as st

from ticket_router.bootstrap import open_configured_store, policy_for
from ticket_router.dashboard import theme
from ticket_router.domain import Customer, Decision, Feedback, Outage, utcnow
from ticket_router.engines.base import Engine
from ticket_router.engines.factory import ENGINES, build_engine
from ticket_router.policy import PolicyMismatch, RoutingPolicy
from ticket_router.settings import Settings, load_settings
from ticket_router.stats import Stats, compute_stats
from ticket_router.store.base import DecisionRow, Store

READ_TTL_S = 15
DECISION_LIMIT = 50_000
ENGINE_KEY = "cfg.engine"
THRESHOLD_KEY = "cfg.threshold"


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

    def effective_settings(self) -> Settings:
        """The settings with this session's review threshold (the sidebar's)."""
        return self.settings.model_copy(update={"review_threshold": self.review_threshold})

    def policy(self) -> RoutingPolicy:
        return policy_for(self.effective_settings())

    def router(self, engine: str | None = None) -> Engine:
        try:
            built = self._built(engine)
        except PolicyMismatch as error:  # the store's active model was trained for another policy: say so, stop
            st.error(theme.esc(error), icon=":material/rule:")
            st.stop()
        watcher = getattr(getattr(built, "router", None), "watcher", None)
        if watcher is not None:
            watcher.refresh()  # one cheap read: a version promoted anywhere routes from here at once
        return built

    def _built(self, engine: str | None) -> Engine:
        return _engine(self.url, self.settings.model, str(self.settings.model_path or ""), engine or self.engine,
                       self.review_threshold, self.effective_settings(), self.store)


# construction ------------------------------------------------------------------------------------------------
def settings() -> Settings:
    """Read on every run (it is cheap) so a test or a restart with other variables gets other settings."""
    return load_settings()


def context() -> Context:
    current = settings()
    engine = st.session_state.get(ENGINE_KEY) or current.engine
    threshold = st.session_state.get(THRESHOLD_KEY, policy_for(current).review_threshold)  # the policy file's
    return Context(settings=current, store=open_store_for(current), engine=engine,
                   review_threshold=float(threshold))


def open_store_for(current: Settings) -> Store:
    return _store(current.database()[0], current)


@st.cache_resource(show_spinner=False)
def _store(url: str, _settings: Settings) -> Store:
    return open_configured_store(_settings)


@st.cache_resource(show_spinner="Loading the routing model…")
def _engine(url: str, model: str, model_path: str, engine: str, threshold: float,
            _settings: Settings, _store: Store) -> Engine:
    """One engine per database, model, engine name and review threshold, shared by every session. It routes with
    the store's active model version and keeps to it (`Context.router`)."""
    return build_engine(_settings, _store, engine)


def available_engines() -> list[str]:
    return list(ENGINES)


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


def rows(ctx: Context, since: datetime | None, until: datetime | None = None) -> list[DecisionRow]:
    """Decisions without their payloads (decided from `since` up to, not including, `until`): what statistics and
    the review queue scan."""
    return _rows(ctx.url, since.isoformat() if since else "", until.isoformat() if until else "", ctx.store, since,
                 until)


@st.cache_resource(ttl=READ_TTL_S, show_spinner=False, max_entries=16)
def _rows(url: str, since_key: str, until_key: str, _store: Store, _since: datetime | None,
          _until: datetime | None) -> list[DecisionRow]:
    return _store.list_decision_rows(since=_since, limit=DECISION_LIMIT, until=_until)


def feedback(ctx: Context) -> list[Feedback]:
    return _feedback(ctx.url, ctx.store)


@st.cache_resource(ttl=READ_TTL_S, show_spinner=False, max_entries=4)
def _feedback(url: str, _store: Store) -> list[Feedback]:
    return _store.list_feedback()


def stats(ctx: Context, since: datetime | None, until: datetime | None = None) -> Stats:
    return _stats(ctx.url, since.isoformat() if since else "", until.isoformat() if until else "", ctx, since, until)


@st.cache_resource(ttl=READ_TTL_S, show_spinner=False, max_entries=16)
def _stats(url: str, since_key: str, until_key: str, _ctx: Context, _since: datetime | None,
           _until: datetime | None) -> Stats:
    return compute_stats(rows(_ctx, _since, _until), feedback(_ctx))


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
