"""Against a real deployed stage (README: Deploying on AWS). Runs only when AWS credentials,
TICKET_ROUTER_STAGE_URL (the stack's ApiUrl output) and TICKET_ROUTER_STAGE_KEY (an API key of its usage plan) are
present:

    export TICKET_ROUTER_STAGE_URL=https://…/dev/ TICKET_ROUTER_STAGE_KEY=…
    .venv/bin/python -m pytest tests_integ/test_aws_stage.py -s
"""

from __future__ import annotations

import os

import pytest

from ticket_router.cli.smoke import request, smoke


def _stage() -> tuple[str, str]:
    url, key = os.environ.get("TICKET_ROUTER_STAGE_URL"), os.environ.get("TICKET_ROUTER_STAGE_KEY")
    if not (url and key):
        pytest.skip("TICKET_ROUTER_STAGE_URL and TICKET_ROUTER_STAGE_KEY are not set")
    boto3 = pytest.importorskip("boto3")
    if boto3.Session().get_credentials() is None:
        pytest.skip("no AWS credentials")
    return url.rstrip("/"), key


@pytest.fixture(scope="module")
def stage() -> tuple[str, str]:
    return _stage()


@pytest.fixture(scope="module")
def smoked(stage):
    url, key = stage
    result = smoke(url, key, timeout_s=60)
    print(f"\nsmoke: {[(c.name, c.ok, c.detail) for c in result.checks]}; decision after "
          f"{result.seconds_to_decision} s")
    return result


def test_the_stage_passes_the_smoke_test_within_3_seconds_warm(stage, smoked):
    assert smoked.ok, smoked.checks
    url, key = stage  # a second ticket: the functions are warm now
    again = smoke(url, key, timeout_s=30, interval_s=0.25)
    print(f"warm: decision after {again.seconds_to_decision:.2f} s")
    assert again.ok and again.seconds_to_decision < 3.0


def test_a_repeated_ticket_gets_the_stored_decision_and_no_second_one(stage, smoked):
    url, key = stage
    status, answer = request("POST", f"{url}/tickets", key, {"ticket_id": smoked.ticket_id, "subject": "again"})
    assert status == 200 and answer["status"] == "existing"
    assert answer["decision"]["decision_id"] == smoked.decision["decision_id"]
    status, answer = request("GET", f"{url}/tickets/{smoked.ticket_id}", key)
    assert status == 200 and len(answer["history"]) == 1


def test_feedback_is_stored_and_a_bad_team_refused(stage, smoked):
    url, key = stage
    status, _ = request("POST", f"{url}/tickets/{smoked.ticket_id}/feedback", key, {"team": "Billing Support"})
    assert status == 201
    status, answer = request("POST", f"{url}/tickets/{smoked.ticket_id}/feedback", key, {"team": "Sales"})
    # API Gateway's own message quotes the rule and the value ("not found in enum"), not the field's name
    assert status == 400 and "Sales" in str(answer)
