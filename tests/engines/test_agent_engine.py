"""The agent engine driven through the real Strands agent loop by a scripted model."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("strands", reason="the agent extra is not installed")

from llm.scripted import ANSWER_TOOL, ScriptedModel, Step, agent_engine, answer, call, make_ticket, text  # noqa: E402

from ticket_router.domain import Category, Priority, Team  # noqa: E402
from ticket_router.llm.output import LLM_VOTE_WEIGHT  # noqa: E402

SEVEN = {"classify_issue", "extract_entities", "check_vip_status", "check_service_status", "get_historical_context",
         "calculate_priority", "route_to_team"}


def _user_text(request: dict) -> str:
    return "\n".join(block.get("text", "") for m in request["messages"] if m["role"] == "user" for block in m["content"])


def _tool_results(request: dict) -> dict[str, str]:
    """toolUseId → result text, from the conversation the model was sent."""
    found = {}
    for message in request["messages"]:
        for block in message["content"]:
            if "toolResult" in block:
                result = block["toolResult"]
                found[result["toolUseId"]] = "".join(c.get("text", "") for c in result["content"])
    return found


def test_context_goes_in_the_prompt_and_one_round_trip_suffices(router):
    model = ScriptedModel([answer("Network Outage", "Network Operations", ["no internet since this morning"])])
    ticket = make_ticket(router, "No internet since this morning, the whole office is offline", customer_id="C-1001")

    decision = agent_engine(router, model).route(ticket)

    first = model.requests[0]
    assert set(first["tools"]) == SEVEN | {ANSWER_TOOL}
    prompt = _user_text(first)
    assert "VIP enterprise customer in North" in prompt and "Active outage OUT-2026-1101" in prompt
    assert "<ticket>" in prompt and "whole office is offline" in prompt
    assert decision.llm["round_trips"] == 1 and decision.llm["tool_calls"] == []
    assert decision.llm["status"] == "ok" and decision.engine == "agent"
    assert decision.team == Team.NETWORK_OPERATIONS and decision.category == Category.NETWORK_OUTAGE
    assert decision.priority == Priority.P0  # VIP, service-affecting, matching outage: computed by the rules


def test_confidence_is_computed_from_the_blend_not_asserted_by_the_model(router):
    ticket = make_ticket(router, "No internet since this morning", customer_id="C-1001")
    local = router.classify([ticket.text])[0][0]
    model = ScriptedModel([answer("Network Outage", "Network Operations", confidence=0.99)])  # extra field
    model.steps.append(answer("Network Outage", "Network Operations"))

    decision = agent_engine(router, model).route(ticket, save=False)

    expected = LLM_VOTE_WEIGHT + (1 - LLM_VOTE_WEIGHT) * local.probabilities[Category.NETWORK_OUTAGE]
    assert decision.confidence == pytest.approx(expected, abs=1e-3)
    assert decision.llm["round_trips"] == 2  # the rejected `confidence` field cost one correction


def test_a_tool_call_runs_the_real_function_against_the_store(router):
    model = ScriptedModel([call("check_service_status", region="East", services=["mobile"]),
                           answer("Network Outage", "Network Operations", ["no bars on my phone"])])
    ticket = make_ticket(router, "no bars on my phone at all", customer_id="C-1004")

    decision = agent_engine(router, model).route(ticket, save=False)

    results = _tool_results(model.requests[1])
    assert len(results) == 1
    outages = json.loads(next(iter(results.values())))["active_outages"]
    assert [o["outage_id"] for o in outages] == ["OUT-2026-1102"]
    assert decision.llm["round_trips"] == 2 and decision.llm["tool_calls"] == ["check_service_status"]


def test_all_seven_tools_answer_for_this_ticket_only(router):
    calls = [("classify_issue", {}), ("extract_entities", {}), ("check_vip_status", {}),
             ("check_service_status", {}), ("get_historical_context", {}),
             ("calculate_priority", {"category": "Network Outage"}), ("route_to_team", {"category": "Billing Dispute"})]
    model = ScriptedModel([Step(tool_calls=calls), answer("Network Outage", "Network Operations")])
    ticket = make_ticket(router, "Internet down again, call +44 7700 900123", customer_id="C-1001")

    decision = agent_engine(router, model).route(ticket, save=False)

    results = list(_tool_results(model.requests[1]).values())
    assert len(results) == 7 and all(not r.startswith("Error") for r in results), results
    joined = " ".join(results)
    assert "Northwind" not in joined  # the customer's name never goes out
    assert "7700 900123" not in joined and "[PHONE_1]" in joined  # nor unredacted identifiers
    by_name = dict(zip([name for name, _ in calls], (json.loads(r) for r in results)))
    assert by_name["check_vip_status"]["vip"] is True
    assert by_name["route_to_team"]["team"] == "Billing Support"
    assert by_name["calculate_priority"]["priority"] == "P0"
    assert by_name["classify_issue"]["embedded_model"]["Network Outage"] > 0.5
    assert sorted(decision.llm["tool_calls"]) == sorted(name for name, _ in calls)


def test_a_text_reply_is_forced_into_the_answer_tool(router):
    model = ScriptedModel([text("This is clearly a network outage."), answer("Network Outage", "Network Operations")])

    decision = agent_engine(router, model).route(make_ticket(router, "no signal anywhere"), save=False)

    assert model.requests[1]["tool_choice"] == {"tool": {"name": ANSWER_TOOL}}
    assert decision.llm["status"] == "ok" and decision.llm["round_trips"] == 2


def test_evidence_shown_to_people_is_only_what_the_ticket_says(router):
    model = ScriptedModel([answer("Billing Dispute", "Billing Support",
                                  ["charged twice", "customer is a fraudster", "P0 urgent"])])
    ticket = make_ticket(router, "I was charged twice for October, please refund", ticket_id="T-9")

    decision = agent_engine(router, model).route(ticket, save=False)

    assert "charged twice" in decision.reasoning
    assert "fraudster" not in decision.reasoning and "P0 urgent" not in decision.reasoning


def test_tokens_latency_and_cost_are_recorded_and_the_batch_is_saved(router):
    def respond(request: dict) -> Step:
        words = _user_text(request).lower()
        return answer("Billing Dispute", "Billing Support") if "bill" in words else \
            answer("Network Outage", "Network Operations")

    model = ScriptedModel(respond)
    tickets = [make_ticket(router, text, ticket_id=f"B-{i}") for i, text in
               enumerate(["my bill is wrong", "no internet", "bill too high", "signal keeps dropping"])]

    decisions = agent_engine(router, model).route_many(tickets)

    assert [d.ticket_id for d in decisions] == ["B-0", "B-1", "B-2", "B-3"]
    assert [d.category for d in decisions] == [Category.BILLING_DISPUTE, Category.NETWORK_OUTAGE,
                                               Category.BILLING_DISPUTE, Category.NETWORK_OUTAGE]
    for decision in decisions:
        llm = decision.llm
        assert llm["input_tokens"] > 0 and llm["output_tokens"] == 40
        expected = (llm["input_tokens"] * 3.0 + llm["output_tokens"] * 15.0) / 1_000_000
        assert llm["cost_usd"] == pytest.approx(expected, abs=1e-6)
        assert llm["provider"] == "scripted" and llm["model_id"].startswith("us.anthropic.claude-sonnet-4-5")
        assert llm["llm_latency_ms"] >= 0 and llm["total_ms"] >= llm["llm_latency_ms"]
    stored = router.store.get_decision("B-2")
    assert stored is not None and stored.engine == "agent" and stored.llm["status"] == "ok"


def test_model_name_records_provider_model_and_prompt_version(router):
    model = ScriptedModel([answer("Account Access", "Account Management")])
    decision = agent_engine(router, model).route(make_ticket(router, "locked out of my account"), save=False)
    assert decision.model.name == "scripted:us.anthropic.claude-sonnet-4-5-20250929-v1:0"
    assert decision.model.version.startswith("agent-prompt-v2+")


def test_redaction_is_on_by_default_and_can_be_turned_off(router):
    text_with_ids = "No internet. Call +44 7700 900123 or mail jo@example.com, IMEI 490154203237518"
    for redact, visible in ((True, False), (False, True)):
        model = ScriptedModel([answer("Network Outage", "Network Operations")])
        decision = agent_engine(router, model, redact=redact).route(make_ticket(router, text_with_ids), save=False)
        sent = _user_text(model.requests[0])
        assert ("7700 900123" in sent) is visible and ("jo@example.com" in sent) is visible
        assert ("490154203237518" in sent) is visible
        assert decision.llm["redacted"] == ({} if visible else {"PHONE": 1, "EMAIL": 1, "IMEI": 1})


def test_under_a_six_team_policy_the_agent_routes_to_its_own_teams_and_nothing_else(router):
    from pathlib import Path

    from ticket_router.policy_file import load_policy
    from ticket_router.router import Router

    six = load_policy(Path(__file__).resolve().parents[2] / "examples" / "six-teams.toml")
    six_router = Router(router.classifier, router.store, six, clock=router.clock)
    model = ScriptedModel([answer("Cancellation", "Sales", ["switch to another provider"]),  # not a policy team
                           call("route_to_team", category="Cancellation"),
                           answer("Cancellation", "Retention", ["switch to another provider"])])
    ticket = make_ticket(six_router, "Please cancel my contract, I want to switch to another provider")

    decision = agent_engine(six_router, model).route(ticket, save=False)

    assert (decision.team, decision.category) == (Team("Retention"), Category("Cancellation"))
    assert decision.policy_version == "six-teams-2026-12" and decision.llm["status"] == "ok"
    assert "Retention" in model.requests[0]["system_prompt"] and "Fraud & Security" in model.requests[0]["system_prompt"]
    rejected = " ".join(_tool_results(model.requests[1]).values())
    # the answer tool refused the team outside the policy, and told the model the policy's teams
    assert "Field 'team'" in rejected and "'Fraud & Security' or 'Retention'" in rejected
    looked_up = " ".join(_tool_results(model.requests[2]).values())
    assert '"team": "Retention"' in looked_up
