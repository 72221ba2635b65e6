"""What only the DynamoDB store has: the region+service index, the chain's two conditional writes, its URL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from backends import dynamodb_url
from conftest import NOW, ticket
from test_store_helpers import decision, outage

from ticket_router.domain import Service
from ticket_router.store import open_store
from ticket_router.store.dynamodb import DynamoStore
from ticket_router.store.dynamodb_service import DuplicateDecision
from ticket_router.store.dynamodb_tables import decision_item
from ticket_router.store.service import ApiKeyRecord


@pytest.fixture
def dynamo() -> Iterator[DynamoStore]:
    with dynamodb_url() as url:
        store = open_store(url)
        assert isinstance(store, DynamoStore)
        yield store


def test_outages_of_a_region_and_service_through_the_index(dynamo):
    dynamo.upsert_outages([outage("O-1", "North", Service.INTERNET, 5), outage("O-2", "north", Service.TV, 2),
                           outage("O-3", "South", Service.INTERNET, 2), outage("O-4", "North", Service.INTERNET, 9, 8)])
    assert {o.outage_id for o in dynamo.outages_in("NORTH")} == {"O-1", "O-2", "O-4"}
    assert [o.outage_id for o in dynamo.outages_in("North", "internet", active_at=NOW)] == ["O-1"]


def test_a_ticket_is_accepted_once_and_gets_one_first_decision(dynamo):
    assert dynamo.accept_tickets([ticket("x", ticket_id="A"), ticket("y", ticket_id="A"), ticket("z", ticket_id="B")]) \
        == [True, False, True]
    assert dynamo.accept_tickets([ticket("again", ticket_id="A")]) == [False]
    assert dynamo.get_ticket("A").description == "x" and dynamo.get_decision("A") is None
    assert dynamo.customer_histories(["C-1"], NOW) == {}
    assert dynamo.save_first_decisions([(ticket("x", ticket_id="A"), decision("A"))]) == [True]
    assert dynamo.save_first_decisions([(ticket("x", ticket_id="A"), decision("A", decision_id="d-A2"))]) == [False]
    assert [d.decision_id for d in dynamo.list_ticket_decisions("A")] == ["d-A"]
    with pytest.raises(DuplicateDecision):  # a decision id is never written twice
        dynamo.save_first_decisions([(ticket("z", ticket_id="B"), decision("A"))])
    assert dynamo.get_decision("B") is None


def test_a_url_needs_a_prefix_and_tables_are_not_made_unless_asked():
    with pytest.raises(ValueError, match="prefix"):
        DynamoStore.from_url("dynamodb://")
    with dynamodb_url():
        store = open_store("dynamodb://nothing-here?region=us-east-1")
        assert store.client.list_tables()["TableNames"] == [] or all(
            not n.startswith("nothing-here") for n in store.client.list_tables()["TableNames"])


def test_a_first_decision_written_before_a_crash_is_the_one_kept_on_the_retry(dynamo):
    dynamo.accept_tickets([ticket("x", ticket_id="A")])
    crashed = decision("A", decision_id="first-A")
    dynamo.tables.decisions.put_item(Item=decision_item(crashed))  # the decision was written, the ticket not yet
    retry = crashed.model_copy(update={"confidence": 0.5})  # the retry routes again, under the same id
    assert dynamo.save_first_decisions([(ticket("x", ticket_id="A"), retry)]) == [False]
    assert dynamo.get_decision("A") == crashed
    assert [d.decision_id for d in dynamo.list_ticket_decisions("A")] == ["first-A"]


def test_a_key_item_written_before_the_administrator_flag_reads_as_a_standard_key(dynamo):
    dynamo.tables.api_keys.put_item(Item={"key_id": "old", "name": "crm", "key_hash": "a" * 64,
                                          "created_at": NOW.isoformat()})
    assert dynamo.find_api_key("a" * 64) == ApiKeyRecord(key_id="old", name="crm", key_hash="a" * 64, created_at=NOW)
    dynamo.add_api_key(ApiKeyRecord(key_id="new", key_hash="b" * 64, created_at=NOW, admin=True))
    stored = dynamo.tables.api_keys.get_item(Key={"key_id": "new"})["Item"]
    assert stored["admin"] is True  # a BOOL attribute
    assert [(r.key_id, r.admin) for r in dynamo.list_api_keys()] == [("new", True), ("old", False)]
