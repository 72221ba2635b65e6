"""`ticket-router cost` through the real console entry point."""

from __future__ import annotations

import json

from cli.test_cli import run


def test_cost_prints_the_services_the_total_and_the_per_ticket_cost(tmp_path):
    result = run(["cost", "--tickets-per-day", "1000"], tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    for service in ("Lambda", "API Gateway", "EventBridge", "SQS", "DynamoDB", "Secrets Manager", "CloudWatch",
                    "KMS", "Bedrock", "total", "per ticket: $"):
        assert service in out


def test_cost_as_json_for_the_agent_engine(tmp_path):
    result = run(["cost", "-n", "5000", "--engine", "agent", "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    estimate = json.loads(result.stdout)
    assert estimate["engine"] == "agent" and estimate["llm_share"] == 1.0
    assert estimate["per_ticket_usd"] > 0.001  # an LLM call for every ticket


def test_bad_engine_and_missing_price_file_are_clear_errors(tmp_path):
    result = run(["cost", "-n", "10", "--engine", "gpt"], tmp_path)
    assert result.returncode == 2 and b"unknown engine" in result.stderr
    result = run(["cost", "-n", "10", "--llm-share", "0.2"], tmp_path)
    assert result.returncode == 2 and b"--engine cascade only" in result.stderr
    result = run(["cost", "-n", "10", "--prices", str(tmp_path / "none.json")], tmp_path)
    assert result.returncode == 2 and b"cannot estimate" in result.stderr and b"Traceback" not in result.stderr
