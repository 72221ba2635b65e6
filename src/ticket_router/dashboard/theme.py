"""One look for every page: the team, priority and category colours, chart styling and number formatting.

A team has the same colour in every chart and badge, so a manager can read a page by colour alone.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from ticket_router.domain import Category, Priority, Team
from ticket_router.policy import DEFAULT_CATEGORY_TEAM

# Colour-blind-safe hues (Okabe-Ito family), dark enough for white text.
TEAM_COLORS: dict[str, str] = {
    Team.NETWORK_OPERATIONS.value: "#0072B2",
    Team.BILLING_SUPPORT.value: "#D55E00",
    Team.TECHNICAL_SUPPORT.value: "#009E73",
    Team.ACCOUNT_MANAGEMENT.value: "#8E44AD",
}
TEAM_ORDER: list[str] = [team.value for team in Team]

PRIORITY_COLORS: dict[str, str] = {"P0": "#B91C1C", "P1": "#EA580C", "P2": "#CA8A04", "P3": "#64748B"}
PRIORITY_ORDER: list[str] = [p.value for p in Priority]
PRIORITY_MEANING: dict[str, str] = {
    "P0": "critical — act now",
    "P1": "high — within hours",
    "P2": "normal — today",
    "P3": "low — when free",
}

# A category wears the colour of the team it routes to, so a category chart reads like the team chart.
CATEGORY_COLORS: dict[str, str] = {cat.value: TEAM_COLORS[team.value] for cat, team in DEFAULT_CATEGORY_TEAM.items()}
CATEGORY_ORDER: list[str] = [cat.value for cat in Category]

ACCENT = "#0F766E"
MUTED = "#64748B"

CSS = """
<style>
  .block-container {padding-top: 2.2rem; padding-bottom: 2rem; max-width: 1280px;}
  h1 {font-size: 1.8rem !important;}
  .tr-card {border: 1px solid #E2E8F0; border-radius: 10px; padding: 0.7rem 0.9rem; background: #FFFFFF;
            height: 100%;}
  .tr-card .tr-label {color: #64748B; font-size: 0.78rem; text-transform: uppercase; letter-spacing: .04em;}
  .tr-card .tr-value {font-size: 1.35rem; font-weight: 650; line-height: 1.6; color: #0F172A;}
  .tr-card .tr-sub {color: #64748B; font-size: 0.82rem;}
  .tr-badge {display: inline-block; padding: 0.1rem 0.55rem; border-radius: 999px; color: #FFFFFF;
             font-weight: 600; font-size: 0.85rem; white-space: nowrap;}
  .tr-chip {display: inline-block; padding: 0.05rem 0.5rem; margin: 0 0.3rem 0.3rem 0; border-radius: 6px;
            background: #F1F5F9; border: 1px solid #E2E8F0; font-size: 0.85rem;}
</style>
"""


def team_color(team: str) -> str:
    return TEAM_COLORS.get(team, MUTED)


def badge(text: str, color: str) -> str:
    """An HTML pill; `text` is escaped, so it is safe for any value."""
    return f'<span class="tr-badge" style="background:{color}">{html.escape(text)}</span>'


def team_badge(team: str) -> str:
    return badge(team, team_color(team))


def priority_badge(priority: str) -> str:
    return badge(priority, PRIORITY_COLORS.get(priority, MUTED))


def card(label: str, value_html: str, sub: str = "") -> str:
    """A labelled figure; `value_html` must already be safe HTML (a badge or escaped text)."""
    sub_html = f'<div class="tr-sub">{html.escape(sub)}</div>' if sub else ""
    return (f'<div class="tr-card"><div class="tr-label">{html.escape(label)}</div>'
            f'<div class="tr-value">{value_html}</div>{sub_html}</div>')


def chips(values: Iterable[str]) -> str:
    return "".join(f'<span class="tr-chip">{html.escape(v)}</span>' for v in values)


def pct(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:.{digits}%}"


def conf(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f} ms" if value < 100 else f"{value:,.0f} ms"


def count(value: int) -> str:
    return f"{value:,}"


def style(fig: Any, height: int = 300, legend: bool = True) -> Any:
    """House style for a plotly figure: white, compact margins, legend on top, readable at 1280×800."""
    fig.update_layout(
        template="plotly_white",
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        font={"size": 13},
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None},
        hoverlabel={"font_size": 13},
    )
    fig.update_xaxes(title=None)
    fig.update_yaxes(title=None)
    return fig


def chart_config() -> dict[str, Any]:
    return {"displayModeBar": False}
