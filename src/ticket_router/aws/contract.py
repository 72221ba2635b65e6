"""What the Lambda handlers and the CDK app (`infrastructure/`) agree on, as plain data: the event bus's source and
detail types, the DynamoDB tables and their keys, the queues' retry limits, the environment each function reads and
the handler paths. No boto3 here: the CDK app imports this module to build the stack.

A published name never changes meaning; add new names rather than renaming.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ticket_router.store.dynamodb_tables import (  # noqa: F401 - re-exported for the CDK app
    API_KEYS,
    CUSTOMERS,
    DEAD_LETTERS,
    DECISIONS,
    FEEDBACK,
    OUTAGES,
    OUTBOX,
    TICKETS,
    Index,
    Key,
    Table,
)
from ticket_router.store.dynamodb_tables import STORE_TABLES as _STORE_TABLES

# The custom EventBridge bus ---------------------------------------------------------------------------------------
EVENT_SOURCE = "ticket-router"
TICKET_RECEIVED = "TicketReceived"  # detail: {"ticket_id": str, "engine": str | None}
TICKET_ROUTED = "TicketRouted"  # detail: {"ticket_id": str, "decision_id": str, "message": {…the delivery body…}}
# TicketReceived only names the stored ticket (no customer text on the bus). TicketRouted carries the body the
# ticketing system gets (outbox/message.py: team, priority, reasoning…), so the update function needs no table.

# The store's tables (defined beside the store, which reads them): names, keys, attribute types and indexes.
STORE_TABLES: tuple[Table, ...] = _STORE_TABLES

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
# Secrets Manager id or ARN of the ticketing token (the secret string is the token)
TICKETING_TOKEN_SECRET = "TICKET_ROUTER_TICKETING_TOKEN_SECRET"
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
