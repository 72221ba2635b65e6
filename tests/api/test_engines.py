"""The API's `engine` field (and TICKET_ROUTER_ENGINE as its default) reach the LLM engines; the LLM here is a local
OpenAI-compatible server, so the agent's answer, not a fallback, is what comes back."""

from __future__ import annotations

import pytest

pytest.importorskip("strands", reason="the agent extra is not installed")

from apitest import AUTH  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from llm.openai_stub import in_turn, openai_stub, tool_call_reply  # noqa: E402

ANSWER = tool_call_reply("RoutingAnswer", {"category": "Technical Problem", "team": "Technical Support",
                                           "evidence": ["modem lights blink red"]})
SURE = {"ticket_id": "E-1", "description": "I was charged twice for October"}
UNSURE = {"ticket_id": "E-2", "description": "My bill is wrong, the internet is down, I cannot log in and the "
                                           "router is broken"}
MODEM = {"ticket_id": "E-3", "description": "the modem lights blink red and nothing loads"}


@pytest.fixture
def llm():  # type: ignore[no-untyped-def]
    with openai_stub(in_turn(ANSWER)) as server:
        yield server


def _client(app_factory, llm, **fields):  # type: ignore[no-untyped-def]
    return TestClient(app_factory(llm_base_url=llm.base_url, **fields), headers=AUTH)


def test_engine_agent_routes_through_the_llm_and_records_it(app_factory, llm, service_store):
    with _client(app_factory, llm) as client:
        body = client.post("/v1/tickets", json={**MODEM, "engine": "agent"}).json()
    assert body["engine"] == "agent" and body["team"] == "Technical Support"
    assert body["llm"]["status"] == "ok" and body["llm"]["provider"] == "openai" and body["llm"]["round_trips"] == 1
    assert "modem lights blink red" in body["reasoning"]
    assert service_store.get_decision("E-3").llm["status"] == "ok"
    assert len(llm.requests) == 1


def test_cascade_in_a_batch_sends_only_the_unsure_ticket(app_factory, llm):
    with _client(app_factory, llm) as client:
        body = client.post("/v1/tickets/batch", json={"tickets": [SURE, UNSURE], "engine": "cascade"}).json()
    sure, unsure = (item["decision"] for item in body["results"])
    assert sure["engine"] == unsure["engine"] == "cascade"
    assert sure["llm"] is None and unsure["llm"]["escalation"].startswith("confidence 0.")
    assert len(llm.requests) == 1


def test_the_server_default_engine_applies_when_the_request_names_none(app_factory, llm):
    with _client(app_factory, llm, engine="agent") as client:
        default = client.post("/v1/tickets", json=MODEM).json()
        local = client.post("/v1/tickets", json={**SURE, "engine": "local"}).json()
    assert default["engine"] == "agent" and local["engine"] == "local" and local["llm"] is None
