"""`ticket-router route` and `ticket-router demo`."""

from __future__ import annotations

import shlex
import sys
import time
from contextlib import ExitStack
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ticket_router.bootstrap import build_router, open_configured_store
from ticket_router.cli.common import DbOption, ModelOption, PolicyOption, counted, fail, read_input, settings_with, stderr
from ticket_router.cli.render import decision_panel, print_summary
from ticket_router.domain import Decision, Ticket, utcnow
from ticket_router.ingest import InputError, detect_format, read_tickets, split
from ticket_router.router import Router
from ticket_router.settings import Settings, default_data_dir
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
    policy: PolicyOption = None,
    engine: Annotated[str | None, typer.Option(
        "--engine", help="local, agent (LLM) or cascade (default: $TICKET_ROUTER_ENGINE, else local).")] = None,
    reroute: Annotated[bool, typer.Option(
        "--reroute", help="Route again the ticket ids the database already has, replacing their stored text.")] = False,
) -> None:
    """Route tickets from a file (batch) or one ticket given with --text.

    A ticket id the database already has keeps its stored ticket and decision, which is written out again (as
    the API does); with --reroute it is routed again and the stored ticket takes the new text."""
    if (input is None) == (text is None):
        fail("give either INPUT (a file or -) or --text")
    settings = settings_with(db, model=model, policy=policy)
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
        rejected = route_stream(router, read_tickets(data, fmt), sink, show_progress=True, save=save,
                                store=store if save and not reroute else None)
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


def route_stream(router: Router, records, sink: TextIO, show_progress: bool, save: bool = True,  # type: ignore[no-untyped-def]
                 store: Store | None = None) -> int:
    """Route every accepted record in chunks, write decisions in input order, report rejections; returns the
    number of rejected records. With `store`, a ticket id it already has (or that came earlier in this input) is
    not routed again: its stored decision is written out, so a decision never attaches to text it was not made
    from."""
    console = stderr()
    tickets, rejected = split(records)
    for item in rejected:
        console.print(str(item), markup=False, highlight=False)
    decisions: list[Decision] = []
    known: dict[str, Decision] = {}  # with a store: the decision of every id seen so far
    repeated = 0
    started = time.perf_counter()
    with Progress(TextColumn("routing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not show_progress or len(tickets) < 2) as progress:
        task = progress.add_task("route", total=len(tickets))
        for start in range(0, len(tickets), CHUNK):
            chunk = tickets[start:start + CHUNK]
            if store is None:
                out = router.route_many(chunk, save=save)
            else:
                out, repeats = _route_new(router, store, chunk, known)
                repeated += repeats
            sink.writelines(d.model_dump_json() + "\n" for d in out)
            decisions.extend(out)
            progress.advance(task, len(chunk))
    sink.flush()
    print_summary(console, decisions, len(rejected), time.perf_counter() - started)
    if repeated:
        console.print(f"{counted(repeated, 'ticket')} had an id routed before: the stored decision was written out "
                      "(--reroute routes them again with the new text)", markup=False, highlight=False)
    return len(rejected)


def _route_new(router: Router, store: Store, chunk: list[Ticket],
               known: dict[str, Decision]) -> tuple[list[Decision], int]:
    """The chunk's decisions: new ids routed (and saved), each id seen before (in the store or earlier in the
    input, `known`, updated here) given its decision; and how many were seen before."""
    for ticket in chunk:
        if ticket.ticket_id not in known and (stored := store.get_decision(ticket.ticket_id)) is not None:
            known[ticket.ticket_id] = stored
    fresh: dict[str, Ticket] = {}
    for ticket in chunk:
        if ticket.ticket_id not in known:
            fresh.setdefault(ticket.ticket_id, ticket)  # an id twice in one chunk: its first copy decides
    made = {d.ticket_id: d for d in router.route_many(list(fresh.values()), save=True)} if fresh else {}
    out = [known.get(t.ticket_id) or made[t.ticket_id] for t in chunk]
    repeated = len(chunk) - len(made)
    known.update(made)
    return out, repeated


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
    # Kept after the demo (replaced by the next one), so the dashboard and `route` can be tried on it.
    path = default_data_dir() / "demo.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    settings = settings_with(db=path)
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
                  "a few past tickets; a fresh demo database each run.[/dim]")
    console.print(next_steps(path), soft_wrap=True, highlight=False)


def next_steps(path: Path) -> str:
    """Where the demo left its database, and what to try next."""
    db = escape(shlex.quote(str(path)))
    return (f"\n[bold]The demo database is {escape(str(path))}[/bold] (replaced by the next demo).\n"
            "Try next:\n"
            f"  ticket-router dashboard --db {db}    # browse these decisions (pip install "
            f"'ticket-router\\[dashboard]')\n"
            f"  ticket-router serve --db {db}        # the HTTP API (pip install 'ticket-router\\[service]'; "
            f"a key: ticket-router keys create --db {db})\n"
            f"  ticket-router route my-tickets.jsonl --db {db}   # your own file: .jsonl, .json or .csv\n"
            f"  ticket-router route --text \"No internet since 6am\" --customer C-1001 --db {db}")
