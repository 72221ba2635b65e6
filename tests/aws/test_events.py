"""The chain's events: entries for PutEvents, and reading them back from SQS bodies, bad ones named."""

from __future__ import annotations

import json

import pytest
from test_store_helpers import decision

from ticket_router.aws import contract, events


def delivered(entry: dict) -> str:
    """The SQS body EventBridge makes of a PutEvents entry."""
    return json.dumps({"version": "0", "id": "e", "source": entry["Source"], "detail-type": entry["DetailType"],
                       "detail": json.loads(entry["Detail"])})


def test_entries_read_back_as_the_same_details():
    received = events.received("T-1", "cascade", "corr-1")
    entry = events.entry("bus", received)
    assert (entry["EventBusName"], entry["Source"], entry["DetailType"]) == ("bus", contract.EVENT_SOURCE,
                                                                            contract.TICKET_RECEIVED)
    assert events.read(delivered(entry), events.TicketReceived) == received
    routed = events.routed(decision("T-1"), None)
    assert events.read(delivered(events.entry("bus", routed)), events.TicketRouted) == routed
    assert routed.message["team"] == "Billing Support" and routed.decision_id == "d-T-1"


@pytest.mark.parametrize(("body", "says"), [
    ("{", "not JSON"),
    ("[]", "not a ticket-router TicketReceived event"),
    (json.dumps({"source": "other", "detail-type": "TicketReceived", "detail": {}}), "not a ticket-router"),
    (json.dumps({"source": "ticket-router", "detail-type": "TicketRouted", "detail": {}}), "not a ticket-router"),
    (json.dumps({"source": "ticket-router", "detail-type": "TicketReceived", "detail": {"ticket_id": ""}}),
     "detail is invalid: ticket_id"),
    (json.dumps({"source": "ticket-router", "detail-type": "TicketReceived", "detail": {"ticket_id": "x", "y": 1}}),
     "detail is invalid: y"),
])
def test_a_bad_body_is_named(body, says):
    with pytest.raises(events.BadEvent, match=says):
        events.read(body, events.TicketReceived)


def test_refused_entries_raise_so_the_message_is_retried():
    import boto3
    from botocore.stub import Stubber

    client = boto3.client("events", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stub:
        stub.add_response("put_events", {"FailedEntryCount": 1, "Entries": [
            {"ErrorCode": "ThrottlingException", "ErrorMessage": "slow down"}, {"EventId": "1"}]})
        with pytest.raises(RuntimeError, match="refused 1 event.*ThrottlingException"):
            events.EventBus(client, "bus").put([events.received("A", None, None), events.received("B", None, None)])
