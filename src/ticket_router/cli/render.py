"""Readable terminal output for decisions and batch summaries (rich)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ticket_router.domain import Decision

PRIORITY_STYLE = {"P0": "bold white on red", "P1": "bold red", "P2": "yellow", "P3": "green"}


def decision_panel(decision: Decision, title: str | None = None) -> Panel:
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    head.add_row("Team", Text(decision.team.value, style="bold cyan"))
    head.add_row("Priority", Text(f" {decision.priority.value} ", style=PRIORITY_STYLE[decision.priority.value]))
    head.add_row("Category", decision.category.value)
    alternatives = ", ".join(f"{a.team.value} {a.confidence:.2f}" for a in decision.alternatives)
    head.add_row("Confidence", f"{decision.confidence:.2f}  (alternatives: {alternatives or 'none'})")
    review = Text("yes — " + "; ".join(decision.review_reasons), style="bold magenta") if decision.needs_review \
        else Text("no")
    head.add_row("Needs review", review)
    found = {k: v for k, v in decision.entities.items() if v}
    head.add_row("Entities", ", ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}"
                                       for k, v in found.items()) or "none")
    factors = Table("factor", "weight", "points", "why", box=None, pad_edge=False, header_style="dim")
    for name, factor in decision.priority_factors.items():
        factors.add_row(name.replace("_", " "), f"{factor.weight:.0%}", f"{factor.points:g}", factor.detail)
    factors.add_row("[bold]score[/bold]", "", f"[bold]{decision.priority_score:g}[/bold]", "")
    body = Group(head, Text(""), factors, Text(""), Text(decision.reasoning, style="italic"))
    subtitle = f"{decision.model.name} v{decision.model.version} · {decision.processing_ms:.1f} ms"
    return Panel(body, title=title or decision.ticket_id, subtitle=subtitle, title_align="left")


def summary_table(decisions: Sequence[Decision], rejected: int, seconds: float) -> Table:
    table = Table(title="Routing summary", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    count = len(decisions)
    table.add_row("Routed", f"{count} tickets in {seconds:.2f} s" + (f" ({rejected} rejected)" if rejected else ""))
    if count:
        teams = Counter(d.team.value for d in decisions)
        priorities = Counter(d.priority.value for d in decisions)
        table.add_row("Teams", ", ".join(f"{t}: {n}" for t, n in teams.most_common()))
        table.add_row("Priorities", ", ".join(f"{p}: {priorities[p]}" for p in sorted(priorities)))
        table.add_row("Avg confidence", f"{sum(d.confidence for d in decisions) / count:.2f}")
        table.add_row("Avg time", f"{sum(d.processing_ms for d in decisions) / count:.2f} ms per ticket")
        review = sum(d.needs_review for d in decisions)
        table.add_row("Needs review", f"{review} ({review / count:.0%})")
    return table


def print_summary(console: Console, decisions: Sequence[Decision], rejected: int, seconds: float) -> None:
    console.print(summary_table(decisions, rejected, seconds))
