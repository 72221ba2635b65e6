"""The `openai` provider (OpenAI, Ollama, vLLM, LM Studio) against a real HTTP server on loopback: the real OpenAI
client, the real Strands `OpenAIModel` and agent loop; only the model's replies are canned."""

from __future__ import annotations

import json
import time

import pytest

pytest.importorskip("strands", reason="the agent extra is not installed")

from llm.openai_stub import (  # noqa: E402
    closed_port_url,
    error_reply,
    in_turn,
    openai_stub,
    text_reply,
    tool_call_reply,
)
from llm.scripted import ANSWER_TOOL, make_ticket  # noqa: E402

from ticket_router.domain import Category  # noqa: E402
from ticket_router.policy import RoutingPolicy  # noqa: E402
from ticket_router.engines.factory import engine_for  # noqa: E402
from ticket_router.llm.providers import ProviderConfigError, build_model  # noqa: E402
from ticket_router.settings import Settings  # noqa: E402

KEY = "sk-local-0123456789abcdef"
NETWORK = {"category": "Network Outage", "team": "Network Operations", "evidence": ["no internet"]}


def _settings(base_url: str, **fields: object) -> Settings:
    values = {"engine": "agent", "llm_provider": "openai", "llm_model": "llama3.1", "llm_base_url": base_url,
              "llm_api_key": KEY, **fields}
    return Settings(**values)  # type: ignore[arg-type]


def _route(router, settings: Settings, text: str = "no internet since this morning, call +44 7700 900123",
           **fields):  # type: ignore[no-untyped-def]
    return engine_for(settings, router).route(make_ticket(router, text, **fields), save=False)


def test_request_and_reply_formatting(router):
    with openai_stub(in_turn(tool_call_reply(ANSWER_TOOL, NETWORK, prompt_tokens=1234, completion_tokens=56))) \
            as server:
        decision = _route(router, _settings(server.base_url), customer_id="C-1001")

    [request] = server.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["authorization"] == f"Bearer {KEY}"
    body = request["body"]
    assert (body["model"], body["temperature"], body["max_tokens"], body["stream"]) == ("llama3.1", 0.0, 1024, False)
    tools = {t["function"]["name"]: t["function"] for t in body["tools"]}
    assert len(tools) == 8
    assert tools[ANSWER_TOOL]["parameters"]["properties"]["category"]["enum"] == [c.value for c in RoutingPolicy().categories]
    system, user = body["messages"]
    assert system["role"] == "system" and "never instructions" in json.dumps(system["content"])
    assert "cache" not in json.dumps(system)  # no cache point for OpenAI-compatible servers
    text = json.dumps(user["content"])
    assert "VIP enterprise customer in North" in text and "[PHONE_1]" in text and "7700 900123" not in text

    assert decision.engine == "agent" and decision.category == Category.NETWORK_OUTAGE
    llm = decision.llm
    assert (llm["provider"], llm["model_id"], llm["status"], llm["round_trips"]) == ("openai", "llama3.1", "ok", 1)
    assert (llm["input_tokens"], llm["output_tokens"], llm["cost_usd"]) == (1234, 56, None)  # not in the price table


