"""A policy of six teams end to end (examples/six-teams.toml: the four built-in teams plus Fraud & Security and
Retention). One real training run per session: `learn --policy … --promote` on tickets labelled with the new teams
gives a model that routes to them through the CLI and the API, on SQLite and PostgreSQL; the same model under the
built-in policy is refused at start, and promoting it where the policy lacks its categories is refused, naming them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from apitest import ADMIN_AUTH, ADMIN_KEY, make_settings
from backends import backend_url, service_store  # noqa: F401 - fixtures: both backends
from fastapi.testclient import TestClient
from learning import HELD_OUT_FRAUD, HELD_OUT_RETENTION, SIX_TEAMS_POLICY, cli, learn_and_export, six_team_records

from ticket_router.api import create_app
from ticket_router.model.versions import import_version
from ticket_router.policy import PolicyMismatch

POLICY = ["--policy", str(SIX_TEAMS_POLICY)]
NEW_TEAMS = {"Fraud & Security", "Retention"}


def _tickets(path: Path, texts: list[str]) -> Path:
    path.write_text("".join(json.dumps({"ticket_id": f"H{i}", "description": t}) + "\n" for i, t in enumerate(texts)),
                    encoding="utf-8")
    return path


def _teams(stdout: str) -> list[str]:
    return [json.loads(line)["team"] for line in stdout.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def six_teams(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return learn_and_export(tmp_path_factory, "six", six_team_records(), *POLICY)


def test_learn_with_a_six_team_policy_trains_a_model_that_routes_to_the_new_teams(six_teams, tmp_path):
    result, db, _ = six_teams
    assert result.returncode == 0, result.stderr
    assert "learning from 29 labelled tickets" in result.stderr and "promoted 1-op1" in result.stderr
    assert "F1 Fraud & Security (8)" in result.stdout and "F1 Retention (8)" in result.stdout
    held = _tickets(tmp_path / "held.jsonl", HELD_OUT_FRAUD + HELD_OUT_RETENTION)
    routed = cli(["route", str(held), "--db", str(db), *POLICY], tmp_path)
    assert routed.returncode == 0, routed.stderr
    assert _teams(routed.stdout) == ["Fraud & Security"] * 3 + ["Retention"] * 3
    decision = json.loads(routed.stdout.splitlines()[0])
    assert decision["policy_version"] == "six-teams-2026-12" and decision["model"]["version"] == "1-op1"
    assert decision["category"] == "Fraud"
    shown = json.loads(cli(["models", "show", "1-op1", "--db", str(db)], tmp_path).stdout)["meta"]
    assert shown["policy_version"] == "six-teams-2026-12"
    assert shown["categories"] == ["Account Access", "Billing Dispute", "Cancellation", "Fraud", "Network Outage",
                                   "Technical Problem"]
    assert shown["training"]["per_team"]["Retention"] == 8


def test_the_six_team_model_under_the_built_in_policy_is_refused_at_start(six_teams, tmp_path):
    _, db, _ = six_teams
    held = _tickets(tmp_path / "held.jsonl", HELD_OUT_FRAUD)
    refused = cli(["route", str(held), "--db", str(db)], tmp_path)
    assert refused.returncode == 2 and refused.stdout == "" and "Traceback" not in refused.stderr
    assert "model minilm-tfidf-v1 v1-op1 predicts categories that policy 'policy-v2' lacks: 'Cancellation', " \
           "'Fraud'" in refused.stderr
    assert "ticket-router learn --policy" in refused.stderr


def test_export_import_and_promote_follow_the_policy_on_each_backend(six_teams, backend_url, tmp_path):  # noqa: F811
    _, _, exported = six_teams
    imported = cli(["models", "import", str(exported)], tmp_path, url=backend_url)
    assert imported.returncode == 0, imported.stderr
    refused = cli(["models", "promote", "1-op1"], tmp_path, url=backend_url)
    assert refused.returncode == 1 and "lacks: 'Cancellation', 'Fraud'" in refused.stderr
    assert "Traceback" not in refused.stderr
    promoted = cli(["models", "promote", "1-op1", *POLICY], tmp_path, url=backend_url)
    assert promoted.returncode == 0, promoted.stderr
    held = _tickets(tmp_path / "held.jsonl", HELD_OUT_FRAUD + HELD_OUT_RETENTION)
    routed = cli(["route", str(held), *POLICY], tmp_path, url=backend_url)
    assert _teams(routed.stdout) == ["Fraud & Security"] * 3 + ["Retention"] * 3, routed.stderr


def test_the_api_routes_to_the_policy_s_teams_and_takes_feedback_only_for_them(six_teams, service_store):  # noqa: F811
    _, _, exported = six_teams
    import_version(service_store, exported.read_bytes())
    with TestClient(create_app(make_settings(admin_api_keys=ADMIN_KEY), store=service_store),
                    headers=ADMIN_AUTH) as built_in:
        conflict = built_in.post("/v1/models/1-op1/promote")
        assert conflict.status_code == 409 and "lacks: 'Cancellation', 'Fraud'" in conflict.json()["detail"]
    with TestClient(create_app(make_settings(policy=SIX_TEAMS_POLICY, admin_api_keys=ADMIN_KEY), store=service_store),
                    headers=ADMIN_AUTH) as api:
        assert api.post("/v1/models/1-op1/promote").json()["serving"].endswith("/1-op1")
        routed = api.post("/v1/tickets/batch", json={"tickets": [
            {"ticket_id": f"A{i}", "description": text} for i, text in enumerate(HELD_OUT_FRAUD + HELD_OUT_RETENTION)
        ]}).json()
        assert [r["decision"]["team"] for r in routed["results"]] == ["Fraud & Security"] * 3 + ["Retention"] * 3
        accepted = api.post("/v1/tickets/A0/feedback", json={"team": "Retention", "agent": "sam"})
        assert accepted.status_code == 201 and accepted.json()["team"] == "Retention"
        unknown = api.post("/v1/tickets/A0/feedback", json={"team": "Sales"})
        assert unknown.status_code == 400
        [error] = unknown.json()["errors"]
        assert error["field"] == "team" and "unknown team 'Sales'" in error["message"]
        assert "Fraud & Security, Retention" in error["message"]
        schema = api.get("/openapi.json").json()["components"]["schemas"]["FeedbackCreate"]["properties"]["team"]
        assert schema["enum"][-2:] == ["Fraud & Security", "Retention"]
        stats = api.get("/v1/stats").json()
        assert set(stats["by_team"]) == NEW_TEAMS and stats["accuracy"] == 0.0  # A0 was fraud; the agent said no
    with pytest.raises(PolicyMismatch, match="'Cancellation', 'Fraud'"):
        create_app(make_settings(), store=service_store)  # the built-in policy cannot serve the active model
