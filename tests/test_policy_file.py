"""Policy files: TOML and YAML read into a strict RoutingPolicy; anything unknown or out of range refused, named."""

from pathlib import Path

import pytest

from ticket_router.bootstrap import policy_for
from ticket_router.domain import Category, Priority, Team
from ticket_router.policy import DEFAULT_POLICY
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
    assert policy.team_for(Category.ACCOUNT_ACCESS) is Team.BILLING_SUPPORT
    assert policy.team_for(Category.NETWORK_OUTAGE) is Team.NETWORK_OPERATIONS  # the rest of the map is kept
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
     "unknown team 'Sales' in category_team; known: Network Operations, Billing Support, Technical Support, "
     "Account Management"),
    ('version = "a"\n[category_severity]\n"Fraud" = 0.9\n', "unknown category 'Fraud' in category_severity"),
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
