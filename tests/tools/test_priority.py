from datetime import datetime, timezone

import pytest

from ticket_router.domain import AccountType, Category, Outage, Priority, Service, Severity
from ticket_router.policy import RoutingPolicy
from ticket_router.tools.customer import CustomerContext
from ticket_router.tools.history import History
from ticket_router.tools.priority import calculate_priority
from ticket_router.tools.service_status import ServiceStatus
from ticket_router.tools.severity import assess_severity

POLICY = RoutingPolicy()
T0 = datetime(2026, 11, 25, tzinfo=timezone.utc)
VIP = CustomerContext(customer_id="C1", known=True, vip=True, account_type=AccountType.ENTERPRISE, region="North")
CONSUMER = CustomerContext(customer_id="C2", known=True, region="North")
BUSINESS = CustomerContext(customer_id="C3", known=True, account_type=AccountType.BUSINESS, region="North")
NO_HISTORY = History(customer_id="C1", window_days=30)


def outage(severity: Severity) -> ServiceStatus:
    found = Outage(outage_id="O1", service=Service.INTERNET, region="North", severity=severity, started_at=T0)
    return ServiceStatus(region="North", services=[Service.INTERNET], matching_outages=[found])


NO_OUTAGE = ServiceStatus(region="North", services=[Service.INTERNET])


def priority(text, category, customer=CONSUMER, status=NO_OUTAGE, age=0.0, same_before=0):
    severity = assess_severity(text, category, POLICY)
    return calculate_priority(severity, customer, status, age, NO_HISTORY, POLICY, same_category_before=same_before)


def test_vip_with_service_affecting_issue_in_matching_outage_is_p0():
    result = priority("internet keeps dropping", Category.NETWORK_OUTAGE, VIP, outage(Severity.MINOR))
    assert result.priority == Priority.P0
    assert result.rules[0].startswith("P0")


def test_critical_outage_makes_any_service_affecting_ticket_p0():
    result = priority("internet keeps dropping", Category.NETWORK_OUTAGE, CONSUMER, outage(Severity.CRITICAL))
    assert result.priority == Priority.P0


def test_major_outage_without_vip_is_not_p0():
    result = priority("internet keeps dropping", Category.NETWORK_OUTAGE, CONSUMER, outage(Severity.MAJOR))
    assert result.priority != Priority.P0


def test_vip_billing_question_is_p1_not_p0_even_in_outage():
    result = priority("why is my bill higher", Category.BILLING_DISPUTE, VIP, outage(Severity.CRITICAL))
    assert result.priority == Priority.P1


def test_critical_service_problem_is_at_least_p1():
    result = priority("no internet at all, completely down", Category.NETWORK_OUTAGE)
    assert result.priority == Priority.P1


@pytest.mark.parametrize("category", [Category.BILLING_DISPUTE, Category.TECHNICAL_PROBLEM, Category.ACCOUNT_ACCESS])
def test_standard_issue_is_p2(category):
    assert priority("this thing is wrong, please fix it", category).priority == Priority.P2


def test_general_inquiry_is_p3():
    assert priority("how do I change my plan?", Category.ACCOUNT_ACCESS).priority == Priority.P3


def test_loss_of_service_is_not_an_inquiry_even_when_phrased_as_a_question():
    result = priority("how do I get my internet back? it is completely down", Category.NETWORK_OUTAGE)
    assert result.priority == Priority.P1


@pytest.mark.parametrize(
    ("text", "category", "fresh", "old"),
    [
        ("how do I change my plan?", Category.ACCOUNT_ACCESS, Priority.P3, Priority.P2),
        ("wrong charge on my bill", Category.BILLING_DISPUTE, Priority.P2, Priority.P1),
        ("no internet at all, completely down", Category.NETWORK_OUTAGE, Priority.P1, Priority.P0),
    ],
)
def test_older_than_24_hours_escalates_one_level(text, category, fresh, old):
    assert priority(text, category, age=2).priority == fresh
    assert priority(text, category, age=25).priority == old
    assert priority(text, category, age=24).priority == fresh


def test_repeat_contact_raises_a_standard_issue():
    assert priority("wrong charge on my bill", Category.BILLING_DISPUTE, same_before=2).priority == Priority.P1
    assert priority("wrong charge on my bill", Category.BILLING_DISPUTE, same_before=1).priority == Priority.P2


def test_factors_are_weighted_as_the_specification_sets_them():
    result = priority("no internet at all", Category.NETWORK_OUTAGE, VIP, outage(Severity.MAJOR), age=12)
    factors = result.factors
    assert {name: f.weight for name, f in factors.items()} == {
        "vip_status": 0.3, "issue_severity": 0.4, "ticket_age": 0.2, "outage_status": 0.1,
    }
    assert factors["vip_status"].points == 30.0
    assert factors["issue_severity"].points == 40.0
    assert factors["ticket_age"].points == 10.0
    assert factors["outage_status"].points == 7.0
    assert result.score == 87.0


def test_business_account_scores_between_consumer_and_vip():
    business = priority("wrong charge", Category.BILLING_DISPUTE, BUSINESS).factors["vip_status"].points
    consumer = priority("wrong charge", Category.BILLING_DISPUTE, CONSUMER).factors["vip_status"].points
    vip = priority("wrong charge", Category.BILLING_DISPUTE, VIP).factors["vip_status"].points
    assert consumer < business < vip
