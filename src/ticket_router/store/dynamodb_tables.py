"""The DynamoDB store's tables as plain data (no boto3): the store reads them, and so does the CDK app through
`ticket_router.aws.contract`. Also how the store's items spell times and numbers.

Times are ISO 8601 strings in UTC with microseconds (`2026-11-25T12:00:00.000000+00:00`): fixed width, so string
order is time order in sort keys and conditions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from ticket_router.domain import Decision, Ticket, as_utc

AttributeType = Literal["S", "N"]


@dataclass(frozen=True)
class Key:
    name: str
    type: AttributeType = "S"


@dataclass(frozen=True)
class Index:
    """A global secondary index; projection ALL (the store reads whole items through every index)."""

    name: str
    partition: Key
    sort: Key | None = None


@dataclass(frozen=True)
class Table:
    suffix: str
    partition: Key
    sort: Key | None = None
    indexes: tuple[Index, ...] = ()
    ttl_attribute: str | None = None

    def name(self, prefix: str) -> str:
        """The table's name in a deployment whose tables all start with `prefix` (e.g. `ticket-router-dev`)."""
        return f"{prefix}-{self.suffix}"


# A ticket item also carries its latest decision's id, time, team, category and priority (`latest_*`), so the
# history tool and "the latest decision" read the ticket alone, strongly consistent.
TICKETS = Table(
    "tickets", Key("ticket_id"),
    # a customer's newest tickets (the history tool); tickets without a customer are not in the index
    indexes=(Index("by_customer", Key("customer_id"), Key("created_at")),),
)
DECISIONS = Table(
    "decisions", Key("decision_id"),
    indexes=(
        Index("by_ticket", Key("ticket_id"), Key("decided_at")),  # a ticket's decisions in time order
        Index("by_day", Key("decided_day"), Key("decided_at")),  # decisions of a UTC day (YYYY-MM-DD), in time order
    ),
)
CUSTOMERS = Table("customers", Key("customer_id"))
OUTAGES = Table(
    "outages", Key("outage_id"),
    indexes=(Index("by_region_service", Key("region_key"), Key("service")),),  # region_key: the region, casefolded
)
FEEDBACK = Table("feedback", Key("ticket_id"), Key("feedback_key"))  # feedback_key: created_at#sequence
API_KEYS = Table("api-keys", Key("key_id"), indexes=(Index("by_hash", Key("key_hash")),))
# The service's outbox (the HTTP service on DynamoDB; the Lambda chain delivers through EventBridge and SQS
# instead). Item id 0 holds the id counter.
OUTBOX = Table("outbox", Key("id", "N"))
DEAD_LETTERS = Table("dead-letters", Key("decision_id"))

STORE_TABLES: tuple[Table, ...] = (TICKETS, DECISIONS, CUSTOMERS, OUTAGES, FEEDBACK, API_KEYS, OUTBOX, DEAD_LETTERS)


def create_table_request(table: Table, prefix: str) -> dict[str, Any]:
    """CreateTable arguments: on-demand capacity (the CDK app adds encryption and point-in-time recovery)."""
    keys = [table.partition, *([table.sort] if table.sort else [])]
    for index in table.indexes:
        keys += [index.partition, *([index.sort] if index.sort else [])]
    request: dict[str, Any] = {
        "TableName": table.name(prefix),
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": _key_schema(table.partition, table.sort),
        "AttributeDefinitions": [{"AttributeName": k.name, "AttributeType": k.type}
                                 for k in {k.name: k for k in keys}.values()],
    }
    if table.indexes:
        request["GlobalSecondaryIndexes"] = [
            {"IndexName": i.name, "KeySchema": _key_schema(i.partition, i.sort),
             "Projection": {"ProjectionType": "ALL"}} for i in table.indexes
        ]
    return request


def _key_schema(partition: Key, sort: Key | None) -> list[dict[str, str]]:
    schema = [{"AttributeName": partition.name, "KeyType": "HASH"}]
    if sort is not None:
        schema.append({"AttributeName": sort.name, "KeyType": "RANGE"})
    return schema


def iso(value: datetime) -> str:
    return as_utc(value).isoformat(timespec="microseconds")


def number(value: float) -> Decimal:
    """DynamoDB numbers travel as Decimal; through str, so 0.1 stays 0.1."""
    return Decimal(str(value))


def ticket_item(ticket: Ticket) -> dict[str, Any]:
    item = ticket.model_dump(include={"ticket_id", "customer_id", "subject", "description", "channel"},
                             exclude_none=True)
    return item | {"created_at": iso(ticket.created_at)}


def latest_fields(decision: Decision) -> dict[str, Any]:
    """What a ticket item keeps of its latest decision (the history tool reads these)."""
    return {"latest_decision_id": decision.decision_id, "latest_decided_at": iso(decision.decided_at),
            "latest_team": decision.team.value, "latest_category": decision.category.value,
            "latest_priority": decision.priority.value}


def decision_item(decision: Decision) -> dict[str, Any]:
    decided = iso(decision.decided_at)
    item = {
        "decision_id": decision.decision_id, "ticket_id": decision.ticket_id, "decided_at": decided,
        "decided_day": decided[:10], "team": decision.team.value, "category": decision.category.value,
        "priority": decision.priority.value, "confidence": number(decision.confidence),
        "needs_review": decision.needs_review, "engine": decision.engine, "model_name": decision.model.name,
        "model_version": decision.model.version, "processing_ms": number(decision.processing_ms),
        "payload": decision.model_dump_json(),
    }
    return item | ({"customer_id": decision.customer_id} if decision.customer_id else {})
