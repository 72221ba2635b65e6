"""The SQL store: one implementation over SQLAlchemy Core for SQLite (WAL) and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, Select, Table, bindparam, create_engine, event, func, insert, select, update
from sqlalchemy.engine import make_url

from ticket_router.domain import Customer, Decision, Feedback, Outage, Ticket
from ticket_router.store import schema
from ticket_router.store.apikeys import SqlApiKeys
from ticket_router.store.base import DecisionRow, PastTicket
from ticket_router.store.outbox import SqlOutbox
from ticket_router.store.rows import dialect_insert
from ticket_router.store.schema import customers, decisions, feedback, outages, tickets
from ticket_router.store.sql_versions import SqlModelVersions


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = str(parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False))
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _upsert(engine: Engine, table: Table, rows: list[dict], key: str) -> int:  # type: ignore[type-arg]
    if not rows:
        return 0
    statement = dialect_insert(engine, table)
    statement = statement.on_conflict_do_update(
        index_elements=[key], set_={c: statement.excluded[c] for c in rows[0] if c != key}
    )
    with engine.begin() as conn:
        conn.execute(statement, rows)
    return len(rows)


@cache
def _history_query() -> Select:  # type: ignore[type-arg]
    """Each customer's `limit` newest tickets since `since` (a window function: a customer with thousands of tickets
    costs no more to read than one with twenty), joined to their decisions, newest decision first. Built once, on
    first use: constructing a statement costs SQLAlchemy more than SQLite takes to run it."""
    newest = func.row_number().over(partition_by=tickets.c.customer_id,
                                     order_by=(tickets.c.created_at.desc(), tickets.c.ticket_id))
    recent = (
        select(tickets.c.customer_id, tickets.c.ticket_id, tickets.c.created_at, tickets.c.subject,
               newest.label("rank"))
        .where(tickets.c.customer_id.in_(bindparam("ids", expanding=True)),
               tickets.c.created_at >= bindparam("since", type_=schema.UtcDateTime()))
        .subquery()
    )
    return (
        select(recent.c.customer_id, recent.c.ticket_id, recent.c.created_at, recent.c.subject,
               decisions.c.team, decisions.c.category, decisions.c.priority)
        .join(decisions, decisions.c.ticket_id == recent.c.ticket_id)
        .where(recent.c.rank <= bindparam("limit"))
        .order_by(recent.c.customer_id, recent.c.created_at.desc(), recent.c.ticket_id, decisions.c.decided_at.desc())
    )


def _decided_between(query: Select, since: datetime | None, until: datetime | None) -> Select:  # type: ignore[type-arg]
    """Decisions made from `since` up to (not including) `until`, newest first."""
    if since is not None:
        query = query.where(decisions.c.decided_at >= since)
    if until is not None:
        query = query.where(decisions.c.decided_at < until)
    return query.order_by(decisions.c.decided_at.desc())


class SqlStore(SqlOutbox, SqlApiKeys, SqlModelVersions):
    """Implements `Store` (and `ServiceStore`: the outbox and API keys live in their own modules; and
    `ModelVersionStore`, in sql_versions.py).
    Migrations run when the store is opened."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        with engine.begin() as conn:
            schema.upgrade(conn)

    @classmethod
    def from_url(cls, url: str) -> SqlStore:
        return cls(make_engine(url))

    # customers -------------------------------------------------------------------------------------------
    def get_customer(self, customer_id: str) -> Customer | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(customers).where(customers.c.customer_id == customer_id)).mappings().first()
        return Customer.model_validate(dict(row)) if row else None

    def get_customers(self, customer_ids: list[str]) -> dict[str, Customer]:
        if not customer_ids:
            return {}
        query = select(customers).where(customers.c.customer_id.in_(set(customer_ids)))
        with self.engine.connect() as conn:
            return {row["customer_id"]: Customer.model_validate(dict(row)) for row in conn.execute(query).mappings()}

    def upsert_customers(self, items: list[Customer]) -> int:
        return _upsert(self.engine, customers, [c.model_dump(mode="json") for c in items], "customer_id")

    def list_customers(self, search: str = "", limit: int = 1000) -> list[Customer]:
        query = select(customers).order_by(customers.c.customer_id).limit(limit)
        if search:
            pattern = f"%{search.lower()}%"
            query = query.where(
                func.lower(customers.c.customer_id).like(pattern) | func.lower(customers.c.name).like(pattern)
            )
        with self.engine.connect() as conn:
            return [Customer.model_validate(dict(row)) for row in conn.execute(query).mappings()]

    # outages ---------------------------------------------------------------------------------------------
    def upsert_outages(self, items: list[Outage]) -> int:
        return _upsert(self.engine, outages, [o.model_dump() for o in items], "outage_id")

    def list_outages(self, active_at: datetime | None = None) -> list[Outage]:
        query = select(outages).order_by(outages.c.started_at.desc())
        if active_at is not None:
            query = query.where(outages.c.started_at <= active_at).where(
                outages.c.ended_at.is_(None) | (outages.c.ended_at > active_at)
            )
        with self.engine.connect() as conn:
            return [Outage.model_validate(dict(row)) for row in conn.execute(query).mappings()]

    def resolve_outage(self, outage_id: str, ended_at: datetime) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(
                update(outages).where(outages.c.outage_id == outage_id).values(ended_at=ended_at)
            )
        return result.rowcount > 0

    def known_regions(self) -> list[str]:
        with self.engine.connect() as conn:
            found = set(conn.execute(select(customers.c.region).distinct()).scalars())
            found |= set(conn.execute(select(outages.c.region).distinct()).scalars())
        return sorted(region for region in found if region)

    # tickets and decisions -------------------------------------------------------------------------------
    def customer_history(self, customer_id: str, since: datetime, limit: int = 20) -> list[PastTicket]:
        return self.customer_histories([customer_id], since, limit).get(customer_id, [])

    def customer_histories(
        self, customer_ids: list[str], since: datetime, limit: int = 20
    ) -> dict[str, list[PastTicket]]:
        # The latest decision per ticket is picked while reading rather than with a GROUP BY over every decision.
        if not customer_ids:
            return {}
        found: dict[str, dict[str, PastTicket]] = {}
        with self.engine.connect() as conn:
            rows = conn.execute(_history_query(), {"ids": sorted(set(customer_ids)), "since": since, "limit": limit})
            for row in rows.mappings():
                latest = found.setdefault(row["customer_id"], {})
                if row["ticket_id"] not in latest:
                    latest[row["ticket_id"]] = PastTicket.model_validate(
                        {k: v for k, v in row.items() if k != "customer_id"} | {"subject": row["subject"][:120]}
                    )
        return {customer: list(items.values()) for customer, items in found.items()}

    def save_decisions(self, items: list[tuple[Ticket, Decision]]) -> None:
        self.save_decisions_with_outbox(items, [])

    def get_decision(self, ticket_id: str) -> Decision | None:
        query = (
            select(decisions.c.payload)
            .where(decisions.c.ticket_id == ticket_id)
            .order_by(decisions.c.decided_at.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            payload = conn.execute(query).scalar()
        return Decision.model_validate_json(payload) if payload else None

    def get_ticket(self, ticket_id: str) -> Ticket | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(tickets).where(tickets.c.ticket_id == ticket_id)).mappings().first()
        return Ticket.model_validate(dict(row), context={"stored": True}) if row else None

    def list_decisions(self, since: datetime | None = None, limit: int = 10000,
                       until: datetime | None = None) -> list[Decision]:
        query = _decided_between(select(decisions.c.payload), since, until).limit(limit)
        with self.engine.connect() as conn:
            return [Decision.model_validate_json(p) for p in conn.execute(query).scalars()]

    def list_decision_rows(self, since: datetime | None = None, limit: int = 10000,
                           until: datetime | None = None) -> list[DecisionRow]:
        columns = [decisions.c[name] for name in DecisionRow.model_fields]
        query = _decided_between(select(*columns), since, until).limit(limit)
        with self.engine.connect() as conn:
            return [DecisionRow.model_validate(dict(row)) for row in conn.execute(query).mappings()]

    def save_feedback(self, item: Feedback) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(feedback).values(**item.model_dump()))

    def list_feedback(self, since: datetime | None = None) -> list[Feedback]:
        query = select(feedback.c.ticket_id, feedback.c.team, feedback.c.priority, feedback.c.agent,
                       feedback.c.created_at).order_by(feedback.c.created_at, feedback.c.id)
        if since is not None:
            query = query.where(feedback.c.created_at >= since)
        with self.engine.connect() as conn:
            return [Feedback.model_validate(dict(row)) for row in conn.execute(query).mappings()]

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return not conn.execute(select(customers.c.customer_id).limit(1)).first()

    def close(self) -> None:
        self.engine.dispose()
