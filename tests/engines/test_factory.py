"""Engines by name, from the caller or from TICKET_ROUTER_ENGINE; building one never contacts a provider."""

from __future__ import annotations

import json

import pytest
from conftest import ticket

from ticket_router.engines.cascade import CascadeEngine
from ticket_router.engines.factory import UnknownEngine, build_engine, engine_for, model_factory
from ticket_router.engines.local import LocalEngine
from ticket_router.llm.pricing import Usage
from ticket_router.settings import SettingsError, load_settings


def test_names_and_the_default_from_the_environment(seeded_store, classifier):
    assert isinstance(build_engine(load_settings({}), seeded_store, classifier=classifier), LocalEngine)
    settings = load_settings({"TICKET_ROUTER_ENGINE": "cascade", "TICKET_ROUTER_CASCADE_THRESHOLD": "0.8"})
    engine = build_engine(settings, seeded_store, classifier=classifier)
    assert isinstance(engine, CascadeEngine) and engine.threshold == 0.8
    assert build_engine(settings, seeded_store, " Agent ", classifier=classifier).name == "agent"
    with pytest.raises(UnknownEngine, match="known: local, agent, cascade"):
        build_engine(settings, seeded_store, "gpt", classifier=classifier)
    with pytest.raises((SettingsError, ValueError)):
        load_settings({"TICKET_ROUTER_ENGINE": "gpt"})


def test_the_agent_engine_takes_every_llm_setting(router, tmp_path):
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"per_million_tokens": {"llama3.1": {"input": 0.5, "output": 1.0}}}))
    settings = load_settings({
        "TICKET_ROUTER_LLM_PROVIDER": "openai", "TICKET_ROUTER_LLM_MODEL": "llama3.1",
        "TICKET_ROUTER_LLM_BASE_URL": "http://127.0.0.1:11434/v1", "TICKET_ROUTER_LLM_TIMEOUT_S": "3.5",
        "TICKET_ROUTER_LLM_REDACT": "false", "TICKET_ROUTER_LLM_CONCURRENCY": "2",
        "TICKET_ROUTER_LLM_PRICES": str(prices),
    })
    engine = engine_for(settings, router, "agent")
    assert (engine.provider, engine.model_id, engine.budget_s, engine.redact, engine.concurrency) == \
        ("openai", "llama3.1", 3.5, False, 2)
    assert not engine.cache_prompt  # OpenAI-compatible servers take no cache point
    assert not engine_for(load_settings({"TICKET_ROUTER_LLM_CACHE": "false"}), router, "agent").cache_prompt
    assert engine.prices.cost("llama3.1", Usage(1_000_000, 1_000_000)) == 1.5


def test_bedrock_is_the_default_provider_with_sonnet_and_a_haiku_specialist(router):
    settings = load_settings({"BEDROCK_REGION": "eu-central-1", "TICKET_ROUTER_LLM_SPECIALISTS": "true"})
    engine = engine_for(settings, router, "agent")
    assert engine.provider == "bedrock" and "claude-sonnet-4-5" in engine.model_id and engine.cache_prompt
    assert engine.specialist_model_id is not None and "haiku" in engine.specialist_model_id
    assert settings.bedrock_region == "eu-central-1"


def test_building_needs_no_credentials_and_imports_no_provider_sdk(router, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    settings = load_settings({"TICKET_ROUTER_LLM_PROVIDER": "anthropic"})
    engine = engine_for(settings, router, "agent")  # no key: still builds
    decision = engine.route_many([ticket("no internet since this morning")], save=False)[0]
    assert decision.needs_review and "ANTHROPIC_API_KEY" in " ".join(decision.review_reasons)


def test_only_the_thread_safe_bedrock_model_is_reused_across_batches(monkeypatch):
    pytest.importorskip("strands", reason="the agent extra is not installed")
    made: list[str] = []

    def fake_build(settings, model_id):  # type: ignore[no-untyped-def]
        made.append(model_id)
        return object()

    monkeypatch.setattr("ticket_router.llm.providers.build_model", fake_build)
    bedrock = model_factory(load_settings({}), "m1")
    assert bedrock() is bedrock() and made == ["m1"]
    openai = model_factory(load_settings({"TICKET_ROUTER_LLM_PROVIDER": "openai"}), "m2")
    assert openai() is not openai() and made == ["m1", "m2", "m2"]
