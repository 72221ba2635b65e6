"""What the Lambda handlers and the CDK app (`infrastructure/`) agree on, as plain data: the event bus's source and
detail types, the DynamoDB tables and their keys, the queues' retry limits, the environment each function reads and
the handler paths. No boto3 here: the CDK app imports this module to build the stack.

A published name never changes meaning; add new names rather than renaming.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# The custom EventBridge bus ---------------------------------------------------------------------------------------
EVENT_SOURCE = "ticket-router"
TICKET_RECEIVED = "TicketReceived"  # detail: {"ticket_id": str, "engine": str | None}
TICKET_ROUTED = "TicketRouted"  # detail: {"ticket_id": str, "decision_id": str, "message": {…the delivery body…}}
# No customer text travels on the bus: TicketReceived names the stored ticket; TicketRouted carries the ticketing
# system's message body (outbox/message.py), so the update function needs no table access.

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


# Times are stored as ISO 8601 strings in UTC with microseconds (`2026-11-25T12:00:00.000000+00:00`): fixed width,
# so string order is time order in sort keys.
TICKETS = Table(
    "tickets", Key("ticket_id"),
    # a customer's newest tickets (the history tool); tickets without a customer are not in the index
    indexes=(Index("by_customer", Key("customer_id"), Key("created_at")),),
)
DECISIONS = Table(
    "decisions", Key("decision_id"),
    indexes=(
        Index("by_ticket", Key("ticket_id"), Key("decided_at")),  # a ticket's decisions, newest first
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

STORE_TABLES: tuple[Table, ...] = (TICKETS, DECISIONS, CUSTOMERS, OUTAGES, FEEDBACK, API_KEYS)

# Powertools' idempotency records (its DynamoDBPersistenceLayer defaults): the update function delivers a decision
# once even when SQS hands its message over twice. Items expire through the TTL attribute.
IDEMPOTENCY = Table("idempotency", Key("id"), ttl_attribute="expiration")

# Queues -------------------------------------------------------------------------------------------------------------
# Receives before SQS moves a message to the queue's dead-letter queue.
ROUTE_MAX_RECEIVES = 5
# The update function waits 1, 2, 4, 8 and 16 s between sends (outbox.worker.RetryPolicy) by setting the failed
# message's visibility timeout: the first send and five retries, then the DLQ.
UPDATE_MAX_RECEIVES = 6
# Each queue's visibility timeout must be at least its function's timeout (AWS's rule); these are the defaults.
ROUTE_TIMEOUT_S = 60
UPDATE_TIMEOUT_S = 30
BATCH_SIZE = 10

# Environment ------------------------------------------------------------------------------------------------------
# Every TICKET_ROUTER_* name is a field of ticket_router.settings.Settings (which rejects unknown ones).
DATABASE_URL = "TICKET_ROUTER_DATABASE_URL"  # dynamodb://<table prefix>
EVENT_BUS = "TICKET_ROUTER_EVENT_BUS"  # the custom bus's name
IDEMPOTENCY_TABLE = "TICKET_ROUTER_IDEMPOTENCY_TABLE"  # the full table name
TICKETING_URL = "TICKET_ROUTER_TICKETING_URL"
TICKETING_TOKEN_SECRET = "TICKET_ROUTER_TICKETING_TOKEN_SECRET"  # Secrets Manager id or ARN; the secret string is the token
TICKETING_TIMEOUT = "TICKET_ROUTER_TICKETING_TIMEOUT_S"
ENGINE = "TICKET_ROUTER_ENGINE"  # local | cascade | agent
LLM_MODEL = "TICKET_ROUTER_LLM_MODEL"  # the Bedrock model id the cascade and agent use
LOG_LEVEL = "TICKET_ROUTER_LOG_LEVEL"
POWERTOOLS = ("POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE", "POWERTOOLS_LOG_LEVEL")
METRICS_NAMESPACE = "TicketRouter"
SERVICE_NAME = "ticket-router"


@dataclass(frozen=True)
class Function:
    name: str
    handler: str
    environment: tuple[str, ...]
    # What the function does with AWS, for its least-privilege role: (service, what) pairs, read by the CDK app.
    needs: tuple[str, ...] = field(default=())


INGEST = Function(
    "ingest", "ticket_router.aws.ingest.handler",
    (DATABASE_URL, EVENT_BUS, LOG_LEVEL, *POWERTOOLS),
    ("tickets:read-write", "decisions:read", "events:put"),
)
ROUTE = Function(
    "route", "ticket_router.aws.route.handler",
    (DATABASE_URL, EVENT_BUS, ENGINE, LLM_MODEL, LOG_LEVEL, *POWERTOOLS),
    ("tickets:read-write", "decisions:read-write", "customers:read", "outages:read", "events:put",
     "bedrock:invoke (cascade, agent)"),
)
UPDATE = Function(
    "update", "ticket_router.aws.update.handler",
    (TICKETING_URL, TICKETING_TOKEN_SECRET, TICKETING_TIMEOUT, IDEMPOTENCY_TABLE, LOG_LEVEL, *POWERTOOLS),
    ("secretsmanager:get (the token secret)", "idempotency:read-write", "sqs:change-visibility (its queue)"),
)
API = Function(
    "api", "ticket_router.aws.api.handler",  # GET /tickets/{ticket_id}, POST /tickets/{ticket_id}/feedback
    (DATABASE_URL, LOG_LEVEL, *POWERTOOLS),
    ("tickets:read", "decisions:read", "feedback:write"),
)
FUNCTIONS: tuple[Function, ...] = (INGEST, ROUTE, UPDATE, API)

# API Gateway (REST) routes → functions
ROUTES: tuple[tuple[str, str, Function], ...] = (
    ("POST", "/tickets", INGEST),
    ("GET", "/tickets/{ticket_id}", API),
    ("POST", "/tickets/{ticket_id}/feedback", API),
)
