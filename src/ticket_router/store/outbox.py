"""SQL for the service: first-time ticket writes that cannot race, and the transactional outbox.

A mixin of `SqlStore` (it shares the store's engine); the interface is `ServiceStore` in `store/service.py`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, func, insert, select, update

from ticket_router.domain import Decision, Ticket
from ticket_router.store.rows import TICKET_COLUMNS, decision_row, dialect_insert, ticket_row
from ticket_router.store.schema import dead_letters, decisions, outbox, schema_version, tickets
from ticket_router.store.service import DeadLetter, NewItem, OutboundMessage, OutboxCounts, PendingMessage

if TYPE_CHECKING:
    from sqlalchemy import Engine

_ERROR_LIMIT = 500


def _message_row(message: OutboundMessage) -> dict[str, Any]:
    return {**message.model_dump(), "attempts": 0, "next_attempt_at": message.created_at}


def _ticket_insert(engine: Engine):  # type: ignore[no-untyped-def]
    return dialect_insert(engine, tickets).on_conflict_do_nothing(index_elements=["ticket_id"])


def _ticket_upsert(engine: Engine):  # type: ignore[no-untyped-def]
    # A decision is stored with the ticket text it was made from: a ticket routed again with new text (the CLI's
    # --reroute) takes that text, so no decision attaches to text it never saw.
    statement = dialect_insert(engine, tickets)
    return statement.on_conflict_do_update(
        index_elements=["ticket_id"],
        set_={c: statement.excluded[c] for c in TICKET_COLUMNS if c != "ticket_id"})


def _new_ticket_insert(engine: Engine):  # type: ignore[no-untyped-def]
    # RETURNING, not rowcount: a conflict returns no row on both backends (psycopg reports rowcount -1 here).
    return _ticket_insert(engine).returning(tickets.c.ticket_id)


class SqlOutbox:
    engine: Engine

    # tickets and decisions ---------------------------------------------------------------------------------
    def save_new_decisions(self, items: list[NewItem]) -> list[bool]:
        if not items:
            return []
        first: dict[str, int] = {}  # a ticket id given twice: its first copy is the one that counts
        for index, (ticket, _, _) in enumerate(items):
            first.setdefault(ticket.ticket_id, index)
        unique = [items[index] for index in sorted(first.values())]
        ticket_rows, decision_rows = [ticket_row(t) for t, _, _ in unique], [decision_row(d) for _, d, _ in unique]
        with self.engine.begin() as conn:
            # The primary key decides: of two concurrent posts of one id, exactly one inserts the ticket. One
            # statement for the whole batch (SQLAlchemy sends it as multi-row INSERTs), RETURNING the new ids.
            inserted = set(conn.execute(_new_ticket_insert(self.engine), ticket_rows).scalars())
            new = [k for k, (ticket, _, _) in enumerate(unique) if ticket.ticket_id in inserted]
            if new:
                conn.execute(insert(decisions), [decision_rows[k] for k in new])
                messages = [_message_row(m) for k in new if (m := unique[k][2]) is not None]
                if messages:
                    conn.execute(insert(outbox), messages)
        return [first[t.ticket_id] == index and t.ticket_id in inserted for index, (t, _, _) in enumerate(items)]

    def save_decisions_with_outbox(self, items: list[tuple[Ticket, Decision]],
                                   messages: list[OutboundMessage]) -> None:
        if not items:
            return
        ticket_rows, decision_rows = [ticket_row(t) for t, _ in items], [decision_row(d) for _, d in items]
        with self.engine.begin() as conn:
            conn.execute(_ticket_upsert(self.engine), ticket_rows)
            conn.execute(insert(decisions), decision_rows)
            if messages:
                conn.execute(insert(outbox), [_message_row(m) for m in messages])

    def get_decisions(self, ticket_ids: list[str]) -> dict[str, Decision]:
        if not ticket_ids:
            return {}
        query = (select(decisions.c.ticket_id, decisions.c.payload)
                 .where(decisions.c.ticket_id.in_(set(ticket_ids))).order_by(decisions.c.decided_at))
        with self.engine.connect() as conn:
            latest = {ticket_id: payload for ticket_id, payload in conn.execute(query)}
        return {ticket_id: Decision.model_validate_json(payload) for ticket_id, payload in latest.items()}

    def list_ticket_decisions(self, ticket_id: str) -> list[Decision]:
        query = (select(decisions.c.payload).where(decisions.c.ticket_id == ticket_id)
                 .order_by(decisions.c.decided_at.desc()))
        with self.engine.connect() as conn:
            return [Decision.model_validate_json(p) for p in conn.execute(query).scalars()]

    def ping(self) -> bool:
        """True when decisions can be stored: a committed write (the newest schema_version row rewritten as it
        is), so a full disk or a read-only database fails here as every write would, not only a dead server."""
        newest = select(func.max(schema_version.c.version)).scalar_subquery()
        with self.engine.begin() as conn:
            conn.execute(update(schema_version).where(schema_version.c.version == newest)
                         .values(version=schema_version.c.version))
        return True

    # the outbox --------------------------------------------------------------------------------------------
    def claim_due_messages(self, now: datetime, limit: int, lease_seconds: float) -> list[PendingMessage]:
        """Lease up to `limit` due messages in one statement. The re-checked condition makes a claim exclusive: a
        message another worker holds (an unexpired lease) is skipped, on SQLite and PostgreSQL alike (where rows
        another claim has locked are skipped rather than waited for)."""
        free = outbox.c.claimed_until.is_(None) | (outbox.c.claimed_until < now)
        due = (outbox.c.delivered_at.is_(None)) & (outbox.c.next_attempt_at <= now) & free
        candidates = select(outbox.c.id).where(due).order_by(outbox.c.next_attempt_at, outbox.c.id).limit(limit)
        if self.engine.dialect.name == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True)
        claim = (update(outbox).where(outbox.c.id.in_(candidates.scalar_subquery()), due)
                 .values(claimed_until=now + timedelta(seconds=lease_seconds))
                 .returning(*[c for c in outbox.c if c.name != "claimed_until"]))
        with self.engine.begin() as conn:
            claimed = [_pending(row) for row in conn.execute(claim).mappings()]
        return sorted(claimed, key=lambda m: (m.next_attempt_at, m.id))

    def mark_delivered(self, message_ids: list[int], now: datetime) -> None:
        if not message_ids:
            return
        with self.engine.begin() as conn:
            conn.execute(update(outbox).where(outbox.c.id.in_(message_ids)).values(
                delivered_at=now, attempts=outbox.c.attempts + 1, claimed_until=None))

    def mark_failed(self, message_id: int, error: str, next_attempt_at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(outbox).where(outbox.c.id == message_id).values(
                attempts=outbox.c.attempts + 1, last_error=error[:_ERROR_LIMIT], next_attempt_at=next_attempt_at,
                claimed_until=None))

    def dead_letter(self, message_id: int, error: str, now: datetime) -> None:
        with self.engine.begin() as conn:
            row = conn.execute(select(outbox).where(outbox.c.id == message_id)).mappings().first()
            if row is None or row["delivered_at"] is not None:
                return
            conn.execute(delete(dead_letters).where(dead_letters.c.decision_id == row["decision_id"]))
            conn.execute(insert(dead_letters).values(
                decision_id=row["decision_id"], ticket_id=row["ticket_id"], payload=row["payload"],
                created_at=row["created_at"], attempts=row["attempts"] + 1, last_error=error[:_ERROR_LIMIT],
                dead_at=now))
            conn.execute(delete(outbox).where(outbox.c.id == message_id))

    def list_outbox(self, include_delivered: bool = False, limit: int = 100) -> list[PendingMessage]:
        query = select(outbox).order_by(outbox.c.id).limit(limit)
        if not include_delivered:
            query = query.where(outbox.c.delivered_at.is_(None))
        with self.engine.connect() as conn:
            return [_pending(row) for row in conn.execute(query).mappings()]

    def list_dead_letters(self, limit: int = 100) -> list[DeadLetter]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(dead_letters).order_by(dead_letters.c.id).limit(limit)).mappings()
            return [DeadLetter.model_validate(dict(row)) for row in rows]

    def retry_dead_letters(self, decision_ids: list[str] | None, now: datetime) -> int:
        """Move dead letters (all, or those named) back to the outbox with a fresh attempt count."""
        query = select(dead_letters)
        if decision_ids is not None:
            query = query.where(dead_letters.c.decision_id.in_(decision_ids))
        with self.engine.begin() as conn:
            rows = conn.execute(query).mappings().all()
            for row in rows:
                conn.execute(insert(outbox).values(
                    decision_id=row["decision_id"], ticket_id=row["ticket_id"], payload=row["payload"],
                    created_at=row["created_at"], attempts=0, next_attempt_at=now, last_error=row["last_error"]))
                conn.execute(delete(dead_letters).where(dead_letters.c.id == row["id"]))
        return len(rows)

    def outbox_counts(self) -> OutboxCounts:
        with self.engine.connect() as conn:
            return _counts(conn)

    def next_due_at(self) -> datetime | None:
        with self.engine.connect() as conn:
            return conn.execute(select(func.min(outbox.c.next_attempt_at))
                                .where(outbox.c.delivered_at.is_(None))).scalar()


def _pending(row: Any) -> PendingMessage:
    return PendingMessage.model_validate({k: v for k, v in dict(row).items() if k != "claimed_until"})


def _counts(conn: Connection) -> OutboxCounts:
    pending, delivered = conn.execute(select(
        func.count().filter(outbox.c.delivered_at.is_(None)),
        func.count().filter(outbox.c.delivered_at.is_not(None)),
    )).one()
    dead = conn.execute(select(func.count()).select_from(dead_letters)).scalar() or 0
    return OutboxCounts(pending=pending or 0, delivered=delivered or 0, dead=dead)
