"""Readable terminal output for decisions and batch summaries (rich)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ticket_router.cli.common import counted
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
    if decision.llm is not None:
        head.add_row("LLM", llm_line(decision.llm))
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


def llm_line(llm: dict[str, Any]) -> str:
    """One line about the LLM's part in a decision (agent and cascade engines)."""
    cost = llm.get("cost_usd")
    parts = [f"{llm.get('provider')} {llm.get('model_id')}",
             "answered" if llm.get("status") == "ok" else f"failed ({llm.get('error')}), local decision kept",
             f"{llm.get('round_trips', 0)} round trip(s)",
             f"{llm.get('input_tokens', 0) + llm.get('cache_read_tokens', 0)} in + {llm.get('output_tokens', 0)} out "
             "tokens", f"{llm.get('llm_latency_ms', 0):.0f} ms", f"${cost:.4f}" if cost is not None else "cost unknown"]
    if llm.get("escalation"):
        parts.insert(0, f"asked because {llm['escalation']}")
    return " · ".join(parts)


def summary_table(decisions: Sequence[Decision], rejected: int, seconds: float) -> Table:
    table = Table(title="Routing summary", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    count = len(decisions)
    table.add_row("Routed", f"{counted(count, 'ticket')} in {seconds:.2f} s" + (f" ({rejected} rejected)" if rejected else ""))
    if count:
        teams = Counter(d.team.value for d in decisions)
        priorities = Counter(d.priority.value for d in decisions)
        table.add_row("Teams", ", ".join(f"{t}: {n}" for t, n in teams.most_common()))
        table.add_row("Priorities", ", ".join(f"{p}: {priorities[p]}" for p in sorted(priorities)))
        table.add_row("Avg confidence", f"{sum(d.confidence for d in decisions) / count:.2f}")
        table.add_row("Avg time", f"{sum(d.processing_ms for d in decisions) / count:.2f} ms per ticket")
        review = sum(d.needs_review for d in decisions)
        table.add_row("Needs review", f"{review} ({review / count:.0%})")
        asked = [d.llm for d in decisions if d.llm is not None]
        if asked:
            failed = sum(llm.get("status") != "ok" for llm in asked)
            cost = sum(llm.get("cost_usd") or 0.0 for llm in asked)
            table.add_row("LLM", f"{counted(len(asked), 'ticket')} sent ({failed} fell back to the local decision); "
                                 f"estimated cost ${cost:.4f}")
    return table


def print_summary(console: Console, decisions: Sequence[Decision], rejected: int, seconds: float) -> None:
    console.print(summary_table(decisions, rejected, seconds))
