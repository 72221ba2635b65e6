"""`ticket-router cost`: what the AWS deployment costs a month and per ticket at a given volume (estimate)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ticket_router.cli.common import fail, settings_with


def cost(
    tickets_per_day: Annotated[int, typer.Option("--tickets-per-day", "-n", min=1, help="Tickets a day.")],
    engine: Annotated[str, typer.Option("--engine", help="local, cascade or agent.")] = "local",
    llm_share: Annotated[float | None, typer.Option(
        "--llm-share", min=0.0, max=1.0, help="With --engine cascade: the share of tickets sent to the LLM "
                                             "(default: the measured 2.3%).")
    ] = None,
    prices: Annotated[Path | None, typer.Option("--prices", help="Your own AWS price table (JSON, same shape).")]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help="The estimate as JSON.")] = False,
) -> None:
    """Monthly and per-ticket cost of the serverless deployment (infrastructure/), from the price tables in the
    repository. Free tiers are left out."""
    from ticket_router.cost import estimate, load_prices
    from ticket_router.llm.pricing import PriceTable

    if engine not in ("local", "cascade", "agent"):
        fail(f"unknown engine {engine!r}: use local, cascade or agent")
    if llm_share is not None and engine != "cascade":
        fail("--llm-share applies to --engine cascade only")
    try:
        table = load_prices(prices)
        result = estimate(tickets_per_day, engine, table, PriceTable.load(settings_with().llm_prices),  # type: ignore[arg-type]
                          llm_share=llm_share)
    except (OSError, ValueError, KeyError) as error:
        fail(f"cannot estimate from the price tables: {error}")
    console = Console(highlight=False)
    if as_json:
        console.print_json(result.model_dump_json())
        return
    rows = Table(title=f"{tickets_per_day:,} tickets a day, engine {engine} ({table['region']}, USD)")
    rows.add_column("service")
    rows.add_column("per month", justify="right")
    rows.add_column("usage")
    for line in result.lines:
        rows.add_row(line.service, f"${line.monthly_usd:,.2f}", line.detail)
    rows.add_row("[bold]total[/bold]", f"[bold]${result.monthly_usd:,.2f}[/bold]", "")
    console.print(rows)
    console.print(f"per ticket: ${result.per_ticket_usd:.5f}")
