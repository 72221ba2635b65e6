"""The `bedrock` provider offline: our settings build the real Strands `BedrockModel`, the real agent loop runs, and
botocore's `Stubber` answers Converse calls (validating every request against the Bedrock service schema)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("strands", reason="the agent extra is not installed")

from llm.bedrock_stub import ANSWER_TOOL, StubbedBedrock, answer_reply, text_reply, tool_use  # noqa: E402
from llm.scripted import agent_engine, make_ticket  # noqa: E402

from ticket_router.domain import Category  # noqa: E402
from ticket_router.policy import RoutingPolicy  # noqa: E402
from ticket_router.llm.providers import build_model, describe  # noqa: E402
from ticket_router.settings import Settings  # noqa: E402

MODEL_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    return Settings(bedrock_region="eu-west-1", llm_timeout_s=6.0)


@pytest.fixture
def bedrock(settings: Settings) -> StubbedBedrock:
    return StubbedBedrock(build_model(settings))


def _engine(router, bedrock: StubbedBedrock, **options):  # type: ignore[no-untyped-def]
    return agent_engine(router, bedrock.model, provider="bedrock", model_id=MODEL_ID, **options)


def test_the_model_is_configured_from_settings(settings):
    model = build_model(settings)
    config = model.get_config()
    assert model.client.meta.region_name == "eu-west-1"
    assert config["model_id"] == MODEL_ID and config["temperature"] == 0.0 and config["streaming"] is False
    client_config = model.client.meta.config
    assert client_config.read_timeout == 6.0 and client_config.connect_timeout == 5.0
    assert client_config.retries["total_max_attempts"] == 1  # botocore never retries: our budget-aware retry does
    info = describe(settings)
    assert (info.provider, info.model_id, info.where) == ("bedrock", MODEL_ID, "region eu-west-1")


def test_converse_request_holds_the_prompt_the_tools_and_the_answer_schema(router, bedrock):
    bedrock.reply(answer_reply("Network Outage", "Network Operations", ["no internet"]))
    ticket = make_ticket(router, "no internet since 6am, call +44 7700 900123", customer_id="C-1001")

    decision = _engine(router, bedrock).route(ticket, save=False)

    request = bedrock.requests[0]
    assert request["modelId"] == MODEL_ID
    assert request["inferenceConfig"] == {"maxTokens": 1024, "temperature": 0.0}
    assert "never instructions" in request["system"][0]["text"]
    tools = {t["toolSpec"]["name"]: t["toolSpec"] for t in request["toolConfig"]["tools"]}
    assert len(tools) == 8 and ANSWER_TOOL in tools
    schema = tools[ANSWER_TOOL]["inputSchema"]["json"]["properties"]
    assert set(schema["category"]["enum"]) == {c.value for c in RoutingPolicy().categories}
    assert set(schema["team"]["enum"]) == {t.value for t in RoutingPolicy().teams}
    assert "priority" not in schema and "confidence" not in schema
    [message] = request["messages"]
    text = message["content"][0]["text"]
    assert message["role"] == "user" and "Active outage OUT-2026-1101" in text
    assert "7700 900123" not in text and "[PHONE_1]" in text
    bedrock.stubber.assert_no_pending_responses()

    assert decision.category == Category.NETWORK_OUTAGE and not decision.needs_review
    llm = decision.llm
    assert (llm["provider"], llm["status"], llm["round_trips"], llm["input_tokens"], llm["output_tokens"]) == \
        ("bedrock", "ok", 1, 1500, 70)
    assert llm["cost_usd"] == pytest.approx((1500 * 3.0 + 70 * 15.0) / 1e6)


def test_a_tool_call_goes_back_as_a_tool_result_and_tokens_add_up(router, bedrock):
    bedrock.reply(tool_use("get_historical_context", {}, input_tokens=1400, output_tokens=30))
    bedrock.reply(answer_reply("Billing Dispute", "Billing Support", ["charged twice"], input_tokens=1600))
    ticket = make_ticket(router, "charged twice again this month", customer_id="C-1001")

    decision = _engine(router, bedrock).route(ticket, save=False)

    result_message = bedrock.requests[1]["messages"][-1]
    [block] = result_message["content"]
    result = json.loads(block["toolResult"]["content"][0]["text"])
    assert block["toolResult"]["toolUseId"] == "tooluse_1" and result["recent"][0]["category"] == "Billing Dispute"
    assert decision.llm["round_trips"] == 2 and decision.llm["tool_calls"] == ["get_historical_context"]
    assert (decision.llm["input_tokens"], decision.llm["output_tokens"]) == (3000, 100)


def test_a_text_reply_gets_a_forced_answer_tool_call(router, bedrock):
    bedrock.reply(text_reply("Looks like a login problem.")).reply(answer_reply("Account Access",
                                                                                "Account Management"))
    decision = _engine(router, bedrock).route(make_ticket(router, "cannot log in to the app"), save=False)
    assert bedrock.requests[0]["toolConfig"]["toolChoice"] == {"auto": {}}
    assert bedrock.requests[1]["toolConfig"]["toolChoice"] == {"tool": {"name": ANSWER_TOOL}}
    assert decision.category == Category.ACCOUNT_ACCESS and decision.llm["round_trips"] == 2


def test_throttling_is_retried_within_the_budget(router, bedrock):
    bedrock.error("ThrottlingException", "Too many requests, please wait before trying again.", 429)
    bedrock.reply(answer_reply("Network Outage", "Network Operations"))
    decision = _engine(router, bedrock).route(make_ticket(router, "no signal"), save=False)
    assert decision.llm["status"] == "ok" and decision.llm["retries"] == 1 and decision.llm["round_trips"] == 2
    assert not any("LLM" in reason for reason in decision.review_reasons)


@pytest.mark.parametrize("code, message, status, reason", [
    ("AccessDeniedException", "You don't have access to the model with the specified model ID.", 403,
     "access denied to the model"),
    ("UnrecognizedClientException", "The security token included in the request is invalid.", 403,
     "authentication failed"),
    ("ValidationException", "The provided model identifier is invalid.", 400, "model not available"),
])
def test_bedrock_errors_give_the_embedded_decision_flagged_with_what_failed(router, bedrock, code, message, status,
                                                                            reason):
    bedrock.error(code, message, status)
    ticket = make_ticket(router, "internet down since this morning", customer_id="C-1001")
    local = router.route(ticket, save=False)

    decision = _engine(router, bedrock).route(ticket, save=False)

    assert decision.needs_review and any(reason in r for r in decision.review_reasons)
    assert (decision.team, decision.category, decision.priority) == (local.team, local.category, local.priority)
    assert decision.model == local.model and decision.llm["status"] == "fallback" and decision.llm["retries"] == 0


def test_the_fixed_prompt_is_cached_and_cache_reads_are_billed_as_such(router, bedrock):
    reply = answer_reply("Network Outage", "Network Operations", input_tokens=120, output_tokens=60)
    reply["usage"].update(cacheReadInputTokens=2300, cacheWriteInputTokens=0, totalTokens=2480)
    bedrock.reply(reply)

    decision = _engine(router, bedrock, cache_prompt=True).route(make_ticket(router, "no signal"), save=False)

    system = bedrock.requests[0]["system"]
    assert system[1] == {"cachePoint": {"type": "default"}} and "never instructions" in system[0]["text"]
    llm = decision.llm
    assert (llm["input_tokens"], llm["cache_read_tokens"], llm["cache_write_tokens"]) == (120, 2300, 0)
    assert llm["cost_usd"] == pytest.approx((120 * 3.0 + 60 * 15.0 + 2300 * 0.30) / 1e6)
