"""Reading an operator's labels, refusing what cannot train, folds and the promotion verdict (no training here:
the training run itself is exercised once, through the CLI, in tests/cli/test_learn_cli.py)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from learning import labelled_records

from ticket_router.domain import Category, Feedback, ModelInfo, Team, Ticket
from ticket_router.model.base import Prediction
from ticket_router.model.corpus import LabelledTicket
from ticket_router.model.learn import (
    LearnRefused,
    assign_folds,
    check_examples,
    compare,
    labelled_from_feedback,
    read_labelled,
    training_summary,
)
from ticket_router.policy import DEFAULT_POLICY, RoutingPolicy


def _jsonl(records: list[object]) -> bytes:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records).encode()


def test_bad_records_are_named_by_line_and_the_good_ones_kept():
    data = _jsonl([
        {"ticket_id": "1", "description": "refund", "team": "Billing Support"},
        "{broken",
        {"ticket_id": "3", "description": "x", "team": "Sales"},
        {"ticket_id": "4", "description": "no team"},
        {"ticket_id": "5", "description": "", "team": "Billing Support"},
        {"ticket_id": "6", "description": "pw", "team": "Account Management", "category": "Password Reset"},
        {"ticket_id": "7", "description": "bill", "team": "Account Management", "category": "Billing Dispute"},
        {"ticket_id": "8", "description": "down", "team": "Network Operations", "category": "Network Outage"},
    ])
    good, bad = read_labelled(data, "jsonl", DEFAULT_POLICY)
    assert [(e.team, e.category) for e in good] == [
        (Team.BILLING_SUPPORT, Category.BILLING_DISPUTE), (Team.NETWORK_OPERATIONS, Category.NETWORK_OUTAGE)]
    reasons = {item.line: item.reason for item in bad}
    assert reasons[2].startswith("invalid JSON")
    assert "team 'Sales' is not in the policy" in reasons[3]
    assert reasons[4] == "missing gold team"
    assert "blank" in reasons[5]
    assert "category 'Password Reset' is not in the policy" in reasons[6]
    assert "belongs to Billing Support" in reasons[7]


def test_csv_input_with_gold_team():
    data = b"ticket_id,subject,description,team\n1,Bill,charged twice,Billing Support\n2,,,Billing Support\n"
    good, bad = read_labelled(data, "csv", DEFAULT_POLICY)
    assert len(good) == 1 and [b.line for b in bad] == [3]


def _examples(counts: dict[Team, int]) -> list[LabelledTicket]:
    category = {t: c for c, t in DEFAULT_POLICY.category_team.items()}
    return [LabelledTicket(description=f"{team} {i}", team=team, category=category[team])
            for team, n in counts.items() for i in range(n)]


def test_too_few_records_or_one_team_is_refused_and_thin_teams_warned():
    with pytest.raises(LearnRefused, match="19 usable labelled tickets; at least 20"):
        check_examples(_examples({Team.BILLING_SUPPORT: 10, Team.NETWORK_OPERATIONS: 9}))
    with pytest.raises(LearnRefused, match="at least 2 teams"):
        check_examples(_examples({Team.BILLING_SUPPORT: 30}))
    warnings = check_examples(_examples({Team.BILLING_SUPPORT: 15, Team.NETWORK_OPERATIONS: 6}))
    assert warnings == ["team 'Network Operations' has only 6 examples (fewer than 10); its figures are rough"]


def test_folds_are_stratified_and_fewer_for_small_sets():
    examples = _examples({Team.BILLING_SUPPORT: 40, Team.NETWORK_OPERATIONS: 20, Team.TECHNICAL_SUPPORT: 5})
    assigned, folds = assign_folds(examples, seed=1)
    assert folds == 5
    for team in (Team.BILLING_SUPPORT, Team.NETWORK_OPERATIONS):
        per_fold = Counter(f for f, e in zip(assigned, examples) if e.team == team)
        assert max(per_fold.values()) - min(per_fold.values()) <= 1 and len(per_fold) == 5
    assert assign_folds(examples[:25], seed=1)[1] == 2
    assert assign_folds(examples, seed=1) == assign_folds(examples, seed=1)


def _prediction(category: Category, p: float = 0.9) -> Prediction:
    rest = (1 - p) / 3
    return Prediction({c: (p if c == category else rest) for c in RoutingPolicy().categories}, [])


def test_promotion_verdict_needs_accuracy_and_macro_f1_not_below_the_active_model():
    gold = ["Billing Support", "Network Operations", "Network Operations", "Billing Support"]
    right = [_prediction(Category.BILLING_DISPUTE), _prediction(Category.NETWORK_OUTAGE),
             _prediction(Category.NETWORK_OUTAGE), _prediction(Category.BILLING_DISPUTE)]
    wrong = right[:3] + [_prediction(Category.NETWORK_OUTAGE, 0.6)]
    info = ModelInfo(name="m", version="1")
    better = compare(gold, right, wrong, info, 2, DEFAULT_POLICY)
    assert better.not_worse and better.candidate_eval.accuracy == 1.0 and better.active_eval.accuracy == 0.75
    assert better.active_eval.review_rate == 0.25
    worse = compare(gold, wrong, right, info, 2, DEFAULT_POLICY)
    assert not worse.not_worse
    assert worse.reasons[0] == "accuracy 0.750 is below the active model's 1.000"
    assert "macro-F1" in worse.reasons[1]
    assert compare(gold, right, right, info, 2, DEFAULT_POLICY).not_worse  # a tie is not worse


def test_feedback_labels_take_the_latest_per_ticket():
    from ticket_router.domain import utcnow

    tickets = {"A": Ticket(ticket_id="A", description="refund"), "B": Ticket(ticket_id="B", description="no signal")}
    now = utcnow()
    feedback = [Feedback(ticket_id="A", team=Team.TECHNICAL_SUPPORT, created_at=now),
                Feedback(ticket_id="A", team=Team.BILLING_SUPPORT, created_at=now),
                Feedback(ticket_id="B", team=Team.NETWORK_OPERATIONS, created_at=now),
                Feedback(ticket_id="gone", team=Team.NETWORK_OPERATIONS, created_at=now)]
    examples = labelled_from_feedback(feedback, tickets.get, DEFAULT_POLICY)
    assert [(e.description, e.team) for e in examples] == [("refund", Team.BILLING_SUPPORT),
                                                           ("no signal", Team.NETWORK_OPERATIONS)]


def test_training_summary_is_a_stable_fingerprint_of_the_labels():
    good, _ = read_labelled(_jsonl(labelled_records()), "jsonl", DEFAULT_POLICY)
    summary = training_summary(good, 5.0, "ops.jsonl")
    assert summary["count"] == 24 and summary["per_team"] == {"Account Management": 14, "Billing Support": 10}
    assert summary == training_summary(list(good), 5.0, "ops.jsonl")
    assert summary["sha256"] != training_summary(good[1:], 5.0, "ops.jsonl")["sha256"]


def test_labels_of_a_policy_s_own_teams_take_the_given_category_or_the_team_s_first():
    from ticket_router.model.learn import labelled_from_raw
    from ticket_router.policy_file import policy_from_data

    policy = policy_from_data({
        "version": "churn-1", "category_team": {"Cancellation": "Retention", "Win-back": "Retention"},
        "team_descriptions": {"Retention": "Customers leaving or thinking of it."},
        "category_severity": {"Cancellation": 0.4, "Win-back": 0.3},
    })
    raw = {"ticket_id": "R1", "description": "I want to leave", "team": "Retention"}
    assert labelled_from_raw(raw, 1, policy).category == Category("Cancellation")  # the map's first for the team
    assert labelled_from_raw({**raw, "category": "Win-back"}, 1, policy).category == Category("Win-back")
    wrong = labelled_from_raw({**raw, "category": "Billing Dispute"}, 7, policy)
    assert str(wrong) == "line 7: category 'Billing Dispute' belongs to Billing Support, not 'Retention'"
    outside = labelled_from_raw({**raw, "team": "Fraud & Security"}, 8, policy)
    assert str(outside).startswith("line 8: team 'Fraud & Security' is not in the policy (") and \
        "Retention" in str(outside)
    # the built-in policy has no Retention team: the same record is refused, naming it
    assert "team 'Retention' is not in the policy" in str(labelled_from_raw(raw, 2, DEFAULT_POLICY))
