"""check_vip_status, check_service_status and get_historical_context against a real SQLite store."""

from datetime import timedelta

from conftest import NOW

from ticket_router.domain import AccountType, Outage, Service, Severity
from ticket_router.policy import RoutingPolicy
from ticket_router.tools.customer import check_vip_status
from ticket_router.tools.history import get_historical_context
from ticket_router.tools.service_status import check_service_status


def test_known_vip_customer(seeded_store):
    customer = check_vip_status("C-1001", seeded_store)
    assert customer.known and customer.vip
    assert customer.account_type == AccountType.ENTERPRISE and customer.region == "North"


def test_unknown_and_missing_customers_get_a_clear_default(seeded_store):
    unknown = check_vip_status("C-404", seeded_store)
    assert not unknown.known and not unknown.vip and unknown.account_type == AccountType.CONSUMER
    assert "unknown customer" in unknown.describe()
    assert check_vip_status(None, seeded_store).describe() == "no customer id"


def test_outage_matches_region_and_service(seeded_store):
    north_internet = check_service_status("North", [Service.INTERNET], seeded_store, NOW)
    assert [o.outage_id for o in north_internet.matching_outages] == ["OUT-2026-1101"]
    assert check_service_status("north", [], seeded_store, NOW).in_outage  # any service, any case
    assert not check_service_status("North", [Service.MOBILE], seeded_store, NOW).in_outage
    assert not check_service_status("South", [Service.INTERNET], seeded_store, NOW).in_outage
    assert not check_service_status(None, [Service.INTERNET], seeded_store, NOW).in_outage


def test_resolved_and_future_outages_do_not_match(seeded_store):
    assert not check_service_status("West", [Service.INTERNET], seeded_store, NOW).in_outage
    seeded_store.upsert_outages([Outage(outage_id="F1", service=Service.TV, region="West", severity=Severity.MINOR,
                                        started_at=NOW + timedelta(hours=1))])
    assert not check_service_status("West", [Service.TV], seeded_store, NOW).in_outage
    assert seeded_store.resolve_outage("OUT-2026-1101", NOW - timedelta(minutes=1))
    assert not check_service_status("North", [Service.INTERNET], seeded_store, NOW).in_outage


def test_history_flags_repeat_contact(seeded_store):
    policy = RoutingPolicy()
    history = get_historical_context("C-1002", seeded_store, NOW, policy)
    assert [t.ticket_id for t in history.recent] == ["HIST-0002", "HIST-0001"]
    assert history.repeat_contact
    old = get_historical_context("C-1005", seeded_store, NOW, policy)  # 45 days ago: outside the window
    assert old.recent == [] and not old.repeat_contact
    assert get_historical_context(None, seeded_store, NOW, policy).recent == []
