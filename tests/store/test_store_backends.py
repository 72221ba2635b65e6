"""The `Store` interface on every backend (SQLite, PostgreSQL, DynamoDB on moto): customers, outages, tickets with
their decisions, feedback, and the router writing through it."""

from __future__ import annotations

from datetime import timedelta

from conftest import NOW, ticket
from test_store_helpers import decision, outage

from ticket_router.domain import AccountType, Customer, Feedback, Priority, Service, Team
from ticket_router.policy import RoutingPolicy
from ticket_router.router import Router
from ticket_router.store.seed import seed_demo


def test_customers_are_upserted_found_in_bulk_and_searched(service_store):
    assert service_store.is_empty()
    amy = Customer(customer_id="C-1", name="Amy Hospital", vip=True, account_type=AccountType.ENTERPRISE,
                   plan="Fiber 1G", region="North")
    service_store.upsert_customers([amy, Customer(customer_id="C-2", name="Bob", region="South")])
    service_store.upsert_customers([amy.model_copy(update={"plan": "Fiber 2G"})])
    assert not service_store.is_empty()
    assert service_store.get_customer("C-1").plan == "Fiber 2G"
    assert service_store.get_customer("C-3") is None
    assert set(service_store.get_customers(["C-1", "C-2", "C-3"])) == {"C-1", "C-2"}
    assert service_store.get_customers([]) == {}
    assert [c.customer_id for c in service_store.list_customers(search="hospital")] == ["C-1"]
    assert [c.customer_id for c in service_store.list_customers(limit=1)] == ["C-1"]


def test_outages_active_at_a_time_are_listed_newest_first_and_resolved(service_store):
    service_store.upsert_outages([outage("O-1", "North", Service.INTERNET, 5), outage("O-2", "East", Service.TV, 2),
                                  outage("O-old", "North", Service.MOBILE, 50, ended=40)])
    assert [o.outage_id for o in service_store.list_outages(active_at=NOW)] == ["O-2", "O-1"]
    assert len(service_store.list_outages()) == 3
    assert service_store.resolve_outage("O-2", NOW) and not service_store.resolve_outage("nope", NOW)
    assert [o.outage_id for o in service_store.list_outages(active_at=NOW)] == ["O-1"]
    assert [o.outage_id for o in service_store.list_outages(active_at=NOW - timedelta(hours=1))] == ["O-2", "O-1"]
    service_store.upsert_customers([Customer(customer_id="C-1", region="West")])
    assert service_store.known_regions() == ["East", "North", "West"]


def test_feedback_is_listed_oldest_first_from_a_time(service_store):
    for n, agent in enumerate(["amy", "bob", "cy"]):
        service_store.save_feedback(Feedback(ticket_id="T-1", team=Team.BILLING_SUPPORT, agent=agent,
                                             priority=Priority.P1 if n else None,
                                             created_at=NOW + timedelta(minutes=n)))
    assert [f.agent for f in service_store.list_feedback()] == ["amy", "bob", "cy"]
    assert [f.agent for f in service_store.list_feedback(since=NOW + timedelta(minutes=1))] == ["bob", "cy"]
    assert service_store.list_feedback()[0].priority is None


def test_router_writes_through_the_store_and_a_reroute_is_the_latest(service_store, classifier):
    seed_demo(service_store, NOW)
    router = Router(classifier, service_store, RoutingPolicy(), clock=lambda: NOW)
    first = router.route(ticket("Charged twice on my bill, refund please", ticket_id="R1", customer_id="C-1001"))
    later = Router(classifier, service_store, RoutingPolicy(), clock=lambda: NOW + timedelta(minutes=1))
    second = later.route(ticket("Charged twice on my bill, refund please", ticket_id="R1", customer_id="C-1001"))
    assert service_store.get_decision("R1").decision_id == second.decision_id != first.decision_id
    assert [d.decision_id for d in service_store.list_ticket_decisions("R1")] == [second.decision_id,
                                                                                 first.decision_id]
    assert service_store.get_ticket("R1").description.startswith("Charged twice")
    assert first.prior_tickets > 0  # the demo history of C-1001 was read back
    assert service_store.get_decision("unknown") is None and service_store.get_ticket("unknown") is None


def test_save_decisions_keeps_an_existing_ticket(service_store):
    service_store.save_decisions([(ticket("first text", ticket_id="K"), decision("K"))])
    service_store.save_decisions([(ticket("other text", ticket_id="K"), decision("K", decision_id="d-K2"))])
    assert service_store.get_ticket("K").description == "first text"
    assert len(service_store.list_decision_rows()) == 2
