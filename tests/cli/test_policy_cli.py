"""`--policy FILE` and TICKET_ROUTER_POLICY through the real console entry point."""

import json

import pytest

from clitest import run_cli
from ticket_router.policy import DEFAULT_CATEGORY_TEAM

# Every category goes to another team than the built-in map's, so the decision shows which map routed it.
SHUFFLED = {"Network Outage": "Technical Support", "Billing Dispute": "Account Management",
            "Technical Problem": "Network Operations", "Account Access": "Billing Support"}
STRICT = ('version = "acme-test-1"\nreview_threshold = 0.99\n[weights]\nvip = 0.1\nseverity = 0.6\n'
          '[category_team]\n' + "".join(f'"{c}" = "{t}"\n' for c, t in SHUFFLED.items()))
TEXT = "I was charged twice this month and my internet keeps dropping"


def test_route_records_the_file_version_and_uses_its_map_threshold_and_weights(tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text(STRICT)
    result = run_cli(["route", "--text", TEXT, "--policy", str(policy), "--json", "--db", str(tmp_path / "t.db")],
                     tmp_path)
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["policy_version"] == "acme-test-1"
    assert decision["team"] == SHUFFLED[decision["category"]] != DEFAULT_CATEGORY_TEAM[decision["category"]]
    assert decision["needs_review"] and any("below 0.99" in r for r in decision["review_reasons"])
    assert decision["priority_factors"]["issue_severity"]["weight"] == 0.6
    assert decision["priority_factors"]["vip_status"]["weight"] == 0.1


def test_the_environment_variable_names_a_yaml_policy(tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text("version: acme-yaml-2\nreview_threshold: 0.99\n")
    result = run_cli(["route", "--text", TEXT, "--json", "--db", str(tmp_path / "t.db")], tmp_path,
                     env={"TICKET_ROUTER_POLICY": str(policy)})
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["policy_version"] == "acme-yaml-2" and decision["needs_review"]


@pytest.mark.parametrize("command", [["route", "--text", TEXT], ["evaluate", "gold.jsonl"], ["learn", "gold.jsonl"],
                                     ["serve", "--port", "1"]])
def test_a_bad_policy_file_stops_the_command_at_start_with_the_reason(tmp_path, command):
    policy = tmp_path / "bad.toml"
    policy.write_text('version = "acme-3"\nweigths = 1\n')
    result = run_cli([*command, "--policy", str(policy), "--db", str(tmp_path / "t.db")], tmp_path)
    assert result.returncode == 2
    assert f"error: policy {policy}: unknown key 'weigths'" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_bad_policy_file_from_the_environment_stops_serve(tmp_path):
    policy = tmp_path / "bad.yaml"
    policy.write_text("version: acme-4\ncategory_team:\n  Network Outage: Sales\n")
    result = run_cli(["serve", "--port", "1", "--db", str(tmp_path / "t.db")], tmp_path,
                     env={"TICKET_ROUTER_POLICY": str(policy)})
    assert result.returncode == 2 and "team_descriptions lacks 'Sales': every team needs a description" in result.stderr
    assert "Traceback" not in result.stderr


def test_evaluate_refuses_gold_teams_the_policy_does_not_route_to(tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text('version = "acme-5"\n[category_team]\n"Account Access" = "Billing Support"\n')
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"ticket_id": "G1", "description": "I cannot log in to my account",
                                "team": "Account Management"}) + "\n"
                    + json.dumps({"ticket_id": "G2", "description": "I was charged twice for May",
                                  "team": "Billing Support"}) + "\n")
    result = run_cli(["evaluate", str(gold), "--policy", str(policy), "--model", "tfidf-lr-v2", "--json",
                      "--db", str(tmp_path / "t.db")], tmp_path)
    assert result.returncode == 1
    assert "line 1: unknown gold team 'Account Management'" in result.stderr
    assert json.loads(result.stdout)["count"] == 1  # the valid record is still scored
