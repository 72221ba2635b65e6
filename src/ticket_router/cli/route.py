"""`ticket-router route` and `ticket-router demo`."""

from __future__ import annotations

import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ticket_router.bootstrap import build_router, open_configured_store
from ticket_router.cli.common import DbOption, ModelOption, fail, read_input, settings_with, stderr
from ticket_router.cli.render import decision_panel, print_summary
from ticket_router.domain import Decision, Ticket, utcnow
from ticket_router.ingest import InputError, detect_format, read_tickets, split
from ticket_router.router import Router
from ticket_router.settings import Settings
from ticket_router.store import Store
from ticket_router.store.seed import seed_demo
from ticket_router.store.unavailable import UnavailableStore

CHUNK = 500


def route(
    input: Annotated[str | None, typer.Argument(help="Tickets: .jsonl, .json (array), .csv, or - for JSONL on stdin.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write decisions (JSONL) here instead of stdout.")] = None,
    text: Annotated[str | None, typer.Option("--text", help="Route one ticket with this description.")] = None,
    subject: Annotated[str, typer.Option("--subject", help="Subject of the --text ticket.")] = "",
    customer: Annotated[str | None, typer.Option("--customer", help="Customer id of the --text ticket.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the --text decision as JSON.")] = False,
    db: DbOption = None,
    model: ModelOption = None,
    engine: Annotated[str | None, typer.Option(
        "--engine", help="local, agent (LLM) or cascade (default: $TICKET_ROUTER_ENGINE, else local).")] = None,
) -> None:
    """Route tickets from a file (batch) or one ticket given with --text."""
    if (input is None) == (text is None):
        fail("give either INPUT (a file or -) or --text")
    settings = settings_with(db, model=model)
    with ExitStack() as stack:
        store, save = _open_store(settings)
        stack.callback(store.close)
        local = not engine and settings.engine == "local"
        router = build_router(settings, store) if local else _engine(settings, store, engine)
        if text is not None:
            _route_one(router, text, subject, customer, as_json, save)
            return
        try:
            fmt = detect_format(input)  # type: ignore[arg-type]
        except InputError as error:
            fail(str(error))
        data = read_input(input)  # type: ignore[arg-type]
        sink = stack.enter_context(out.open("w", encoding="utf-8")) if out else sys.stdout
        rejected = route_stream(router, read_tickets(data, fmt), sink, show_progress=True, save=save)
    if rejected:
        raise typer.Exit(1)


def _open_store(settings: Settings) -> tuple[Store, bool]:
    """The configured store, and whether decisions are saved. A database that cannot be opened does not stop
    routing: every decision is still made (without customer, outage and history data), flagged for review, and
    not saved."""
    try:
        return open_configured_store(settings), True
    except Exception as error:  # noqa: BLE001 - any failure to open the database degrades, never crashes
        stderr().print(f"warning: cannot open the database {settings.database_label()} ({type(error).__name__}); "
                       "routing without customer, outage and history data, flagged for review; decisions are not saved",
                       markup=False, highlight=False, soft_wrap=True)
        return UnavailableStore(error), False  # type: ignore[return-value]


def _engine(settings, store, name: str | None):  # type: ignore[no-untyped-def]
    """The engine chosen by --engine or TICKET_ROUTER_ENGINE (issue 4); the default path above stays the router."""
    from ticket_router.engines.factory import UnknownEngine, build_engine

    try:
        return build_engine(settings, store, name)
    except UnknownEngine as error:
        fail(str(error))


def _route_one(router: Router, text: str, subject: str, customer: str | None, as_json: bool, save: bool) -> None:
    try:
        ticket = Ticket(ticket_id=f"CLI-{utcnow():%Y%m%d%H%M%S%f}", subject=subject, description=text,
                        customer_id=customer, channel="cli")
    except ValueError:
        fail("the ticket text is blank")
    decision = router.route(ticket, save=save)
    if as_json:
        sys.stdout.write(decision.model_dump_json() + "\n")
    else:
        from rich.console import Console

        Console().print(decision_panel(decision))


def route_stream(router: Router, records, sink: TextIO, show_progress: bool, save: bool = True) -> int:  # type: ignore[no-untyped-def]
    """Route every accepted record in chunks, write decisions in input order, report rejections; returns the
    number of rejected records."""
    console = stderr()
    tickets, rejected = split(records)
    for item in rejected:
        console.print(str(item), markup=False, highlight=False)
    decisions: list[Decision] = []
    started = time.perf_counter()
    with Progress(TextColumn("routing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not show_progress or len(tickets) < 2) as progress:
        task = progress.add_task("route", total=len(tickets))
        for start in range(0, len(tickets), CHUNK):
            chunk = router.route_many(tickets[start:start + CHUNK], save=save)
            sink.writelines(d.model_dump_json() + "\n" for d in chunk)
            decisions.extend(chunk)
            progress.advance(task, len(chunk))
    sink.flush()
    print_summary(console, decisions, len(rejected), time.perf_counter() - started)
    return len(rejected)


DEMO_REFERENCE = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def demo() -> None:
    """Route the bundled sample tickets on a fresh demo database and show the decisions."""
    from rich.console import Console

    console = Console()
    samples = resources.files("ticket_router").joinpath("data", "samples", "tickets.jsonl").read_bytes()
    # Replay the samples as if they arrived now: their relative ages (and so the age rules) are kept.
    shift = utcnow() - DEMO_REFERENCE
    tickets = [ticket.model_copy(update={"created_at": ticket.created_at + shift})
               for ticket in split(read_tickets(samples, "jsonl"))[0]]
    with tempfile.TemporaryDirectory(prefix="ticket-router-demo-") as folder:
        settings = settings_with(db=Path(folder) / "demo.db")
        store = open_configured_store(settings)
        try:
            seed_demo(store, utcnow())
            router = build_router(settings, store)
            started = time.perf_counter()
            decisions = router.route_many(tickets)
            seconds = time.perf_counter() - started
        finally:
            store.close()
    for ticket, decision in zip(tickets, decisions):
        console.print(decision_panel(decision, title=f"{ticket.ticket_id} · {ticket.subject or ticket.description[:60]}"))
    print_summary(console, decisions, 0, seconds)
    console.print("[dim]Demo data: 8 customers, 3 active outages (North internet, East mobile, South TV), "
                  "a few past tickets; a fresh temporary database each run.[/dim]")
