"""The LLM line of a decision panel and of the batch summary."""

from __future__ import annotations

from rich.console import Console

from ticket_router.cli.render import llm_line, summary_table

OK = {"provider": "bedrock", "model_id": "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "status": "ok",
      "round_trips": 1, "input_tokens": 120, "cache_read_tokens": 2300, "output_tokens": 60,
      "llm_latency_ms": 1840.4, "cost_usd": 0.00196}
FAILED = {"provider": "openai", "model_id": "llama3.1", "status": "fallback", "error": "timeout", "round_trips": 1,
          "input_tokens": 0, "output_tokens": 0, "llm_latency_ms": 8000.0, "cost_usd": None,
          "escalation": "confidence 0.39 below 0.70"}


def test_llm_line():
    assert llm_line(OK) == ("bedrock us.anthropic.claude-sonnet-4-5-20250929-v1:0 · answered · 1 round trip(s) · "
                            "2420 in + 60 out tokens · 1840 ms · $0.0020")
    assert llm_line(FAILED) == ("asked because confidence 0.39 below 0.70 · openai llama3.1 · failed (timeout), "
                                "local decision kept · 1 round trip(s) · 0 in + 0 out tokens · 8000 ms · cost unknown")


def test_summary_counts_the_tickets_sent_and_their_cost(router):
    from conftest import ticket

    local, sent, failed = router.route_many([ticket("no internet", ticket_id=f"R-{i}") for i in range(3)],
                                            save=False)
    decisions = [local, sent.model_copy(update={"llm": OK}), failed.model_copy(update={"llm": FAILED})]
    console = Console(width=200, record=True)
    console.print(summary_table(decisions, 0, 1.0))
    assert "2 tickets sent (1 fell back to the local decision); estimated cost $0.0020" in console.export_text()
