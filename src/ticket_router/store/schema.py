"""Tables and versioned migrations, shared by every SQL backend (SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Dialect,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    false,
    inspect,
    select,
)
from sqlalchemy.schema import CreateColumn

from ticket_router.domain import as_utc


class UtcDateTime(TypeDecorator[datetime]):
    """Always UTC: aware in PostgreSQL, naive-UTC in SQLite, aware UTC when read back from either."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = as_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return as_utc(value) if value is not None else None


metadata = MetaData()

schema_version = Table("schema_version", metadata, Column("version", Integer, primary_key=True))

customers = Table(
    "customers",
    metadata,
    Column("customer_id", String(100), primary_key=True),
    Column("name", String(200), nullable=False, default=""),
    Column("vip", Boolean, nullable=False, default=False),
    Column("account_type", String(20), nullable=False),
    Column("plan", String(100), nullable=False, default=""),
    Column("region", String(100), nullable=False, default=""),
)

outages = Table(
    "outages",
    metadata,
    Column("outage_id", String(100), primary_key=True),
    Column("service", String(20), nullable=False),
    Column("region", String(100), nullable=False),
    Column("severity", String(20), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime, nullable=True),
    Column("description", Text, nullable=False, default=""),
)

tickets = Table(
    "tickets",
    metadata,
    Column("ticket_id", String(200), primary_key=True),
    Column("customer_id", String(100), nullable=True, index=True),
    Column("subject", Text, nullable=False, default=""),
    Column("description", Text, nullable=False, default=""),
    Column("created_at", UtcDateTime, nullable=False),
    Column("channel", String(50), nullable=True),
)
# A customer's newest tickets (the history tool) without sorting all of them.
tickets_by_customer = Index("ix_tickets_customer_created", tickets.c.customer_id, tickets.c.created_at)

decisions = Table(
    "decisions",
    metadata,
    Column("decision_id", String(64), primary_key=True),
    Column("ticket_id", String(200), nullable=False),
    Column("customer_id", String(100), nullable=True),
    Column("decided_at", UtcDateTime, nullable=False),
    Column("team", String(50), nullable=False),
    Column("category", String(50), nullable=False),
    Column("priority", String(4), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("needs_review", Boolean, nullable=False),
    Column("engine", String(20), nullable=False),
    Column("model_name", String(100), nullable=False),
    Column("model_version", String(50), nullable=False),
    Column("processing_ms", Float, nullable=False),
    Column("payload", Text, nullable=False),
    Index("ix_decisions_ticket", "ticket_id", "decided_at"),
    Index("ix_decisions_decided_at", "decided_at"),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ticket_id", String(200), nullable=False, index=True),
    Column("team", String(50), nullable=False),
    Column("priority", String(4), nullable=True),
    Column("agent", String(200), nullable=False, default=""),
    Column("created_at", UtcDateTime, nullable=False),
)

# The transactional outbox: one row per decision to send to the ticketing system, written in the decision's own
# transaction. `claimed_until` is a short lease so two workers never send the same message at once.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("decision_id", String(64), nullable=False, unique=True),
    Column("ticket_id", String(200), nullable=False),
    Column("payload", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("claimed_until", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("delivered_at", UtcDateTime, nullable=True),
    Index("ix_outbox_due", "delivered_at", "next_attempt_at"),
)

dead_letters = Table(
    "dead_letters",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("decision_id", String(64), nullable=False, unique=True),
    Column("ticket_id", String(200), nullable=False),
    Column("payload", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("dead_at", UtcDateTime, nullable=False),
)

# API keys are stored as sha256 hashes of high-entropy random keys; the key itself is shown once, at creation.
api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", String(32), primary_key=True),
    Column("name", String(200), nullable=False, default=""),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    # Administrator keys may change the routing model through `/v1/models`; every key made before this column
    # existed (migration 7) is not one.
    Column("admin", Boolean, nullable=False, default=False, server_default=false()),
)

# Model versions (issue 9): the artefact and its metadata (JSON), and an append-only log of pointer changes
# (promote, rollback, shadow) from which the active and shadow versions are read.
model_versions = Table(
    "model_versions",
    metadata,
    Column("version", String(100), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("base", String(200), nullable=False, default=""),
    Column("status", String(20), nullable=False),
    Column("meta", Text, nullable=False),
    Column("payload", LargeBinary, nullable=False),
)

model_events = Table(
    "model_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("role", String(10), nullable=False),  # active or shadow
    Column("action", String(10), nullable=False),  # promote, rollback, set, clear
    Column("version", String(100), nullable=True),
    Column("at", UtcDateTime, nullable=False),
)

shadow_predictions = Table(
    "shadow_predictions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("model_version", String(100), nullable=False),
    Column("model_name", String(100), nullable=False),
    Column("ticket_id", String(200), nullable=False),
    Column("decision_id", String(64), nullable=False),
    Column("team", String(50), nullable=False),
    Column("category", String(50), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("predicted_at", UtcDateTime, nullable=False),
    Column("active_team", String(50), nullable=False),
    Column("active_model", String(200), nullable=False),
    Index("ix_shadow_version_ticket", "model_version", "ticket_id"),
)

Migration = Callable[[Connection], None]


def _index(index: Index) -> Migration:
    def run(conn: Connection) -> None:
        index.create(conn, checkfirst=True)

    return run


def _create(*tables: Table) -> Migration:
    def run(conn: Connection) -> None:
        for table in tables:
            table.create(conn, checkfirst=True)

    return run


def _add_column(table: Table, name: str) -> Migration:
    """Add a column the table's definition has gained. A database made after the change got it with the table (the
    `_create` above builds today's definition), so it is added only where it is missing."""

    def run(conn: Connection) -> None:
        if name in {c["name"] for c in inspect(conn).get_columns(table.name)}:
            return
        spec = CreateColumn(table.c[name]).compile(dialect=conn.dialect)
        conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {spec}")

    return run


# Append only: a published migration never changes. Each entry's number is the schema version it produces.
MIGRATIONS: list[tuple[int, Migration]] = [
    (1, _create(customers, outages, tickets, decisions)),
    (2, _create(feedback)),
    (3, _create(outbox, dead_letters)),
    (4, _create(api_keys)),
    (5, _index(tickets_by_customer)),
    (6, _create(model_versions, model_events, shadow_predictions)),
    (7, _add_column(api_keys, "admin")),
]


def current_version(conn: Connection) -> int:
    schema_version.create(conn, checkfirst=True)
    return conn.execute(select(schema_version.c.version).order_by(schema_version.c.version.desc())).scalar() or 0


def upgrade(conn: Connection) -> list[int]:
    """Apply every migration newer than the database's version; returns the versions applied."""
    applied = []
    start = current_version(conn)
    for version, migrate in MIGRATIONS:
        if version > start:
            migrate(conn)
            conn.execute(schema_version.insert().values(version=version))
            applied.append(version)
    return applied
