"""POST /v1/tickets under load: the tickets that arrive together are routed together, on one thread.

One request at a time, each ticket would pay on its own for what a batch shares: the hand-off to a worker thread,
the outage and region look-ups, the classifier call and the database transaction (with SQLite, one writer at a
time). The dispatcher takes whatever queued up while it routed the previous batch (and what arrives within
`linger_s` of a batch's first ticket), so a quiet server routes each ticket within a few milliseconds, and a busy
one routes more tickets per batch rather than making them wait longer.

Only the embedded engine is batched this way. The LLM engines wait on the network for seconds, and a ticket for
them must not hold up the others: they are routed on the thread pool, one request each. So is a heavy ticket (more
text than the tools read, `MAX_TOOL_CHARS`): storing hundreds of KB takes its own time, and the small tickets
behind it in the queue must not wait for that.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool

from ticket_router.api.service import Submitted, TicketService
from ticket_router.domain import MAX_TOOL_CHARS, Ticket

log = logging.getLogger(__name__)


@dataclass
class _Item:
    ticket: Ticket
    future: asyncio.Future[Submitted]
    loop: asyncio.AbstractEventLoop


class BatchDispatcher:
    def __init__(self, tickets: TicketService, default_engine: str = "local", max_batch: int = 64,
                 linger_s: float = 0.005, heavy_chars: int = MAX_TOOL_CHARS) -> None:
        self.tickets = tickets
        self.default_engine = default_engine
        self.max_batch = max_batch
        # After the first ticket of a batch, wait this long for others: a batch's fixed cost (look-ups, one
        # transaction) is most of a lone ticket's cost, so a few milliseconds here save CPU under load.
        self.linger_s = linger_s
        self.heavy_chars = heavy_chars
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="ticket-dispatcher", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Routes what is queued, then ends the thread."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def is_heavy(self, ticket: Ticket) -> bool:
        return len(ticket.subject) + len(ticket.description) > self.heavy_chars

    async def submit(self, ticket: Ticket, engine: str | None = None) -> Submitted:
        if (engine or self.default_engine) != "local" or not self.running or self.is_heavy(ticket):
            return await run_in_threadpool(self.tickets.submit, ticket, engine)
        loop = asyncio.get_running_loop()
        item = _Item(ticket, loop.create_future(), loop)
        self._queue.put(item)
        submitted = await item.future
        self.tickets.log_submitted([submitted])  # here, in the request's context: the line gets its request id
        return submitted

    def _run(self) -> None:
        stopping = False
        while not stopping:
            batch: list[_Item] = []
            item = self._queue.get()
            deadline = time.monotonic() + self.linger_s
            while item is not None:
                batch.append(item)
                if len(batch) >= self.max_batch:
                    break
                try:
                    item = self._queue.get(timeout=max(deadline - time.monotonic(), 0.0))
                except queue.Empty:
                    break
            stopping = item is None
            if batch:
                self._route(batch)

    def _route(self, batch: list[_Item]) -> None:
        try:
            results: Sequence[Submitted | BaseException] = self.tickets.submit_many([i.ticket for i in batch], "local")
        except Exception as error:  # noqa: BLE001 - each request answers with the failure (503/500), not the thread
            log.warning("batch failed", extra={"tickets": len(batch), "error": type(error).__name__})
            results = [error] * len(batch)
        for item, result in zip(batch, results):
            try:
                item.loop.call_soon_threadsafe(_settle, item.future, result)
            except RuntimeError:  # that request's event loop has closed: nobody is waiting for the answer
                pass


def _settle(future: asyncio.Future[Submitted], result: Submitted | BaseException) -> None:
    if future.done():  # the client went away and the request was cancelled
        return
    if isinstance(result, BaseException):
        future.set_exception(result)
    else:
        future.set_result(result)
