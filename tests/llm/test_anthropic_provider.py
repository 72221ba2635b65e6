"""The `anthropic` provider against a local server speaking the Anthropic Messages API (server-sent events),
reached through the real Anthropic client's `base_url`: request format, stream parsing, errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("strands", reason="the agent extra is not installed")

from llm.openai_stub import in_turn, openai_stub  # noqa: E402
from llm.scripted import ANSWER_TOOL, make_ticket  # noqa: E402

from ticket_router.domain import Category  # noqa: E402
from ticket_router.policy import RoutingPolicy  # noqa: E402
from ticket_router.engines.factory import engine_for  # noqa: E402
from ticket_router.llm.providers import ProviderConfigError, anthropic_model_id, build_model, describe  # noqa: E402
from ticket_router.settings import Settings  # noqa: E402

KEY = "sk-ant-local-0123456789abcdef"
SSE = {"Content-Type": "text/event-stream"}


def sse_tool_use(name: str, arguments: dict[str, Any], input_tokens: int = 1500, output_tokens: int = 70,
                 cache_read: int = 0) -> tuple[int, bytes, dict[str, str]]:
    events = [
        ("message_start", {"type": "message_start", "message": {
            "id": "msg_1", "type": "message", "role": "assistant", "content": [],
            "model": "claude-sonnet-4-5-20250929", "stop_reason": None, "stop_sequence": None,
            "usage": {"input_tokens": input_tokens, "output_tokens": 1, "cache_read_input_tokens": cache_read,
                      "cache_creation_input_tokens": 0}}}),
        ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {
            "type": "tool_use", "id": "toolu_1", "name": name, "input": {}}}),
        ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {
            "type": "input_json_delta", "partial_json": json.dumps(arguments)}}),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": None},
                           "usage": {"output_tokens": output_tokens}}),
        ("message_stop", {"type": "message_stop"}),
    ]
    body = "".join(f"event: {kind}\ndata: {json.dumps(data)}\n\n" for kind, data in events)
    return 200, body.encode(), SSE


def anthropic_error(status: int, kind: str, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"type": "error", "error": {"type": kind, "message": message}}


def _settings(base_url: str, **fields: object) -> Settings:
    values = {"engine": "agent", "llm_provider": "anthropic", "llm_base_url": base_url, "llm_api_key": KEY, **fields}
    return Settings(**values)  # type: ignore[arg-type]


def test_bedrock_ids_are_translated_for_the_anthropic_api():
    assert anthropic_model_id("us.anthropic.claude-sonnet-4-5-20250929-v1:0") == "claude-sonnet-4-5-20250929"
    assert anthropic_model_id("anthropic.claude-3-5-haiku-20241022-v1:0") == "claude-3-5-haiku-20241022"
    assert anthropic_model_id("claude-opus-4-1") == "claude-opus-4-1"
    assert describe(Settings(llm_provider="anthropic")).model_id == "claude-sonnet-4-5-20250929"


def test_request_and_streamed_reply(router):
    answer = {"category": "Billing Dispute", "team": "Billing Support", "evidence": ["charged twice"]}
    with openai_stub(in_turn(sse_tool_use(ANSWER_TOOL, answer))) as server:
        ticket = make_ticket(router, "I was charged twice, mail me at jo@example.com", customer_id="C-1002")
        decision = engine_for(_settings(server.root_url), router).route(ticket, save=False)

    [request] = server.requests
    assert request["path"] == "/v1/messages"
    assert request["headers"]["x-api-key"] == KEY and request["headers"]["anthropic-version"]
    body = request["body"]
    assert (body["model"], body["max_tokens"], body["temperature"]) == ("claude-sonnet-4-5-20250929", 1024, 0.0)
    assert body["stream"] is True and "never instructions" in json.dumps(body["system"])
    tools = {t["name"]: t for t in body["tools"]}
    assert len(tools) == 8 and set(tools[ANSWER_TOOL]["input_schema"]["properties"]["category"]["enum"]) == \
        {c.value for c in RoutingPolicy().categories}
    text = json.dumps(body["messages"])
    assert "jo@example.com" not in text and "[EMAIL_1]" in text

    assert decision.category == Category.BILLING_DISPUTE and "charged twice" in decision.reasoning
    llm = decision.llm
    assert (llm["provider"], llm["status"], llm["round_trips"], llm["input_tokens"], llm["output_tokens"]) == \
        ("anthropic", "ok", 1, 1500, 70)
    assert llm["cost_usd"] == pytest.approx((1500 * 3.0 + 70 * 15.0) / 1e6)


def test_the_fixed_prompt_carries_a_cache_control_and_cache_reads_are_billed(router):
    answer = {"category": "Network Outage", "team": "Network Operations"}
    with openai_stub(in_turn(sse_tool_use(ANSWER_TOOL, answer, input_tokens=120, cache_read=2300))) as server:
        decision = engine_for(_settings(server.root_url), router).route(make_ticket(router, "no signal"), save=False)
    system = server.requests[0]["body"]["system"]
    assert system[-1]["cache_control"] == {"type": "ephemeral"}
    assert decision.llm["cache_read_tokens"] == 2300
    assert decision.llm["cost_usd"] == pytest.approx((120 * 3.0 + 70 * 15.0 + 2300 * 0.30) / 1e6)


def test_rate_limit_is_retried_and_auth_errors_fall_back(router):
    ok = sse_tool_use(ANSWER_TOOL, {"category": "Network Outage", "team": "Network Operations"})
    with openai_stub(in_turn(anthropic_error(429, "rate_limit_error", "slow down"), ok)) as server:
        decision = engine_for(_settings(server.root_url), router).route(make_ticket(router, "no signal"), save=False)
    assert decision.llm["status"] == "ok" and decision.llm["retries"] == 1 and len(server.requests) == 2

    with openai_stub(in_turn(anthropic_error(401, "authentication_error", "invalid x-api-key"))) as server:
        decision = engine_for(_settings(server.root_url), router).route(make_ticket(router, "no signal"), save=False)
    assert decision.llm["error"] == "auth" and decision.needs_review and len(server.requests) == 1


def test_without_a_key_the_provider_says_which_variable_to_set(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(ProviderConfigError, match="ANTHROPIC_API_KEY"):
        build_model(Settings(llm_provider="anthropic"))
