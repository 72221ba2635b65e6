"""The model's answer type: only policy enums, the policy's team, quoted evidence; and the blend rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from ticket_router.domain import Category, ModelInfo, Team
from ticket_router.llm.output import LLM_VOTE_WEIGHT, answer_model, blend, quoted_evidence
from ticket_router.policy import RoutingPolicy
from ticket_router.policy_file import load_policy
from ticket_router.tools.classify import Classification

POLICY = RoutingPolicy()
Answer = answer_model(POLICY)
LOCAL_MODEL = ModelInfo(name="tfidf-lr", version="v1")


@pytest.mark.parametrize("fields", [
    {"category": "Billing", "team": "Billing Support"},  # not a category
    {"category": "Billing Dispute", "team": "Finance"},  # not a team
    {"category": "Billing Dispute", "team": "Network Operations"},  # a team, but not the policy's for it
    {"category": "Billing Dispute", "team": "Billing Support", "priority": "P0"},  # no such field
    {"category": "Billing Dispute", "team": "Billing Support", "confidence": 0.99},
    {"team": "Billing Support"},
])
def test_anything_outside_the_policy_is_rejected(fields):
    with pytest.raises(ValidationError):
        Answer.model_validate(fields)


def test_a_valid_answer_is_trimmed_and_deduplicated():
    answer = Answer.model_validate({
        "category": "Billing Dispute", "team": "Billing Support",
        "evidence": ["charged  twice", "charged twice", "x" * 300, "", "a", "b", "c", "d"],
        "secondary_categories": ["Billing Dispute", "Network Outage", "Network Outage", "Account Access",
                                 "Technical Problem"],
    })
    assert answer.evidence[0] == "charged twice" and len(answer.evidence) == 5
    assert len(answer.evidence[1]) == 120
    assert answer.secondary_categories == [Category.NETWORK_OUTAGE, Category.ACCOUNT_ACCESS]


def test_the_team_check_follows_the_policy_it_was_built_for():
    policy = POLICY.model_copy(update={"version": "custom", "category_team": {
        **POLICY.category_team, Category.ACCOUNT_ACCESS: Team.TECHNICAL_SUPPORT}})
    custom = answer_model(policy)
    assert custom.model_validate({"category": "Account Access", "team": "Technical Support"}).team == \
        Team.TECHNICAL_SUPPORT
    with pytest.raises(ValidationError):
        Answer.model_validate({"category": "Account Access", "team": "Technical Support"})


def test_only_real_quotes_of_the_ticket_are_kept_as_evidence():
    source = "Subject: Bill\nDescription: I was  CHARGED twice for October, please refund [PHONE_1]"
    kept = quoted_evidence(["charged twice", "\"please refund\"", "customer is lying", "P0", "...", "[PHONE_1]"],
                           source)
    assert kept == ["charged twice", "please refund", "[PHONE_1]"]


def _local(probabilities: dict[Category, float]) -> Classification:
    ranked = sorted(probabilities, key=lambda c: -probabilities[c])
    return Classification(category=ranked[0], probabilities=probabilities, model=LOCAL_MODEL)


def test_blend_puts_the_model_first_with_a_probability_computed_from_the_embedded_model():
    local = _local({Category.NETWORK_OUTAGE: 0.9, Category.BILLING_DISPUTE: 0.05,
                    Category.TECHNICAL_PROBLEM: 0.03, Category.ACCOUNT_ACCESS: 0.02})
    answer = Answer.model_validate({"category": "Billing Dispute", "team": "Billing Support"})
    info = ModelInfo(name="bedrock:claude", version="p1")

    result = blend(local, answer, info, POLICY, ["charged"])

    assert result.category == Category.BILLING_DISPUTE and result.model == info and result.evidence == ["charged"]
    assert result.probabilities[Category.BILLING_DISPUTE] == pytest.approx(LLM_VOTE_WEIGHT + 0.4 * 0.05)
    assert result.probabilities[Category.NETWORK_OUTAGE] == pytest.approx(0.4 * 0.9)
    assert sum(result.probabilities.values()) == pytest.approx(1.0)
    assert result.secondary == [Category.NETWORK_OUTAGE]  # 0.36 is above the policy's 0.20


def test_agreement_clears_the_review_threshold_and_contradiction_does_not():
    local = _local({Category.NETWORK_OUTAGE: 0.5, Category.BILLING_DISPUTE: 0.2,
                    Category.TECHNICAL_PROBLEM: 0.2, Category.ACCOUNT_ACCESS: 0.1})
    info = ModelInfo(name="m", version="1")
    agree = blend(local, Answer.model_validate({"category": "Network Outage", "team": "Network Operations"}),
                  info, POLICY, [])
    differ = blend(local, Answer.model_validate({"category": "Account Access", "team": "Account Management"}),
                   info, POLICY, [])
    assert agree.probabilities[Category.NETWORK_OUTAGE] >= POLICY.review_threshold
    assert differ.probabilities[Category.ACCOUNT_ACCESS] < POLICY.review_threshold


SIX_TEAMS = Path(__file__).resolve().parents[2] / "examples" / "six-teams.toml"


def test_the_answer_type_of_a_six_team_policy_offers_and_accepts_only_its_names():
    six = load_policy(SIX_TEAMS)
    SixAnswer = answer_model(six)
    answer = SixAnswer.model_validate({"category": "Cancellation", "team": "Retention",
                                       "secondary_categories": ["Fraud", "Billing Dispute"]})
    assert answer.team == Team("Retention") and answer.team.value == "Retention"
    assert answer.secondary_categories == [Category("Fraud"), Category.BILLING_DISPUTE]
    schema = SixAnswer.model_json_schema()["properties"]
    assert schema["team"]["enum"] == [t.value for t in six.teams] and "Retention" in schema["team"]["enum"]
    assert schema["category"]["enum"][-2:] == ["Fraud", "Cancellation"]
    for wrong in ({"category": "Cancellation", "team": "Sales"},  # not a team of the policy
                  {"category": "Cancellation", "team": "Fraud & Security"},  # a team, not the one for it
                  {"category": "Churn", "team": "Retention"}):  # not a category of the policy
        with pytest.raises(ValidationError):
            SixAnswer.model_validate(wrong)
    with pytest.raises(ValidationError):  # the built-in policy's answer type knows no Retention
        Answer.model_validate({"category": "Cancellation", "team": "Retention"})
