"""The agent engine against real providers: five tickets, each decided by the model (not a fallback), in the
right team, with round trips, tokens, latency and cost recorded. Figures are printed, never asserted as speeds."""

from __future__ import annotations

import os
import statistics

import pytest

from ticket_router.engines.factory import engine_for
from ticket_router.settings import load_settings


def environ_settings(**overrides: str) -> dict[str, str]:
    """The process's TICKET_ROUTER_* settings plus overrides (as load_settings expects them)."""
    values = {k: v for k, v in os.environ.items() if k.startswith("TICKET_ROUTER_")}
    if os.environ.get("BEDROCK_REGION"):
        values["BEDROCK_REGION"] = os.environ["BEDROCK_REGION"]
    values.update(overrides)
    return values


def _bedrock_credentials() -> bool:
    try:
        import boto3

        return boto3.Session().get_credentials() is not None
    except Exception:  # noqa: BLE001
        return False


PROVIDERS = {
    "bedrock": (_bedrock_credentials, {"TICKET_ROUTER_LLM_PROVIDER": "bedrock"}),
    "anthropic": (lambda: bool(os.environ.get("ANTHROPIC_API_KEY")), {"TICKET_ROUTER_LLM_PROVIDER": "anthropic"}),
    "openai": (lambda: bool(os.environ.get("INTEG_OPENAI_BASE_URL") or os.environ.get("OPENAI_API_KEY")),
               {"TICKET_ROUTER_LLM_PROVIDER": "openai",
                "TICKET_ROUTER_LLM_MODEL": os.environ.get("INTEG_OPENAI_MODEL", "gpt-4o-mini"),
                **({"TICKET_ROUTER_LLM_BASE_URL": os.environ["INTEG_OPENAI_BASE_URL"]}
                   if os.environ.get("INTEG_OPENAI_BASE_URL") else {})}),
}


@pytest.fixture(params=sorted(PROVIDERS))
def provider(request: pytest.FixtureRequest) -> tuple[str, dict[str, str]]:
    """A provider name and its settings; skipped when its credentials are not present."""
    available, overrides = PROVIDERS[request.param]
    if not available():
        pytest.skip(f"no credentials for {request.param}")
    return request.param, overrides


def test_agent_routes_real_tickets(provider, router, tickets):
    provider, overrides = provider
    settings = load_settings(environ_settings(**overrides, TICKET_ROUTER_LLM_TIMEOUT_S="30"))
    engine = engine_for(settings, router, "agent")

    decisions = engine.route_many([t for t, _ in tickets], save=False)

    for decision, (_, team) in zip(decisions, tickets):
        llm = decision.llm
        print(f"{provider} {decision.ticket_id}: {decision.team.value} {decision.priority.value} "
              f"round_trips={llm['round_trips']} tokens={llm['input_tokens']}+{llm['output_tokens']} "
              f"llm_ms={llm['llm_latency_ms']} cost={llm['cost_usd']} error={llm['error']}")
        assert llm["status"] == "ok", decision.review_reasons
        assert decision.team.value == team
    trips = [d.llm["round_trips"] for d in decisions]
    assert statistics.median(trips) <= 2
    local = router.route_many([t for t, _ in tickets], save=False)
    for decision, expected in zip(decisions, local):
        if decision.category == expected.category:  # same category: the same rules give the same priority
            assert decision.priority == expected.priority
    costs = [d.llm["cost_usd"] for d in decisions if d.llm["cost_usd"] is not None]
    if costs:
        assert max(costs) < 0.10  # the specification's all-in budget per ticket


def test_agent_check_answers(provider, monkeypatch):
    _, overrides = provider
    from typer.testing import CliRunner

    from ticket_router.cli import app
    from ticket_router.settings import get_settings

    for name, value in overrides.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["agent", "check"])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "ok: " in result.output
