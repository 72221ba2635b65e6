"""The cascade: the embedded model decides first; only unsure tickets, or tickets the tools disagree about, go to the
LLM. The escalation rule is tested directly and through the engine with a scripted model."""

from __future__ import annotations

import pytest

pytest.importorskip("strands", reason="the agent extra is not installed")

from llm.scripted import ScriptedModel, agent_engine, answer, fail, make_ticket  # noqa: E402

from ticket_router.domain import Category, Team  # noqa: E402
from ticket_router.engines.agent import prepare  # noqa: E402
from ticket_router.engines.cascade import CascadeEngine, escalation_reason  # noqa: E402

SURE_BILLING = "I was charged twice for October"  # embedded model: Billing Dispute, 1.00
UNSURE = "My bill is wrong, the internet is down, I cannot log in and the router is broken"  # four issues in one
BILL_IN_OUTAGE = "why is my invoice so high this month"  # Billing Dispute, from a customer inside OUT-2026-1101
OUTAGE = "no internet at all since last night"


def _reason(router, text: str, threshold: float = 0.70, customer_id: str | None = None,
            model_failed: bool = False) -> str | None:
    ticket = make_ticket(router, text, customer_id=customer_id)
    batch, [item], _ = prepare(router, [ticket])
    decision = router.assemble(item.ticket, item.local, item.context, batch.now)
    return escalation_reason(item, decision, threshold, model_failed)


def unsure_reason(router) -> str:  # type: ignore[no-untyped-def]
    confidence = router.route(make_ticket(router, UNSURE), save=False).confidence
    assert confidence < 0.6
    return f"confidence {confidence:.2f} below 0.70"


def test_escalation_rules(router):
    assert _reason(router, SURE_BILLING) is None
    assert _reason(router, UNSURE) == unsure_reason(router)
    assert _reason(router, UNSURE, threshold=0.1) is None
    assert _reason(router, BILL_IN_OUTAGE, customer_id="C-1001") == \
        "Billing Dispute ticket from a customer inside active outage OUT-2026-1101"
    # South has a minor TV outage: a bill question that names no service is not suspect; one about TV is.
    assert _reason(router, BILL_IN_OUTAGE, customer_id="C-1002") is None
    assert _reason(router, "why is my TV bill so high this month", customer_id="C-1002") == \
        "Billing Dispute ticket from a customer inside active outage OUT-2026-1103"
    assert _reason(router, "why is my mobile bill so high", customer_id="C-1001") is None  # North: internet only
    assert _reason(router, OUTAGE, customer_id="C-1001") is None  # the tools agree: an outage ticket in an outage
    assert _reason(router, SURE_BILLING, model_failed=True) == "embedded model unavailable"


def _cascade(router, model: ScriptedModel, threshold: float = 0.70) -> CascadeEngine:
    return CascadeEngine(router, agent_engine(router, model), threshold)


def test_sure_tickets_never_reach_the_model(router):
    model = ScriptedModel([])
    tickets = [make_ticket(router, SURE_BILLING, ticket_id="S-1"), make_ticket(router, OUTAGE, ticket_id="S-2",
                                                                                customer_id="C-1001")]
    local = router.route_many(tickets, save=False)

    decisions = _cascade(router, model).route_many(tickets)

    assert model.requests == []
    for got, expected in zip(decisions, local):
        assert got.engine == "cascade" and got.llm is None
        assert (got.team, got.category, got.priority, got.confidence) == \
            (expected.team, expected.category, expected.priority, expected.confidence)
    assert router.store.get_decision("S-2").engine == "cascade"


def test_only_the_unsure_and_the_disputed_go_to_the_model(router):
    def respond(request):  # type: ignore[no-untyped-def]
        words = " ".join(b.get("text", "") for m in request["messages"] for b in m["content"])
        if "invoice" in words:
            return answer("Network Outage", "Network Operations", ["why is my invoice so high"],
                          secondary_categories=["Billing Dispute"])
        return answer("Technical Problem", "Technical Support")

    model = ScriptedModel(respond)
    tickets = [make_ticket(router, SURE_BILLING, ticket_id="C-A"),
               make_ticket(router, UNSURE, ticket_id="C-B"),
               make_ticket(router, BILL_IN_OUTAGE, ticket_id="C-C", customer_id="C-1001")]

    sure, unsure, disputed = _cascade(router, model).route_many(tickets, save=False)

    assert len(model.requests) == 2
    assert sure.llm is None and sure.category == Category.BILLING_DISPUTE
    assert unsure.engine == "cascade" and unsure.llm["engine"] == "cascade"
    assert unsure.llm["escalation"] == unsure_reason(router) and unsure.llm["status"] == "ok"
    assert unsure.category == Category.TECHNICAL_PROBLEM
    assert disputed.llm["escalation"].startswith("Billing Dispute ticket from a customer inside active outage")
    assert disputed.team == Team.NETWORK_OPERATIONS and Category.BILLING_DISPUTE in disputed.secondary_categories
    assert disputed.llm["local_category"] == "Billing Dispute"


def test_an_escalated_ticket_whose_model_fails_keeps_the_local_decision_flagged(router):
    ticket = make_ticket(router, UNSURE)
    local = router.route(ticket, save=False)
    decision = _cascade(router, ScriptedModel([fail(ConnectionRefusedError())])).route(ticket, save=False)
    assert (decision.team, decision.category, decision.priority) == (local.team, local.category, local.priority)
    assert decision.engine == "cascade" and decision.needs_review
    assert any("provider unreachable" in r for r in decision.review_reasons)


def test_a_broken_embedded_model_sends_everything_to_the_llm(router, monkeypatch):
    def broken(texts):  # type: ignore[no-untyped-def]
        raise RuntimeError("corrupt model file")

    monkeypatch.setattr(router.classifier, "predict", broken)
    model = ScriptedModel(lambda request: answer("Billing Dispute", "Billing Support", ["charged twice"]))
    decisions = _cascade(router, model).route_many(
        [make_ticket(router, SURE_BILLING, ticket_id="K-1"), make_ticket(router, OUTAGE, ticket_id="K-2")],
        save=False)
    assert len(model.requests) == 2
    assert all(d.llm["escalation"] == "embedded model unavailable" for d in decisions)
    assert all(any("keyword fallback used" in r for r in d.review_reasons) for d in decisions)
