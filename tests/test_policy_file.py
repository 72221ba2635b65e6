"""Policy files: TOML and YAML read into a strict RoutingPolicy; anything unknown or out of range refused, named."""

from pathlib import Path

import pytest

from ticket_router.bootstrap import policy_for
from ticket_router.domain import Category, Priority, Team
from ticket_router.policy import DEFAULT_CATEGORY_TEAM, DEFAULT_POLICY, PolicyMismatch, RoutingPolicy
from ticket_router.policy_file import PolicyFileError, load_policy
from ticket_router.settings import load_settings

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "policy.toml"


def write(tmp_path: Path, text: str, name: str = "policy.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refusal(tmp_path: Path, text: str, name: str = "policy.toml") -> str:
    path = write(tmp_path, text, name)
    with pytest.raises(PolicyFileError) as caught:
        load_policy(path)
    assert str(caught.value).startswith(f"policy {path}: ")
    return str(caught.value)


def test_a_toml_file_sets_what_it_names_and_keeps_the_rest(tmp_path):
    policy = load_policy(write(tmp_path, 'version = "acme-1"\nreview_threshold = 0.9\n'
                                         '[category_team]\n"Account Access" = "Billing Support"\n'
                                         '[weights]\nvip = 0.2\nseverity = 0.5\n'))
    assert policy.version == "acme-1" and policy.review_threshold == 0.9
    assert policy.team_for(Category.ACCOUNT_ACCESS) == Team.BILLING_SUPPORT
    assert policy.team_for(Category.NETWORK_OUTAGE) == Team.NETWORK_OPERATIONS  # the rest of the map is kept
    assert (policy.weights.vip, policy.weights.severity, policy.weights.age) == (0.2, 0.5, DEFAULT_POLICY.weights.age)
    assert policy.score_thresholds == DEFAULT_POLICY.score_thresholds


def test_a_yaml_file_reads_the_same_as_toml(tmp_path):
    yaml_policy = load_policy(write(tmp_path, "version: acme-1\nreview_threshold: 0.9\ncategory_team:\n"
                                              "  Account Access: Billing Support\nscore_thresholds:\n  P1: 60\n",
                                    "policy.yml"))
    toml_policy = load_policy(write(tmp_path, 'version = "acme-1"\nreview_threshold = 0.9\n[category_team]\n'
                                              '"Account Access" = "Billing Support"\n[score_thresholds]\nP1 = 60\n'))
    assert yaml_policy == toml_policy and yaml_policy.score_thresholds[Priority.P1] == 60.0


def test_the_shipped_example_loads():
    assert load_policy(EXAMPLE).version != DEFAULT_POLICY.version


@pytest.mark.parametrize("text, reason", [
    ('version = "a"\nreview_treshold = 0.9\n', "unknown key 'review_treshold'"),
    ('version = "a"\n[weights]\nvip = 0.3\nurgency = 0.1\n', "unknown key 'weights.urgency'"),
    ('version = "a"\n[weights]\nvip = 0.5\n', "weights: the weights must sum to 1.0 (within 0.001), not 1.2"),
    ('version = "a"\n[category_team]\n"Network Outage" = "Sales"\n',
     "team_descriptions lacks 'Sales': every team needs a description"),
    ('version = "a"\n[category_severity]\n"Fraud" = 0.9\n',
     "category_severity names category 'Fraud', not in category_team"),
    ('version = "a"\n[score_thresholds]\nP4 = 5\n', "unknown priority 'P4' in score_thresholds"),
    ('version = "a"\nreview_threshold = 1.5\n', "review_threshold: Input should be less than or equal to 1"),
    ('version = "a"\n[score_thresholds]\nP1 = 90\n', "score_thresholds must fall from P0 to P2"),
    ('version = "a"\n[score_thresholds]\nP3 = 5\n', "P3 takes no threshold"),
    ('version = "a"\nrepeat_contact_days = 0\n', "repeat_contact_days: Input should be greater than or equal to 1"),
    ('review_threshold = 0.9\n', "`version` is required"),
    ('version = "policy-v2"\n', "must differ from the built-in policy's 'policy-v2'"),
    ('version = " "\n', "version: String should match pattern"),
    ('version = "a"\nreview_threshold = \n', "not valid TOML"),
])
def test_a_bad_file_is_refused_naming_the_problem(tmp_path, text, reason):
    assert reason in refusal(tmp_path, text)


def test_bad_yaml_and_other_file_types_are_refused(tmp_path):
    assert "not valid YAML" in refusal(tmp_path, "version: [a\n", "policy.yaml")
    assert "must hold a table" in refusal(tmp_path, "- a list\n", "policy.yaml")
    assert "unsupported file type '.json'" in refusal(tmp_path, "{}", "policy.json")
    with pytest.raises(PolicyFileError, match="cannot read it"):
        load_policy(tmp_path / "missing.toml")


def test_policy_for_reads_the_configured_file_and_an_explicit_threshold_still_wins(tmp_path):
    path = write(tmp_path, 'version = "acme-1"\nreview_threshold = 0.9\n')
    assert policy_for(load_settings({"TICKET_ROUTER_POLICY": str(path)})).review_threshold == 0.9
    both = policy_for(load_settings({"TICKET_ROUTER_POLICY": str(path), "TICKET_ROUTER_REVIEW_THRESHOLD": "0.5"}))
    assert (both.review_threshold, both.version) == (0.5, "acme-1+review0.5")
    assert policy_for(load_settings({})) == DEFAULT_POLICY


# An operator's own teams and categories --------------------------------------------------------------------------
SIX_TEAMS = EXAMPLE.parent / "six-teams.toml"
FRAUD = '[category_team]\n"Fraud" = "Fraud & Security"\n'
FRAUD_DESCRIBED = FRAUD + '[team_descriptions]\n"Fraud & Security" = "SIM-swap fraud, scams, stolen phones."\n'


def test_the_six_team_example_adds_two_teams_with_a_category_each():
    policy = load_policy(SIX_TEAMS)
    assert [t.value for t in policy.teams] == ["Network Operations", "Billing Support", "Technical Support",
                                               "Account Management", "Fraud & Security", "Retention"]
    assert policy.categories_of(Team("Retention")) == [Category("Cancellation")]
    assert policy.category_severity[Category("Fraud")] == 0.8
    assert "SIM-swap" in policy.team_descriptions[Team("Fraud & Security")]
    # a built-in team the file does not describe keeps its built-in description
    assert policy.team_descriptions[Team.BILLING_SUPPORT] == DEFAULT_POLICY.team_descriptions[Team.BILLING_SUPPORT]
    assert policy.service_categories == DEFAULT_POLICY.service_categories


def test_a_built_in_team_the_map_no_longer_names_drops_out_of_the_policy():
    policy = load_policy(EXAMPLE)  # Acme's billing team owns account access
    assert Team.ACCOUNT_MANAGEMENT not in policy.teams and Team.ACCOUNT_MANAGEMENT not in policy.team_descriptions


@pytest.mark.parametrize("text, reason", [
    (FRAUD + '[category_severity]\n"Fraud" = 0.8\n',
     "team_descriptions lacks 'Fraud & Security': every team needs a description"),
    (FRAUD_DESCRIBED, "category_severity lacks Fraud"),
    (FRAUD_DESCRIBED + '[category_severity]\n"Fraud" = 0.8\n"Frod" = 0.8\n',
     "category_severity names category 'Frod', not in category_team"),
    ('[team_descriptions]\n"Retention" = "Customers who want to leave."\n',
     "team_descriptions names team 'Retention', not in category_team"),
    ('service_categories = ["Network Outage", "Outage"]\n',
     "service_categories names category 'Outage', not in category_team"),
    ('[category_team]\n"Fraud" = "  "\n', "category_team.Fraud: a team name must not be blank"),
    ('[category_team]\n"Fraud" = "Fraud\\u0007Desk"\n', "a team name must not contain control characters"),
    (f'[category_team]\n"Fraud" = "{"x" * 51}"\n', "a team name has at most 50 characters"),
])
def test_a_policy_of_its_own_teams_is_refused_naming_what_is_wrong(tmp_path, text, reason):
    assert reason in refusal(tmp_path, 'version = "a"\n' + text)


def test_the_built_in_categories_must_stay_in_the_map():
    with pytest.raises(ValueError, match="category_team lacks 'Account Access': the shipped corpus and models"):
        RoutingPolicy(category_team={c: t for c, t in DEFAULT_CATEGORY_TEAM.items() if c != Category.ACCOUNT_ACCESS})


def test_a_model_that_predicts_a_category_the_policy_lacks_is_refused_naming_it_and_the_model():
    DEFAULT_POLICY.check_model(["Network Outage", "Account Access"], "m v1")  # a subset is fine
    with pytest.raises(PolicyMismatch) as caught:
        DEFAULT_POLICY.check_model(["Network Outage", "Fraud", "Cancellation"], "minilm-tfidf-v1 v1-op1")
    message = str(caught.value)
    assert "model minilm-tfidf-v1 v1-op1 predicts categories that policy 'policy-v2' lacks: 'Fraud', " \
           "'Cancellation'" in message and "ticket-router learn --policy" in message


def test_service_categories_drive_the_severity_rule(tmp_path):
    from ticket_router.tools.severity import assess_severity

    text = "No service at all since this morning, completely down"
    assert assess_severity(text, Category.NETWORK_OUTAGE, DEFAULT_POLICY).critical
    narrower = load_policy(write(tmp_path, 'version = "a"\nservice_categories = ["Technical Problem"]\n'))
    assert not assess_severity(text, Category.NETWORK_OUTAGE, narrower).critical
