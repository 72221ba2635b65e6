"""`ticket-router aws redrive` on moto's SQS: the real boto3 client and the real redrive code."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws
from typer.testing import CliRunner

from ticket_router.cli import app
from ticket_router.cli.redrive import RedriveError, redrive

REGION = "us-east-1"


@pytest.fixture
def sqs(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield boto3.client("sqs", region_name=REGION)


def make_queue(sqs, name: str, dlq: str | None = None) -> str:
    attributes = {}
    if dlq:
        arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        attributes["RedrivePolicy"] = json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": "5"})
    return sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]


def bodies(sqs, url: str) -> list[str]:
    found = []
    while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        found += [m["Body"] for m in batch]
        sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)])
    return found


def test_every_message_goes_back_to_the_queue_that_uses_the_dlq(sqs):
    dlq = make_queue(sqs, "route-dlq")
    source = make_queue(sqs, "route", dlq)
    for i in range(23):
        sqs.send_message(QueueUrl=dlq, MessageBody=json.dumps({"ticket_id": f"T-{i}"}),
                         MessageAttributes={"kind": {"DataType": "String", "StringValue": "test"}})
    result = redrive(sqs, "route-dlq")
    assert (result.moved, result.failed) == (23, 0)
    assert result.destinations == {source: 23}
    assert bodies(sqs, dlq) == []
    moved = sqs.receive_message(QueueUrl=source, MaxNumberOfMessages=1, MessageAttributeNames=["All"])["Messages"][0]
    assert moved["MessageAttributes"]["kind"]["StringValue"] == "test"
    assert sorted(json.loads(b)["ticket_id"] for b in [moved["Body"], *bodies(sqs, source)]) == \
        sorted(f"T-{i}" for i in range(23))


def test_a_limit_moves_only_that_many(sqs):
    dlq = make_queue(sqs, "update-dlq")
    source = make_queue(sqs, "update", dlq)
    for i in range(15):
        sqs.send_message(QueueUrl=dlq, MessageBody=str(i))
    assert redrive(sqs, dlq, limit=12).moved == 12
    assert len(bodies(sqs, source)) == 12 and len(bodies(sqs, dlq)) == 3


def test_eventbridge_dead_letters_go_back_to_the_target_they_name_without_the_error_attributes(sqs):
    dlq = make_queue(sqs, "events-dlq")
    target = make_queue(sqs, "route")
    arn = sqs.get_queue_attributes(QueueUrl=target, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    event = json.dumps({"detail-type": "TicketReceived", "detail": {"ticket_id": "T-1"}})
    sqs.send_message(QueueUrl=dlq, MessageBody=event, MessageAttributes={
        "TARGET_ARN": {"DataType": "String", "StringValue": arn},
        "ERROR_CODE": {"DataType": "String", "StringValue": "SDK_CLIENT_ERROR"}})
    assert redrive(sqs, "events-dlq").destinations == {target: 1}
    (moved,) = sqs.receive_message(QueueUrl=target, MessageAttributeNames=["All"])["Messages"]
    assert moved["Body"] == event and "ERROR_CODE" not in moved.get("MessageAttributes", {})


def test_a_dlq_with_no_way_back_is_refused_and_keeps_its_messages(sqs):
    dlq = make_queue(sqs, "orphan-dlq")
    sqs.send_message(QueueUrl=dlq, MessageBody="x")
    with pytest.raises(RedriveError, match="--to"):
        redrive(sqs, "orphan-dlq")
    assert bodies(sqs, dlq) == ["x"]  # visible again at once
    other = make_queue(sqs, "elsewhere")
    sqs.send_message(QueueUrl=dlq, MessageBody="y")
    assert redrive(sqs, "orphan-dlq", to="elsewhere").destinations == {other: 1}


def test_an_unknown_queue_is_named(sqs):
    with pytest.raises(RedriveError, match="no queue named 'nope'"):
        redrive(sqs, "nope")


def test_the_command_reports_what_it_moved(sqs, monkeypatch):
    for name in [n for n in __import__("os").environ if n.startswith("TICKET_ROUTER_")]:
        monkeypatch.delenv(name)
    dlq = make_queue(sqs, "route-dlq")
    make_queue(sqs, "route", dlq)
    sqs.send_message(QueueUrl=dlq, MessageBody="a")
    runner = CliRunner()
    result = runner.invoke(app, ["aws", "redrive", "--queue", "route-dlq", "--region", REGION])
    assert result.exit_code == 0, result.output
    assert "1 moved, 0 left" in result.output
    result = runner.invoke(app, ["aws", "redrive", "--queue", "missing", "--region", REGION])
    assert result.exit_code == 2 and "no queue named 'missing'" in result.output
