"""Build the engine named by the caller or by `TICKET_ROUTER_ENGINE`: local, agent or cascade.

Building an LLM engine never contacts the provider and never imports Strands: the provider's model object is made
on first use, inside the engine, so a missing extra or missing credentials give flagged fallback decisions, not
a crash at start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ticket_router.bootstrap import build_router
from ticket_router.engines.base import Engine
from ticket_router.engines.local import LocalEngine
from ticket_router.model.base import Classifier
from ticket_router.router import Router
from ticket_router.settings import Settings
from ticket_router.store import Store

if TYPE_CHECKING:
    from ticket_router.engines.agent import AgentEngine

ENGINES = ("local", "agent", "cascade")
# Providers whose API takes a prompt-cache point (OpenAI-compatible servers cache on their own, or not at all).
CACHING_PROVIDERS = ("bedrock", "anthropic")


class UnknownEngine(ValueError):
    pass


def model_factory(settings: Settings, model_id: str) -> Callable[[], Any]:
    """Makes the provider's model when a batch starts. A Bedrock model (a thread-safe boto3 client) is made once
    and reused; the async HTTP clients of the other providers belong to one event loop, so they are made per batch."""
    cache: list[Any] = []

    def make() -> Any:
        from ticket_router.llm.providers import build_model

        if cache:
            return cache[0]
        model = build_model(settings, model_id)
        if settings.llm_provider == "bedrock":
            cache.append(model)
        return model

    return make


def build_agent_engine(settings: Settings, router: Router, factory: Callable[[], Any] | None = None) -> AgentEngine:
    from ticket_router.engines.agent import AgentEngine
    from ticket_router.llm.pricing import PriceTable
    from ticket_router.llm.providers import describe

    info = describe(settings)
    specialists = model_factory(settings, settings.llm_specialist_model) if settings.llm_specialists else None
    return AgentEngine(
        router,
        factory or model_factory(settings, settings.llm_model),
        provider=info.provider,
        model_id=info.model_id,
        budget_s=settings.llm_timeout_s,
        redact=settings.llm_redact,
        prices=PriceTable.load(settings.llm_prices),
        concurrency=settings.llm_concurrency,
        cache_prompt=settings.llm_cache and info.provider in CACHING_PROVIDERS,
        specialist_factory=specialists,
        specialist_model_id=describe(settings, settings.llm_specialist_model).model_id if specialists else None,
    )


def engine_for(settings: Settings, router: Router, name: str | None = None,
               factory: Callable[[], Any] | None = None) -> Engine:
    """The engine `name` (default: settings.engine) over an existing router."""
    name = (name or settings.engine).strip().lower()
    if name not in ENGINES:
        raise UnknownEngine(f"unknown engine {name!r}; known: {', '.join(ENGINES)}")
    if name == "local":
        return LocalEngine(router)
    agent = build_agent_engine(settings, router, factory)
    if name == "agent":
        return agent
    from ticket_router.engines.cascade import CascadeEngine

    return CascadeEngine(router, agent, settings.cascade_threshold)


def build_engine(settings: Settings, store: Store, name: str | None = None, *, classifier: Classifier | None = None,
                 factory: Callable[[], Any] | None = None) -> Engine:
    """The engine `name` (default: settings.engine). `factory` replaces the provider's model (tests, benchmarks)."""
    return engine_for(settings, build_router(settings, store, classifier), name, factory)
