"""What `ServiceStore` adds on DynamoDB: first-time writes in one transaction, the outbox, API keys; and the two
conditional writes of the Lambda chain (a ticket accepted first, its first decision written later).

A mixin of `DynamoStore` (store/dynamodb.py), which holds the tables.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ticket_router.domain import Decision, Ticket
from ticket_router.store.dynamodb_tables import (
    API_KEYS,
    CUSTOMERS,
    DEAD_LETTERS,
    DECISIONS,
    FEEDBACK,
    OUTAGES,
    OUTBOX,
    TICKETS,
    decision_item,
    iso,
    latest_fields,
    ticket_item,
)
from ticket_router.store.service import ApiKeyRecord, DeadLetter, NewItem, OutboundMessage, OutboxCounts, PendingMessage

_ERROR_LIMIT = 500
_COUNTER = {"id": 0}  # the outbox item holding the last id given out
_CONFLICT_RETRIES = 20


class DuplicateDecision(ValueError):
    """A decision id that is already stored: nothing of the write that carried it was kept."""


class Tables:
    def __init__(self, resource: Any, prefix: str) -> None:
        self.tickets = resource.Table(TICKETS.name(prefix))
        self.decisions = resource.Table(DECISIONS.name(prefix))
        self.customers = resource.Table(CUSTOMERS.name(prefix))
        self.outages = resource.Table(OUTAGES.name(prefix))
        self.feedback = resource.Table(FEEDBACK.name(prefix))
        self.api_keys = resource.Table(API_KEYS.name(prefix))
        self.outbox = resource.Table(OUTBOX.name(prefix))
        self.dead_letters = resource.Table(DEAD_LETTERS.name(prefix))


def _put(table: Any, item: dict[str, Any], unless_exists: str | None = None,
         condition: str | None = None) -> dict[str, Any]:
    put: dict[str, Any] = {"TableName": table.name, "Item": item}
    if unless_exists or condition:
        put["ConditionExpression"] = condition or f"attribute_not_exists({unless_exists})"
    return {"Put": put}


def _message_item(message_id: int, message: OutboundMessage) -> dict[str, Any]:
    return {"id": message_id, "decision_id": message.decision_id, "ticket_id": message.ticket_id,
            "payload": message.payload, "created_at": iso(message.created_at), "attempts": 0,
            "next_attempt_at": iso(message.created_at)}


def _pending(item: dict[str, Any]) -> PendingMessage:
    return PendingMessage.model_validate({k: v for k, v in item.items() if k != "claimed_until"}
                                         | {"id": int(item["id"]), "attempts": int(item["attempts"])})


class DynamoService:
    resource: Any
    client: Any
    tables: Tables
    _scan: Callable[..., Any]
    _set_latest: Callable[[Decision], None]

    def _transact(self, actions: list[dict[str, Any]]) -> list[str] | None:
        """Run one transaction; None when it committed, else each action's cancellation code. A transaction that
        met another one on the same item is tried again."""
        for attempt in range(_CONFLICT_RETRIES):
            try:
                self.client.transact_write_items(TransactItems=actions)
                return None
            except self.client.exceptions.TransactionCanceledException as error:
                codes = [r.get("Code", "None") for r in error.response.get("CancellationReasons", [])]
                if "TransactionConflict" not in codes:
                    return codes
                time.sleep(0.01 * (attempt + 1))
        raise RuntimeError("DynamoDB transaction kept conflicting")

    def _next_ids(self, count: int) -> list[int]:
        answer = self.tables.outbox.update_item(Key=_COUNTER, UpdateExpression="ADD last_id :n",
                                                ExpressionAttributeValues={":n": count}, ReturnValues="UPDATED_NEW")
        last = int(answer["Attributes"]["last_id"])
        return list(range(last - count + 1, last + 1))

    # tickets and decisions ---------------------------------------------------------------------------------
    def save_new_decisions(self, items: list[NewItem]) -> list[bool]:
        """Each new ticket with its decision (and message) in one transaction of its own; the ticket's
        conditional put decides, so of two concurrent writes of one id exactly one wins."""
        first: dict[str, int] = {}
        for index, (ticket, _, _) in enumerate(items):
            first.setdefault(ticket.ticket_id, index)
        written: set[int] = set()
        for index in sorted(first.values()):
            ticket, decision, message = items[index]
            actions = [_put(self.tables.tickets, ticket_item(ticket) | latest_fields(decision), "ticket_id"),
                       _put(self.tables.decisions, decision_item(decision), "decision_id")]
            if message is not None:
                actions.append(_put(self.tables.outbox, _message_item(self._next_ids(1)[0], message)))
            codes = self._transact(actions)
            if codes is None:
                written.add(index)
            elif codes[0] != "ConditionalCheckFailed":
                if codes[1] == "ConditionalCheckFailed":
                    raise DuplicateDecision(f"decision {decision.decision_id} is already stored")
                raise RuntimeError(f"DynamoDB transaction cancelled: {codes}")
        return [index in written for index in range(len(items))]

    def save_decisions_with_outbox(self, items: list[tuple[Ticket, Decision]],
                                   messages: list[OutboundMessage]) -> None:
        """The decisions (an existing ticket's item takes the text the decision was made from), then their messages. Not one transaction: the order
        keeps a crash harmless (a decision without its message is found by `outbox` and `reroute`)."""
        for ticket, decision in items:
            try:
                self.tables.decisions.put_item(Item=decision_item(decision),
                                               ConditionExpression="attribute_not_exists(decision_id)")
            except self.client.exceptions.ConditionalCheckFailedException:
                raise DuplicateDecision(f"decision {decision.decision_id} is already stored") from None
            if not self._put_if_new(ticket):
                self._take_text(ticket)
            self._set_latest(decision)
        if messages:
            with self.tables.outbox.batch_writer() as batch:
                for message_id, message in zip(self._next_ids(len(messages)), messages):
                    batch.put_item(Item=_message_item(message_id, message))

    def _take_text(self, ticket: Ticket) -> None:
        """A stored ticket takes `ticket`'s fields (its latest-decision fields stay): no decision attaches to text
        it was not made from (the CLI's --reroute)."""
        fields = {k: v for k, v in ticket_item(ticket).items() if k != "ticket_id"}
        gone = [k for k in ("customer_id", "channel") if k not in fields]
        expression = "SET " + ", ".join(f"#{k} = :{k}" for k in fields)
        if gone:
            expression += " REMOVE " + ", ".join(f"#{k}" for k in gone)
        self.tables.tickets.update_item(
            Key={"ticket_id": ticket.ticket_id}, UpdateExpression=expression,
            ExpressionAttributeNames={f"#{k}": k for k in [*fields, *gone]},
            ExpressionAttributeValues={f":{k}": v for k, v in fields.items()})

    def ping(self) -> bool:
        """A write (the outbox counter item, unchanged): readiness means decisions can be stored, not only read."""
        self.tables.outbox.update_item(Key=_COUNTER, UpdateExpression="ADD last_id :zero",
                                       ExpressionAttributeValues={":zero": 0})
        return True

    def accept_tickets(self, tickets: list[Ticket]) -> list[bool]:
        """Store each ticket whose id is new (a conditional put); True where it was new. The serverless chain's
        first step: the decision comes later, from `save_first_decisions`."""
        accepted: set[str] = set()
        result = []
        for ticket in tickets:
            if ticket.ticket_id in accepted:
                result.append(False)
                continue
            new = self._put_if_new(ticket)
            if new:
                accepted.add(ticket.ticket_id)
            result.append(new)
        return result

    def _put_if_new(self, ticket: Ticket) -> bool:
        """Put the ticket unless its id is stored (the conditional put that makes ticket writes idempotent)."""
        try:
            self.tables.tickets.put_item(Item=ticket_item(ticket),
                                         ConditionExpression="attribute_not_exists(ticket_id)")
        except self.client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def save_first_decisions(self, items: list[tuple[Ticket, Decision]]) -> list[bool]:
        """Each ticket's first decision, only if it has none yet; True where this call's decision is the one kept.
        A message SQS delivers twice therefore never gives a ticket a second decision.

        The caller gives a first decision an id derived from the ticket id (aws/chain.py), which makes the two
        writes safe to repeat without a transaction: the decision is put unless its id exists (a concurrent or
        crashed attempt wrote it first: that one is kept), then the ticket is pointed at it unless it already
        points elsewhere (then the decision is removed again)."""
        result = []
        for ticket, decision in items:
            try:
                self.tables.decisions.put_item(Item=decision_item(decision),
                                               ConditionExpression="attribute_not_exists(decision_id)")
                written = True
            except self.client.exceptions.ConditionalCheckFailedException:
                written = False
            stored = decision if written else self._decision_by_id(decision.decision_id)
            if stored.ticket_id != ticket.ticket_id:
                raise DuplicateDecision(f"decision {decision.decision_id} belongs to another ticket")
            try:
                self.tables.tickets.put_item(
                    Item=ticket_item(ticket) | latest_fields(stored),
                    ConditionExpression="attribute_not_exists(latest_decision_id) OR latest_decision_id = :d",
                    ExpressionAttributeValues={":d": stored.decision_id})
            except self.client.exceptions.ConditionalCheckFailedException:
                if written:  # the ticket was decided another way meanwhile: ours is not kept
                    self.tables.decisions.delete_item(Key={"decision_id": decision.decision_id})
                written = False
            result.append(written)
        return result

    def _decision_by_id(self, decision_id: str) -> Decision:
        item = self.tables.decisions.get_item(Key={"decision_id": decision_id}, ConsistentRead=True)["Item"]
        return Decision.model_validate_json(item["payload"])

    # the outbox --------------------------------------------------------------------------------------------
    def _messages(self) -> list[dict[str, Any]]:
        return sorted((i for i in self._scan(self.tables.outbox) if int(i["id"]) != 0), key=lambda i: int(i["id"]))

    def claim_due_messages(self, now: datetime, limit: int, lease_seconds: float) -> list[PendingMessage]:
        """Lease up to `limit` due messages; each lease is a conditional update, so a message another worker
        holds is skipped."""
        at = iso(now)
        due = [i for i in self._messages()
               if "delivered_at" not in i and i["next_attempt_at"] <= at and i.get("claimed_until", "") < at]
        due.sort(key=lambda i: (i["next_attempt_at"], int(i["id"])))
        claimed = []
        lease = iso(datetime.fromtimestamp(now.timestamp() + lease_seconds, now.tzinfo))
        for item in due:
            if len(claimed) == limit:
                break
            try:
                self.tables.outbox.update_item(
                    Key={"id": item["id"]}, UpdateExpression="SET claimed_until = :lease",
                    ConditionExpression="attribute_not_exists(delivered_at) AND next_attempt_at <= :now AND "
                                        "(attribute_not_exists(claimed_until) OR claimed_until < :now)",
                    ExpressionAttributeValues={":lease": lease, ":now": at})
            except self.client.exceptions.ConditionalCheckFailedException:
                continue
            claimed.append(_pending(item))
        return claimed

    def _update_message(self, message_id: int, expression: str, values: dict[str, Any]) -> None:
        try:
            self.tables.outbox.update_item(Key={"id": message_id}, UpdateExpression=expression,
                                           ConditionExpression="attribute_exists(id)", ExpressionAttributeValues=values)
        except self.client.exceptions.ConditionalCheckFailedException:
            pass

    def mark_delivered(self, message_ids: list[int], now: datetime) -> None:
        for message_id in message_ids:
            self._update_message(message_id, "SET delivered_at = :now ADD attempts :one REMOVE claimed_until",
                                 {":now": iso(now), ":one": 1})

    def mark_failed(self, message_id: int, error: str, next_attempt_at: datetime) -> None:
        self._update_message(message_id, "SET last_error = :e, next_attempt_at = :n ADD attempts :one "
                                         "REMOVE claimed_until",
                             {":e": error[:_ERROR_LIMIT], ":n": iso(next_attempt_at), ":one": 1})

    def dead_letter(self, message_id: int, error: str, now: datetime) -> None:
        item = self.tables.outbox.get_item(Key={"id": message_id}, ConsistentRead=True).get("Item")
        if item is None or "delivered_at" in item:
            return
        dead = {k: item[k] for k in ("decision_id", "ticket_id", "payload", "created_at")} | {
            "id": message_id, "attempts": int(item["attempts"]) + 1, "last_error": error[:_ERROR_LIMIT],
            "dead_at": iso(now)}
        self._transact([_put(self.tables.dead_letters, dead),
                        {"Delete": {"TableName": self.tables.outbox.name, "Key": {"id": message_id},
                                    "ConditionExpression": "attribute_not_exists(delivered_at)"}}])

    def list_outbox(self, include_delivered: bool = False, limit: int = 100) -> list[PendingMessage]:
        return [_pending(i) for i in self._messages() if include_delivered or "delivered_at" not in i][:limit]

    def list_dead_letters(self, limit: int = 100) -> list[DeadLetter]:
        items = sorted(self._scan(self.tables.dead_letters), key=lambda i: int(i["id"]))
        numbers = [i | {"id": int(i["id"]), "attempts": int(i["attempts"])} for i in items[:limit]]
        return [DeadLetter.model_validate(i) for i in numbers]

    def retry_dead_letters(self, decision_ids: list[str] | None, now: datetime) -> int:
        wanted = None if decision_ids is None else set(decision_ids)
        items = [i for i in self._scan(self.tables.dead_letters) if wanted is None or i["decision_id"] in wanted]
        for item in items:
            message = OutboundMessage(decision_id=item["decision_id"], ticket_id=item["ticket_id"],
                                      payload=item["payload"], created_at=datetime.fromisoformat(item["created_at"]))
            back = _message_item(self._next_ids(1)[0], message) | {"next_attempt_at": iso(now)}
            if item.get("last_error"):
                back["last_error"] = item["last_error"]
            self._transact([_put(self.tables.outbox, back),
                            {"Delete": {"TableName": self.tables.dead_letters.name,
                                        "Key": {"decision_id": item["decision_id"]}}}])
        return len(items)

    def outbox_counts(self) -> OutboxCounts:
        messages = self._messages()
        delivered = sum("delivered_at" in i for i in messages)
        dead = self.tables.dead_letters.scan(Select="COUNT")["Count"]
        return OutboxCounts(pending=len(messages) - delivered, delivered=delivered, dead=dead)

    def next_due_at(self) -> datetime | None:
        due = [i["next_attempt_at"] for i in self._messages() if "delivered_at" not in i]
        return datetime.fromisoformat(min(due)) if due else None

    # API keys ----------------------------------------------------------------------------------------------
    def add_api_key(self, record: ApiKeyRecord) -> None:
        self.tables.api_keys.put_item(Item=_key_item(record), ConditionExpression="attribute_not_exists(key_id)")

    def find_api_key(self, key_hash: str) -> ApiKeyRecord | None:
        from boto3.dynamodb.conditions import Key

        items = self.tables.api_keys.query(IndexName="by_hash", KeyConditionExpression=Key("key_hash").eq(key_hash))
        return next((ApiKeyRecord.model_validate(i) for i in items.get("Items", [])), None)

    def list_api_keys(self) -> list[ApiKeyRecord]:
        records = [ApiKeyRecord.model_validate(i) for i in self._scan(self.tables.api_keys)]
        return sorted(records, key=lambda r: (r.created_at, r.key_id))

    def revoke_api_key(self, key_id: str, now: datetime) -> bool:
        try:
            self.tables.api_keys.update_item(
                Key={"key_id": key_id}, UpdateExpression="SET revoked_at = :now",
                ConditionExpression="attribute_exists(key_id) AND attribute_not_exists(revoked_at)",
                ExpressionAttributeValues={":now": iso(now)})
        except self.client.exceptions.ConditionalCheckFailedException:
            return False
        return True


def _key_item(record: ApiKeyRecord) -> dict[str, Any]:
    # `admin` is stored as a BOOL; an item written before the flag existed has none and reads as False.
    return record.model_dump(mode="json", exclude_none=True) | {"created_at": iso(record.created_at)} | (
        {"revoked_at": iso(record.revoked_at)} if record.revoked_at else {})
