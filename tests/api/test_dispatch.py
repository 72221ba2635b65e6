"""The batch dispatcher: tickets that arrive while a batch is being routed go together in the next one, each
request gets its own ticket's decision, and a failed batch fails each of its requests (not the thread)."""

from __future__ import annotations

import asyncio
import threading

import pytest
from conftest import ticket

from ticket_router.api.dispatch import BatchDispatcher
from ticket_router.api.service import TicketService
from ticket_router.policy import RoutingPolicy
from ticket_router.router import Router


class Recorded:
    """The real `TicketService.submit_many`, recording batch sizes; the first batch waits until released."""

    def __init__(self, service: TicketService) -> None:
        self.submit_many = service.submit_many
        self.sizes: list[int] = []
        self.first_started = threading.Event()
        self.release = threading.Event()
        self.fail = False

    def __call__(self, tickets, engine=None):  # type: ignore[no-untyped-def]
        self.sizes.append(len(tickets))
        if len(self.sizes) == 1:
            self.first_started.set()
            self.release.wait(10)
        if self.fail:
            raise RuntimeError("database went away")
        return self.submit_many(tickets, engine)


@pytest.fixture
def dispatcher(service_store, classifier):  # type: ignore[no-untyped-def]
    router = Router(classifier, service_store, RoutingPolicy())
    service = TicketService(service_store, lambda name: router, outbox_enabled=False)
    recorded = Recorded(service)
    service.submit_many = recorded  # type: ignore[method-assign]
    running = BatchDispatcher(service)
    running.start()
    yield running, recorded
    running.stop()


def test_tickets_that_arrive_during_a_batch_are_routed_together(dispatcher, service_store):
    running, recorded = dispatcher

    async def scenario():  # type: ignore[no-untyped-def]
        first = asyncio.create_task(running.submit(ticket("refund for a double charge", ticket_id="D-0")))
        await asyncio.to_thread(recorded.first_started.wait, 10)
        rest = [asyncio.create_task(running.submit(ticket(text, ticket_id=f"D-{n}")))
                for n, text in enumerate(["no signal at all", "cannot log in", "bill too high"] * 3, start=1)]
        await asyncio.sleep(0.2)  # all queued behind the first batch
        recorded.release.set()
        return await first, await asyncio.gather(*rest)

    first, rest = asyncio.run(scenario())
    assert recorded.sizes == [1, 9]
    assert [s.decision.ticket_id for s in [first, *rest]] == [f"D-{n}" for n in range(10)]
    assert all(s.created for s in [first, *rest])
    assert rest[0].decision.team.value == "Network Operations" and rest[1].decision.team.value == "Account Management"
    assert service_store.get_decision("D-9").decision_id == rest[-1].decision.decision_id


def test_a_failed_batch_fails_each_request_and_the_dispatcher_goes_on(dispatcher):
    running, recorded = dispatcher
    recorded.fail = True
    recorded.release.set()

    async def scenario():  # type: ignore[no-untyped-def]
        with pytest.raises(RuntimeError, match="database went away"):
            await running.submit(ticket("no signal", ticket_id="F-1"))
        recorded.fail = False
        return await running.submit(ticket("no signal", ticket_id="F-2"))

    assert asyncio.run(scenario()).decision.ticket_id == "F-2"
    assert running.running


def test_stop_routes_what_is_queued_and_without_the_thread_requests_still_work(dispatcher):
    running, recorded = dispatcher

    async def queued():  # type: ignore[no-untyped-def]
        task = asyncio.create_task(running.submit(ticket("cannot log in", ticket_id="S-1")))
        await asyncio.to_thread(recorded.first_started.wait, 10)
        stopper = asyncio.create_task(asyncio.to_thread(running.stop))
        recorded.release.set()
        await stopper
        return await task

    assert asyncio.run(queued()).decision.ticket_id == "S-1"
    assert not running.running
    later = asyncio.run(running.submit(ticket("cannot log in", ticket_id="S-2")))  # on the thread pool instead
    assert later.created and later.decision.ticket_id == "S-2"


def test_a_heavy_ticket_does_not_hold_up_the_small_ones(dispatcher, service_store):
    """Issue 11, item 2: a ticket with more text than the tools read is routed off the dispatcher thread; while it
    is being routed (held here), small tickets are still answered."""
    running, recorded = dispatcher
    heavy = ticket("please cc alice.smith@example.co.uk about the outage. " * 2000, ticket_id="HEAVY-1")

    async def scenario():  # type: ignore[no-untyped-def]
        first = asyncio.create_task(running.submit(heavy))
        await asyncio.to_thread(recorded.first_started.wait, 10)  # the heavy ticket is being routed, and held
        small = await asyncio.wait_for(running.submit(ticket("charged twice", ticket_id="SMALL-1")), 10)
        held = not first.done()
        recorded.release.set()
        return small, held, await first

    small, held, heavy_result = asyncio.run(scenario())
    assert held and small.created and heavy_result.created
    assert small.decision.ticket_id == "SMALL-1" and heavy_result.decision.ticket_id == "HEAVY-1"


def test_the_tools_read_a_bounded_text():
    from ticket_router.tools.entities import extract_entities

    text = "x " * 10_000 + " write to late@example.com"  # past the 20,000 characters the tools read
    assert extract_entities(text).emails == []
    assert extract_entities("write to early@example.com " + text).emails == ["early@example.com"]
