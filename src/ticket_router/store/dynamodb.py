"""The DynamoDB store: the `Store` interface (and `ServiceStore`, with `store/dynamodb_outbox.py`) over boto3.

Chosen by URL like the SQL backends: `dynamodb://<table prefix>`, with optional `?region=…&endpoint=…` (DynamoDB
Local, moto) and `&create=true` (make missing tables; a deployed stage has its tables from the CDK app and its
functions have no right to create any).

Writes that must happen once are conditional: a ticket is put only if its `ticket_id` is new, and a decision only if
its `decision_id` is; a new ticket, its decision and its outbox message go in one transaction.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ticket_router.domain import Customer, Decision, Feedback, Outage, Ticket, as_utc, utcnow
from ticket_router.store.base import DecisionRow, PastTicket
from ticket_router.store.dynamodb_service import DynamoService, Tables
from ticket_router.store.dynamodb_tables import STORE_TABLES, create_table_request, iso, latest_fields

SCHEME = "dynamodb://"
_BATCH_GET = 100  # BatchGetItem's limit
_HISTORY_SUBJECT = 120
# Day-by-day index reads cover at most this many days; a longer range is read with one scan instead.
_MAX_DAYS = 400


def _row(item: dict[str, Any]) -> DecisionRow:
    return DecisionRow.model_validate({name: item.get(name) for name in DecisionRow.model_fields}
                                      | {"confidence": float(item["confidence"]),
                                         "processing_ms": float(item["processing_ms"])})


def _decision(item: dict[str, Any]) -> Decision:
    return Decision.model_validate_json(item["payload"])


def _customer(item: dict[str, Any]) -> Customer:
    return Customer.model_validate(item)


def _outage(item: dict[str, Any]) -> Outage:
    return Outage.model_validate({k: v for k, v in item.items() if k != "region_key"})


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class DynamoStore(DynamoService):
    """Implements `Store` and `ServiceStore` on DynamoDB tables named `<prefix>-<suffix>` (dynamodb_tables.py)."""

    def __init__(self, resource: Any, prefix: str) -> None:
        self.resource = resource
        self.client = resource.meta.client
        self.prefix = prefix
        self.tables = Tables(resource, prefix)
        self._sequence = itertools.count()
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str) -> DynamoStore:
        import boto3

        parts = urlsplit(url)
        options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        prefix = (parts.netloc + parts.path).strip("/")
        if not prefix:
            raise ValueError("a DynamoDB URL names the tables' prefix: dynamodb://ticket-router-dev")
        resource = boto3.resource("dynamodb", region_name=options.get("region"),
                                  endpoint_url=options.get("endpoint"))
        store = cls(resource, prefix)
        if options.get("create", "").lower() in ("1", "true", "yes"):
            store.create_tables()
        return store

    def create_tables(self) -> list[str]:
        """Create the tables that do not exist yet (local use and tests); returns the names created."""
        existing = set(self.client.list_tables().get("TableNames", []))
        created = []
        for table in STORE_TABLES:
            if table.name(self.prefix) not in existing:
                self.client.create_table(**create_table_request(table, self.prefix))
                created.append(table.name(self.prefix))
        for name in created:
            self.client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
        return created

    # reading helpers ---------------------------------------------------------------------------------------
    @staticmethod
    def _pages(read: Callable[..., dict[str, Any]], **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Every item of a scan or query, page after page."""
        while True:
            page = read(**kwargs)
            yield from page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _scan(self, table: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
        return self._pages(table.scan, **kwargs)

    def _query(self, table: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
        return self._pages(table.query, **kwargs)

    def _get_many(self, table: Any, key: str, values: Iterable[str]) -> list[dict[str, Any]]:
        """BatchGetItem in chunks of 100, unprocessed keys asked again; strongly consistent."""
        found: list[dict[str, Any]] = []
        for chunk in _chunks(sorted(set(values)), _BATCH_GET):
            request = {table.name: {"Keys": [{key: v} for v in chunk], "ConsistentRead": True}}
            while request:
                answer = self.resource.batch_get_item(RequestItems=request)
                found += answer.get("Responses", {}).get(table.name, [])
                request = answer.get("UnprocessedKeys") or {}
                if request:
                    time.sleep(0.05)
        return found

    def _put_many(self, table: Any, items: list[dict[str, Any]], key: str) -> int:
        with table.batch_writer(overwrite_by_pkeys=[key]) as batch:
            for item in items:
                batch.put_item(Item=item)
        return len(items)

    # customers -------------------------------------------------------------------------------------------
    def get_customer(self, customer_id: str) -> Customer | None:
        item = self.tables.customers.get_item(Key={"customer_id": customer_id}).get("Item")
        return _customer(item) if item else None

    def get_customers(self, customer_ids: list[str]) -> dict[str, Customer]:
        items = self._get_many(self.tables.customers, "customer_id", customer_ids)
        return {item["customer_id"]: _customer(item) for item in items}

    def upsert_customers(self, customers: list[Customer]) -> int:
        return self._put_many(self.tables.customers, [c.model_dump(mode="json") for c in customers], "customer_id")

    def list_customers(self, search: str = "", limit: int = 1000) -> list[Customer]:
        # A scan: the customer table is read whole for a search (an operator's look-up, not the routing path).
        wanted = search.lower()
        found = [_customer(item) for item in self._scan(self.tables.customers)
                 if not wanted or wanted in item["customer_id"].lower() or wanted in item.get("name", "").lower()]
        return sorted(found, key=lambda c: c.customer_id)[:limit]

    # outages ---------------------------------------------------------------------------------------------
    def upsert_outages(self, outages: list[Outage]) -> int:
        items = [o.model_dump(mode="json", exclude_none=True) | {"started_at": iso(o.started_at),
                                                                 "region_key": o.region.casefold()}
                 | ({"ended_at": iso(o.ended_at)} if o.ended_at else {}) for o in outages]
        return self._put_many(self.tables.outages, items, "outage_id")

    def list_outages(self, active_at: datetime | None = None) -> list[Outage]:
        found = [_outage(item) for item in self._scan(self.tables.outages)]
        if active_at is not None:
            found = [o for o in found if o.is_active(active_at)]
        return sorted(found, key=lambda o: o.started_at, reverse=True)

    def outages_in(self, region: str, service: str | None = None, active_at: datetime | None = None) -> list[Outage]:
        """Outages of one region (and service), through the region+service index."""
        from boto3.dynamodb.conditions import Key

        condition = Key("region_key").eq(region.casefold())
        if service is not None:
            condition &= Key("service").eq(service)
        found = [_outage(item) for item in self._query(self.tables.outages, IndexName="by_region_service",
                                                        KeyConditionExpression=condition)]
        return [o for o in found if active_at is None or o.is_active(active_at)]

    def resolve_outage(self, outage_id: str, ended_at: datetime) -> bool:
        try:
            self.tables.outages.update_item(Key={"outage_id": outage_id}, UpdateExpression="SET ended_at = :e",
                                            ConditionExpression="attribute_exists(outage_id)",
                                            ExpressionAttributeValues={":e": iso(ended_at)})
        except self.client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def known_regions(self) -> list[str]:
        found = set()
        for table in (self.tables.customers, self.tables.outages):
            found |= {item.get("region", "") for item in self._scan(table, ProjectionExpression="#r",
                                                                   ExpressionAttributeNames={"#r": "region"})}
        return sorted(region for region in found if region)

    # tickets and decisions -------------------------------------------------------------------------------
    def customer_history(self, customer_id: str, since: datetime, limit: int = 20) -> list[PastTicket]:
        return self.customer_histories([customer_id], since, limit).get(customer_id, [])

    def customer_histories(self, customer_ids: list[str], since: datetime,
                           limit: int = 20) -> dict[str, list[PastTicket]]:
        from boto3.dynamodb.conditions import Key

        found: dict[str, list[PastTicket]] = {}
        for customer_id in sorted(set(customer_ids)):
            items = [item for item in self._query(
                self.tables.tickets, IndexName="by_customer", ScanIndexForward=False,
                KeyConditionExpression=Key("customer_id").eq(customer_id) & Key("created_at").gte(iso(since)))
                if "latest_decision_id" in item]  # a ticket not decided yet is no history
            items.sort(key=lambda item: item["ticket_id"])
            items.sort(key=lambda item: item["created_at"], reverse=True)
            if items:
                found[customer_id] = [PastTicket(
                    ticket_id=item["ticket_id"], created_at=datetime.fromisoformat(item["created_at"]),
                    subject=item.get("subject", "")[:_HISTORY_SUBJECT], team=item["latest_team"],
                    category=item["latest_category"], priority=item["latest_priority"]) for item in items[:limit]]
        return found

    def save_decisions(self, items: list[tuple[Ticket, Decision]]) -> None:
        self.save_decisions_with_outbox(items, [])

    def _set_latest(self, decision: Decision) -> None:
        """Point the ticket at `decision` unless it already points at a later one."""
        try:
            self.tables.tickets.update_item(
                Key={"ticket_id": decision.ticket_id},
                UpdateExpression="SET " + ", ".join(f"{k} = :{k}" for k in latest_fields(decision)),
                ConditionExpression="attribute_not_exists(latest_decided_at) "
                                    "OR latest_decided_at <= :latest_decided_at",
                ExpressionAttributeValues={f":{k}": v for k, v in latest_fields(decision).items()})
        except self.client.exceptions.ConditionalCheckFailedException:
            pass

    def get_decision(self, ticket_id: str) -> Decision | None:
        return self.get_decisions([ticket_id]).get(ticket_id)

    def get_decisions(self, ticket_ids: list[str]) -> dict[str, Decision]:
        tickets = self._get_many(self.tables.tickets, "ticket_id", ticket_ids)
        latest = [t["latest_decision_id"] for t in tickets if "latest_decision_id" in t]
        decisions = [_decision(item) for item in self._get_many(self.tables.decisions, "decision_id", latest)]
        return {d.ticket_id: d for d in decisions}

    def get_ticket(self, ticket_id: str) -> Ticket | None:
        item = self.tables.tickets.get_item(Key={"ticket_id": ticket_id}, ConsistentRead=True).get("Item")
        return Ticket.model_validate(item) if item else None

    def get_tickets(self, ticket_ids: list[str]) -> dict[str, Ticket]:
        """Many tickets in one request (unknown ids are absent)."""
        items = self._get_many(self.tables.tickets, "ticket_id", ticket_ids)
        return {item["ticket_id"]: Ticket.model_validate(item) for item in items}

    def list_ticket_decisions(self, ticket_id: str) -> list[Decision]:
        from boto3.dynamodb.conditions import Key

        items = self._query(self.tables.decisions, IndexName="by_ticket", ScanIndexForward=False,
                            KeyConditionExpression=Key("ticket_id").eq(ticket_id))
        return [_decision(item) for item in items]

    def _decided_between(self, since: datetime | None, until: datetime | None, limit: int) -> list[dict[str, Any]]:
        """Decision items from `since` up to `until`, newest first: day by day through the index when the range
        is bounded and short, else one scan."""
        from boto3.dynamodb.conditions import Key

        since, until = (as_utc(since) if since else None), (as_utc(until) if until else None)
        low, high = iso(since) if since else None, iso(until) if until else None
        last_day = (until or utcnow()) + timedelta(days=1)  # a day ahead: clocks of other writers may run early
        if since is None or (last_day - since).days > _MAX_DAYS:
            items = [i for i in self._scan(self.tables.decisions)
                     if (low is None or i["decided_at"] >= low) and (high is None or i["decided_at"] < high)]
            items.sort(key=lambda i: i["decided_at"], reverse=True)
            return items[:limit]
        found: list[dict[str, Any]] = []
        day = last_day
        while len(found) < limit and day.date() >= since.date():
            condition = Key("decided_day").eq(day.date().isoformat()) & Key("decided_at").gte(low)
            page = [i for i in self._query(self.tables.decisions, IndexName="by_day", ScanIndexForward=False,
                                           KeyConditionExpression=condition) if high is None or i["decided_at"] < high]
            found += page
            day -= timedelta(days=1)
        return found[:limit]

    def list_decisions(self, since: datetime | None = None, limit: int = 10000,
                       until: datetime | None = None) -> list[Decision]:
        return [_decision(item) for item in self._decided_between(since, until, limit)]

    def list_decision_rows(self, since: datetime | None = None, limit: int = 10000,
                           until: datetime | None = None) -> list[DecisionRow]:
        return [_row(item) for item in self._decided_between(since, until, limit)]

    # feedback --------------------------------------------------------------------------------------------
    def save_feedback(self, feedback: Feedback) -> None:
        created = iso(feedback.created_at)
        with self._lock:  # the sequence orders feedback given in the same microsecond, as the SQL id does
            sequence = f"{time.time_ns():020d}{next(self._sequence):06d}"
        self.tables.feedback.put_item(Item=feedback.model_dump(mode="json", exclude_none=True)
                                      | {"created_at": created, "feedback_key": f"{created}#{sequence}"})

    def list_feedback(self, since: datetime | None = None) -> list[Feedback]:
        items = [i for i in self._scan(self.tables.feedback) if since is None or i["created_at"] >= iso(since)]
        items.sort(key=lambda i: i["feedback_key"])
        return [Feedback.model_validate({k: v for k, v in i.items() if k != "feedback_key"}) for i in items]

    def is_empty(self) -> bool:
        return not self.tables.customers.scan(Limit=1, ProjectionExpression="customer_id").get("Items")

    def ping(self) -> bool:
        self.tables.tickets.get_item(Key={"ticket_id": "-"}, ProjectionExpression="ticket_id")
        return True

    def close(self) -> None:
        """boto3 keeps no connection that needs closing."""
