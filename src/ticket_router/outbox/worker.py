"""The delivery worker: sends due outbox messages, retries failures with backoff, dead-letters the hopeless.

It keeps no state of its own: what is pending, how many attempts a message had and when it is next due all
live in the store, so a crash or restart loses nothing and the next worker carries on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ticket_router.domain import utcnow
from ticket_router.outbox.adapters import DeliveryError, TicketingAdapter
from ticket_router.store.service import PendingMessage, ServiceStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """The first send, then one retry after each wait in `backoff`: by default 5 retries, 1, 2, 4, 8 and 16 s
    apart (31 s from the first failure to the last retry). When the last retry fails too, the message moves to
    the dead-letter table."""

    backoff: tuple[float, ...] = (1, 2, 4, 8, 16)

    def delay_after(self, sends: int) -> float | None:
        """Seconds to wait after the `sends`-th failed send; None when no retry is left (dead-letter it)."""
        return self.backoff[sends - 1] if 1 <= sends <= len(self.backoff) else None


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)
    delivered_ids: list[int] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        return self.delivered + self.failed + self.dead

    def add(self, other: DeliveryReport) -> None:
        self.delivered += other.delivered
        self.failed += other.failed
        self.dead += other.dead
        self.errors.extend(other.errors)
        self.delivered_ids.extend(other.delivered_ids)


Outcome = Callable[[str], None]  # "delivered" | "failed" | "dead", for metrics


def _log_fields(message: PendingMessage) -> dict[str, object]:
    """What a log line says about a send: ids and the attempt's number, never the payload."""
    return {"decision_id": message.decision_id, "ticket_id": message.ticket_id, "attempt": message.attempts + 1}


class DeliveryWorker:
    def __init__(
        self,
        store: ServiceStore,
        adapter: TicketingAdapter,
        retry: RetryPolicy = RetryPolicy(),
        clock: Callable[[], datetime] = utcnow,
        batch_size: int = 32,
        concurrency: int = 8,
        lease_seconds: float = 60.0,
        poll_seconds: float = 0.5,
        linger_seconds: float = 0.05,
        on_outcome: Outcome | None = None,
    ) -> None:
        self.store = store
        self.adapter = adapter
        self.retry = retry
        self.clock = clock
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.lease_seconds = lease_seconds
        self.poll_seconds = poll_seconds
        self.linger_seconds = linger_seconds
        self.on_outcome = on_outcome or (lambda outcome: None)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool: ThreadPoolExecutor | None = None

    # one pass ----------------------------------------------------------------------------------------------
    def deliver_due(self) -> DeliveryReport:
        """Claim the messages due now and try each once (concurrently, so one slow receiver call does not hold
        up the rest)."""
        messages = self.store.claim_due_messages(self.clock(), self.batch_size, self.lease_seconds)
        report = DeliveryReport()
        if not messages:
            return report
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="outbox-send")
        for outcome in self._pool.map(self._deliver_one, messages):
            report.add(outcome)
        # One write for every message of the pass the receiver took. A crash before it means those are sent again
        # after the restart, with the same Idempotency-Key, so the receiver drops the copies.
        self.store.mark_delivered(report.delivered_ids, self.clock())
        delivered = set(report.delivered_ids)
        for message in messages:
            if message.id in delivered:
                self.on_outcome("delivered")
                log.info("outbox message delivered", extra=_log_fields(message))
        return report

    def drain(self, max_passes: int = 1000) -> DeliveryReport:
        """Deliver until nothing is due right now (messages waiting for a later retry stay pending)."""
        total = DeliveryReport()
        for _ in range(max_passes):
            report = self.deliver_due()
            total.add(report)
            if report.attempted == 0:
                break
        return total

    def _deliver_one(self, message: PendingMessage) -> DeliveryReport:
        try:
            self.adapter.deliver(message)
        except DeliveryError as error:
            return self._failed(message, str(error))
        except Exception as error:  # noqa: BLE001 - an adapter bug must not kill the worker or lose the message
            return self._failed(message, f"adapter error ({type(error).__name__})")
        return DeliveryReport(delivered=1, delivered_ids=[message.id])

    def _failed(self, message: PendingMessage, error: str) -> DeliveryReport:
        now = self.clock()
        delay = self.retry.delay_after(message.attempts + 1)
        if delay is None:
            self.store.dead_letter(message.id, error, now)
            self.on_outcome("dead")
            log.error("outbox message dead-lettered", extra={**_log_fields(message), "error": error})
            return DeliveryReport(dead=1, errors=[error])
        self.store.mark_failed(message.id, error, now + timedelta(seconds=delay))
        self.on_outcome("failed")
        log.warning("outbox delivery failed, will retry",
                    extra={**_log_fields(message), "error": error, "retry_in_s": delay})
        return DeliveryReport(failed=1, errors=[error])

    # the background thread ---------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="outbox-worker", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """A new message was written: look now instead of at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                report = self.deliver_due()
            except Exception as error:  # noqa: BLE001 - e.g. the database is briefly unreachable: try again
                log.warning("outbox pass failed", extra={"error": type(error).__name__})
                report = DeliveryReport()
            if report.attempted >= self.batch_size:
                continue  # more may be due already
            if not report.attempted:
                self._wake.wait(self._idle_seconds())
                self._wake.clear()
            # Let the messages of a busy moment gather: one pass (one claim, one write) sends them all.
            self._stop.wait(self.linger_seconds)

    def _idle_seconds(self) -> float:
        try:
            due = self.store.next_due_at()
        except Exception:  # noqa: BLE001 - the next pass reports a database that stays away; until then, poll
            return self.poll_seconds
        if due is None:
            return self.poll_seconds
        return min(max((due - self.clock()).total_seconds(), 0.01), self.poll_seconds)
