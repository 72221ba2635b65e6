"""One look for every page: the team, priority and category colours, chart styling and number formatting.

A team has the same colour in every chart and badge, so a manager can read a page by colour alone.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from ticket_router.domain import Priority, Team
from ticket_router.policy import DEFAULT_POLICY, RoutingPolicy

# Colour-blind-safe hues (Okabe-Ito family), dark enough for white text: the built-in teams keep theirs under any
# policy, so a manager who knows the default dashboard reads an operator's at a glance.
BUILTIN_TEAM_COLORS: dict[str, str] = {
    Team.NETWORK_OPERATIONS.value: "#0072B2",
    Team.BILLING_SUPPORT.value: "#D55E00",
    Team.TECHNICAL_SUPPORT.value: "#009E73",
    Team.ACCOUNT_MANAGEMENT.value: "#8E44AD",
}
# A policy's own teams take these by position (the order the policy first names them), after the built-in ones:
# colour-blind-safe (Tol's muted and Okabe-Ito sets), distinct from the four above; repeated past the eighth.
EXTRA_TEAM_COLORS: tuple[str, ...] = ("#CC79A7", "#B8860B", "#332288", "#661100", "#882255", "#44AA99", "#999933",
                                      "#AA4499")


class Palette(NamedTuple):
    """The policy's teams and categories in their usual order, each with its colour."""

    team_order: list[str]
    team_colors: dict[str, str]
    category_order: list[str]
    category_colors: dict[str, str]


def palette(policy: RoutingPolicy = DEFAULT_POLICY) -> Palette:
    teams = [t.value for t in policy.teams]
    own = [t for t in teams if t not in BUILTIN_TEAM_COLORS]
    colors = {t: BUILTIN_TEAM_COLORS.get(t) or EXTRA_TEAM_COLORS[own.index(t) % len(EXTRA_TEAM_COLORS)]
              for t in teams}
    # A category wears the colour of the team it routes to, so a category chart reads like the team chart.
    categories = {c.value: colors[t.value] for c, t in policy.category_team.items()}
    return Palette(teams, colors, list(categories), categories)


def ordered(order: list[str], seen: Iterable[str]) -> list[str]:
    """`order`, then any name seen that it lacks (a team of decisions made under an earlier policy), sorted."""
    return order + sorted(set(seen) - set(order))


PRIORITY_COLORS: dict[str, str] = {"P0": "#B91C1C", "P1": "#EA580C", "P2": "#CA8A04", "P3": "#64748B"}
PRIORITY_ORDER: list[str] = [p.value for p in Priority]
PRIORITY_MEANING: dict[str, str] = {
    "P0": "critical — act now",
    "P1": "high — within hours",
    "P2": "normal — today",
    "P3": "low — when free",
}

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


_INERT = {ord(c): f"&#{ord(c)};" for c in string.punctuation}


def esc(text: object) -> str:
    """Text a customer or a file wrote, made inert for `st.markdown` and every widget that renders Markdown: each
    ASCII punctuation mark becomes an HTML character reference, so neither HTML nor Markdown (links, images, lists,
    `$…$` maths, `:icon:` codes) can act. Line breaks become spaces: one inline line."""
    return " ".join(str(text).translate(_INERT).split("\n"))


def esc_lines(text: object) -> str:
    """`esc`, keeping the line breaks as `<br>` (for `st.markdown(..., unsafe_allow_html=True)` only)."""
    return "<br>".join(str(text).replace("\r\n", "\n").translate(_INERT).split("\n"))


def team_color(team: str, policy: RoutingPolicy = DEFAULT_POLICY) -> str:
    """The team's colour under `policy`; grey for a team it does not have (a decision under an earlier policy)."""
    return palette(policy).team_colors.get(team, MUTED)


def badge(text: str, color: str) -> str:
    """An HTML pill; `text` is escaped, so it is safe for any value."""
    return f'<span class="tr-badge" style="background:{color}">{esc(text)}</span>'


def team_badge(team: str, policy: RoutingPolicy = DEFAULT_POLICY) -> str:
    return badge(team, team_color(team, policy))


def priority_badge(priority: str) -> str:
    return badge(priority, PRIORITY_COLORS.get(priority, MUTED))


def card(label: str, value_html: str, sub: str = "") -> str:
    """A labelled figure; `value_html` must already be safe HTML (a badge or escaped text)."""
    sub_html = f'<div class="tr-sub">{esc(sub)}</div>' if sub else ""
    return (f'<div class="tr-card"><div class="tr-label">{esc(label)}</div>'
            f'<div class="tr-value">{value_html}</div>{sub_html}</div>')


def chips(values: Iterable[str]) -> str:
    return "".join(f'<span class="tr-chip">{esc(v)}</span>' for v in values)


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
        # stacked bars list their legend bottom-up by default; every chart lists teams in the same order
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None, "traceorder": "normal"},
        hoverlabel={"font_size": 13},
    )
    fig.update_xaxes(title=None)
    fig.update_yaxes(title=None)
    return fig


def chart_config() -> dict[str, Any]:
    return {"displayModeBar": False}


def bars(counts: Mapping[str, int], order: list[str], colors: dict[str, str], horizontal: bool = False,
         height: int = 260) -> Any:
    """Counts per name as bars in the names' usual order and colours, each labelled with its count (so the value
    axis, which would show fractions of a ticket on small counts, is hidden)."""
    import plotly.graph_objects as go

    names = [n for n in order if counts.get(n)]
    values = [counts[n] for n in names]
    marker = [colors.get(n, MUTED) for n in names]
    if horizontal:  # top to bottom in the usual order
        bar = go.Bar(y=names[::-1], x=values[::-1], orientation="h", marker_color=marker[::-1], text=values[::-1],
                     textposition="auto", insidetextanchor="end", cliponaxis=False,  # inside a bar long enough
                     hovertemplate="%{y}: %{x}<extra></extra>")
    else:
        bar = go.Bar(x=names, y=values, marker_color=marker, text=values, textposition="outside", cliponaxis=False,
                     hovertemplate="%{x}: %{y}<extra></extra>")
    figure = style(go.Figure(bar), height=height, legend=False)
    value_axis = figure.update_xaxes if horizontal else figure.update_yaxes
    # headroom for the labels outside the longest bar
    value_axis(showticklabels=False, showgrid=False, zeroline=False, range=[0, max(values, default=1) * 1.18])
    return figure
