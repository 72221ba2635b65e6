"""Failure is normal: every ticket still gets the embedded model's decision, flagged with what failed, and nothing
crashes a batch. The real Strands loop runs; the scripted model raises, stalls or misbehaves."""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("strands", reason="the agent extra is not installed")

from botocore.exceptions import NoCredentialsError  # noqa: E402
from llm.scripted import ScriptedModel, Step, agent_engine, answer, fail, make_ticket, text  # noqa: E402
from strands.types.exceptions import ModelThrottledException  # noqa: E402

from ticket_router.llm.providers import ProviderConfigError  # noqa: E402

OUTAGE_TEXT = "No internet since this morning, the whole office is offline"


def _same_as_local(decision, local) -> None:  # type: ignore[no-untyped-def]
    assert (decision.team, decision.category, decision.priority, decision.model) == \
        (local.team, local.category, local.priority, local.model)


def _fallback(router, steps, reason: str, **options):  # type: ignore[no-untyped-def]
    ticket = make_ticket(router, OUTAGE_TEXT, customer_id="C-1001")
    local = router.route(ticket, save=False)
    model = ScriptedModel(steps)
    decision = agent_engine(router, model, **options).route(ticket, save=False)
    _same_as_local(decision, local)
    assert decision.needs_review and decision.engine == "agent"
    failed = [r for r in decision.review_reasons if r.startswith("LLM agent failed")]
    assert len(failed) == 1 and reason in failed[0] and failed[0].endswith("embedded model decision used")
    assert decision.llm["status"] == "fallback"
    assert reason in decision.reasoning  # the reasoning shows why the ticket needs review
    return decision, model


def test_timeout_uses_the_total_budget(router):
    decision, model = _fallback(router, [Step(delay_s=5)], "timed out (budget of 0.3 s used up)", budget_s=0.3)
    assert decision.llm["error"] == "timeout" and decision.llm["round_trips"] == 1
    assert decision.llm["llm_latency_ms"] >= 250  # the cut-off call's time is counted


def test_the_budget_covers_every_round_trip_not_each_one(router):
    tool_steps = [Step(tool_calls=[("check_vip_status", {})], delay_s=0.2) for _ in range(9)]
    steps = [*tool_steps, answer("Network Outage", "Network Operations")]
    decision, model = _fallback(router, steps, "timed out", budget_s=1.0, max_turns=12)
    assert 2 <= len(model.requests) < 10  # each call fits in the budget; all ten of them do not


def test_throttling_then_success_is_retried_within_the_budget(router):
    model = ScriptedModel([fail(ModelThrottledException("Too many requests")), fail(ModelThrottledException("again")),
                           answer("Network Outage", "Network Operations")])
    decision = agent_engine(router, model).route(make_ticket(router, OUTAGE_TEXT), save=False)
    assert decision.llm["status"] == "ok" and decision.llm["retries"] == 2 and decision.llm["round_trips"] == 3
    assert not any(r.startswith("LLM agent failed") for r in decision.review_reasons)


def test_throttling_past_the_budget_falls_back(router):
    decision, model = _fallback(router, lambda request: fail(ModelThrottledException("slow down")),
                                "throttled by the provider", budget_s=1.0)
    assert decision.llm["retries"] >= 1 and len(model.requests) == decision.llm["retries"] + 1


def test_auth_errors_fall_back_without_retrying(router):
    decision, model = _fallback(router, [fail(NoCredentialsError())], "no AWS credentials found")
    assert len(model.requests) == 1 and decision.llm["retries"] == 0 and decision.llm["error"] == "auth"


@pytest.mark.parametrize("steps", [
    [answer("Outage", "Network Operations")] * 4,  # not a category
    [answer("Network Outage", "Billing Support")] * 4,  # not the policy's team for it
    [answer("Network Outage", "Network Operations", priority="P0")] * 4,  # a field it may not set
    [text("I think it is an outage.")] * 4,  # never calls the answer tool
])
def test_malformed_or_out_of_policy_output_falls_back_after_the_turn_limit(router, steps):
    decision, model = _fallback(router, steps, "no valid structured answer")
    assert decision.llm["error"] == "invalid_output" and len(model.requests) <= 4


def test_an_unexpected_error_names_its_type(router):
    _fallback(router, [fail(KeyError("boom"))], "unexpected error (KeyError)")


def test_a_provider_that_cannot_be_built_fails_softly_for_every_ticket(router):
    def broken():  # type: ignore[no-untyped-def]
        raise ProviderConfigError("no Anthropic API key: set TICKET_ROUTER_LLM_API_KEY or ANTHROPIC_API_KEY")

    from ticket_router.engines.agent import AgentEngine

    engine = AgentEngine(router, broken, provider="anthropic", model_id="claude-sonnet-4-5")
    tickets = [make_ticket(router, t, ticket_id=f"P-{i}") for i, t in enumerate(["no internet", "bill wrong"])]
    decisions = engine.route_many(tickets, save=False)
    for decision in decisions:
        assert decision.needs_review and "ANTHROPIC_API_KEY" in " ".join(decision.review_reasons)


def test_without_strands_installed_the_agent_falls_back(router, monkeypatch):
    monkeypatch.setitem(sys.modules, "strands", None)  # `import strands` now raises ModuleNotFoundError
    decision, _ = _fallback(router, [answer("Network Outage", "Network Operations")], "LLM support not installed")


def test_one_failing_ticket_does_not_affect_the_rest_of_the_batch(router):
    def respond(request: dict) -> Step:
        words = " ".join(b.get("text", "") for m in request["messages"] for b in m["content"])
        if "modem" in words:
            return fail(RuntimeError("provider hiccup"))
        if "bill" in words:
            return answer("Billing Dispute", "Billing Support")
        return answer("Network Outage", "Network Operations")

    tickets = [make_ticket(router, t, ticket_id=f"M-{i}") for i, t in
               enumerate(["my bill is wrong", "modem lights blinking red", "no internet", "bill doubled"])]
    decisions = agent_engine(router, ScriptedModel(respond)).route_many(tickets)

    assert [d.ticket_id for d in decisions] == ["M-0", "M-1", "M-2", "M-3"]
    assert [d.llm["status"] for d in decisions] == ["ok", "fallback", "ok", "ok"]
    assert decisions[1].needs_review and "unexpected error (RuntimeError)" in " ".join(decisions[1].review_reasons)
    assert all(router.store.get_decision(t.ticket_id) is not None for t in tickets)


def test_a_failing_tool_is_reported_to_the_model_which_can_still_answer(router, monkeypatch):
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("database is locked")

    model = ScriptedModel([Step(tool_calls=[("get_historical_context", {})]),
                           answer("Network Outage", "Network Operations")])
    ticket = make_ticket(router, OUTAGE_TEXT, customer_id="C-1001")
    engine = agent_engine(router, model)
    monkeypatch.setattr(router.store, "customer_history", broken)
    decision = engine.route(ticket, save=False)

    result = model.requests[1]["messages"][-1]["content"][0]["toolResult"]["content"][0]["text"]
    assert "get_historical_context failed (OSError)" in result
    assert "database is locked" not in result  # an exception's text never goes to the model
    assert decision.llm["status"] == "ok" and decision.llm["tool_calls"] == ["get_historical_context"]
