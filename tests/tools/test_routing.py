import pytest

from ticket_router.domain import Category, Team
from ticket_router.policy import RoutingPolicy
from ticket_router.tools.routing import route_to_team

POLICY = RoutingPolicy()


def probs(network=0.0, billing=0.0, technical=0.0, account=0.0):
    return {Category.NETWORK_OUTAGE: network, Category.BILLING_DISPUTE: billing,
            Category.TECHNICAL_PROBLEM: technical, Category.ACCOUNT_ACCESS: account}


def test_team_follows_the_policy_map_with_top_two_alternatives():
    routing = route_to_team(probs(billing=0.8, technical=0.15, network=0.05), POLICY)
    assert routing.team == Team.BILLING_SUPPORT
    assert routing.confidence == 0.8
    assert [a.team for a in routing.alternatives] == [Team.TECHNICAL_SUPPORT, Team.NETWORK_OPERATIONS]
    assert not routing.needs_review


@pytest.mark.parametrize(("confidence", "review"), [(0.69, True), (0.70, False), (0.95, False)])
def test_review_below_the_threshold(confidence, review):
    routing = route_to_team(probs(account=confidence, network=1 - confidence), POLICY)
    assert routing.needs_review is review


def test_extra_reasons_force_review_even_when_confident():
    routing = route_to_team(probs(network=0.99, billing=0.01), POLICY, ["model failed"])
    assert routing.needs_review and routing.review_reasons == ["model failed"]


def test_policy_threshold_is_configurable():
    strict = POLICY.model_copy(update={"review_threshold": 0.9})
    assert route_to_team(probs(network=0.85, billing=0.15), strict).needs_review


def test_the_review_reason_never_reads_as_equal_numbers():
    routing = route_to_team({Category.BILLING_DISPUTE: 0.9996, Category.NETWORK_OUTAGE: 0.0004},
                            RoutingPolicy(review_threshold=1.0))
    assert routing.needs_review and routing.review_reasons[0] == "confidence 0.9996 is below 1.00"