def test_the_key_falls_back_to_the_providers_usual_variable(router, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env-0123456789")
    with openai_stub(in_turn(tool_call_reply(ANSWER_TOOL, NETWORK))) as server:
        _route(router, _settings(server.base_url, llm_api_key=None))
    assert server.requests[0]["headers"]["authorization"] == "Bearer sk-from-env-0123456789"


def test_without_key_or_endpoint_the_provider_says_what_to_set(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ProviderConfigError, match="TICKET_ROUTER_LLM_API_KEY"):
        build_model(Settings(llm_provider="openai", llm_model="gpt-4o-mini"))
    with pytest.raises(ProviderConfigError, match="Bedrock id"):
        build_model(Settings(llm_provider="openai", llm_base_url="http://127.0.0.1:1/v1"))


def test_a_text_reply_is_followed_by_a_forced_tool_choice(router):
    with openai_stub(in_turn(text_reply("An outage, clearly."), tool_call_reply(ANSWER_TOOL, NETWORK))) as server:
        decision = _route(router, _settings(server.base_url))
    forced = server.requests[1]["body"]
    assert forced["tool_choice"] == {"type": "function", "function": {"name": ANSWER_TOOL}}
    assert decision.llm["status"] == "ok" and decision.llm["round_trips"] == 2


def test_429_is_retried_with_backoff_and_then_succeeds(router):
    with openai_stub(in_turn(error_reply(429, "Rate limit reached", "rate_limit_exceeded"),
                             tool_call_reply(ANSWER_TOOL, NETWORK))) as server:
        decision = _route(router, _settings(server.base_url))
    assert len(server.requests) == 2  # the client itself never retries: max_retries=0
    assert decision.llm["status"] == "ok" and decision.llm["retries"] == 1


def test_429_until_the_budget_runs_out_falls_back(router):
    with openai_stub(in_turn(error_reply(429, "Rate limit reached", "rate_limit_exceeded"))) as server:
        decision = _route(router, _settings(server.base_url, llm_timeout_s=1.0))
    assert decision.llm["status"] == "fallback" and decision.llm["error"] == "throttled"
    assert decision.needs_review and "throttled by the provider" in " ".join(decision.review_reasons)
    assert len(server.requests) == decision.llm["retries"] + 1 >= 2


@pytest.mark.parametrize("status, kind, reason", [
    (401, "invalid_api_key", "authentication failed"),
    (403, "permission_denied", "access denied"),
    (404, "model_not_found", "model not available"),
])
def test_provider_errors_fall_back_at_once(router, status, kind, reason):
    with openai_stub(in_turn(error_reply(status, "nope", kind))) as server:
        decision = _route(router, _settings(server.base_url))
    assert len(server.requests) == 1
    assert decision.needs_review and any(reason in r for r in decision.review_reasons)
    assert decision.llm["status"] == "fallback" and decision.model.name == "tfidf-lr"


def test_a_provider_that_is_down_gives_every_ticket_of_a_batch_a_flagged_local_decision(router):
    settings = _settings(closed_port_url())
    tickets = [make_ticket(router, text, ticket_id=f"D-{i}") for i, text in
               enumerate(["no internet", "bill too high", "router reboots", "password reset"])]
    local = router.route_many(tickets, save=False)

    decisions = engine_for(settings, router).route_many(tickets, save=False)

    assert [d.ticket_id for d in decisions] == [t.ticket_id for t in tickets]
    for got, expected in zip(decisions, local):
        assert (got.team, got.category, got.priority) == (expected.team, expected.category, expected.priority)
        assert got.needs_review and "provider unreachable" in " ".join(got.review_reasons)


def test_a_provider_that_hangs_is_cut_off_by_the_ticket_budget(router):
    def hang(body):  # type: ignore[no-untyped-def]
        time.sleep(3)
        return 200, tool_call_reply(ANSWER_TOOL, NETWORK)

    with openai_stub(hang) as server:
        decision = _route(router, _settings(server.base_url, llm_timeout_s=0.5))
    assert decision.llm["status"] == "fallback" and decision.llm["error"] == "timeout"
    assert "timed out (budget of 0.5 s used up)" in " ".join(decision.review_reasons)
    assert decision.llm["round_trips"] == 1 and decision.llm["llm_latency_ms"] > 0


@pytest.mark.parametrize("arguments", [
    {"category": "Billing", "team": "Billing Support"},
    {"category": "Billing Dispute", "team": "Network Operations"},
    {"category": "Billing Dispute", "team": "Billing Support", "priority": "P0"},
])
def test_out_of_policy_answers_are_refused_and_the_ticket_falls_back(router, arguments):
    with openai_stub(in_turn(tool_call_reply(ANSWER_TOOL, arguments))) as server:
        decision = _route(router, _settings(server.base_url), text="my bill is wrong")
    assert decision.llm["status"] == "fallback" and decision.llm["error"] == "invalid_output"
    assert len(server.requests) == decision.llm["round_trips"] >= 2  # the model was told and asked again
    assert decision.needs_review and "no valid structured answer" in " ".join(decision.review_reasons)


def test_malformed_tool_arguments_fall_back(router):
    broken = tool_call_reply(ANSWER_TOOL, {})
    broken["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"] = '{"category": "Netw'
    with openai_stub(in_turn(broken)) as server:
        decision = _route(router, _settings(server.base_url))
    assert decision.llm["status"] == "fallback" and decision.llm["error"] == "invalid_output"
    assert len(server.requests) >= 2 and decision.needs_review


@pytest.mark.parametrize("key", ["ollama", "stub-key", None])
def test_a_local_server_takes_a_dummy_or_missing_key(router, monkeypatch, key):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with openai_stub(in_turn(tool_call_reply(ANSWER_TOOL, NETWORK))) as server:
        decision = _route(router, _settings(server.base_url, llm_api_key=key))
    assert decision.engine == "agent" and decision.llm["status"] == "ok"


def test_a_remote_endpoint_still_needs_a_real_key(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ProviderConfigError, match="TICKET_ROUTER_LLM_API_KEY"):
        build_model(Settings(llm_provider="openai", llm_model="llama3.1", llm_base_url="https://llm.example.com/v1"))
