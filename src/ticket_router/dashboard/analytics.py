"""Analytics: how routing went over a period, and how often agents agreed with it (the production measure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ticket_router.dashboard import services, theme
from ticket_router.domain import IMPORTED_ENGINE, utcnow
from ticket_router.store.base import DecisionRow
from ticket_router.stats import Stats, confusion, latest_per_ticket

PERIODS: dict[str, int | None] = {"24 hours": 1, "7 days": 7, "30 days": 30, "90 days": 90, "All time": None}
CUSTOM = "Custom…"
DEFAULT_PERIOD = "30 days"
CONFIDENCE_BINS = 20
LATENCY_BINS = 40
PERIOD_KEY = "analytics.period"
RANGE_KEY = "analytics.range"


@dataclass(frozen=True)
class Period:
    label: str
    since: datetime | None
    until: datetime | None = None


def render() -> None:
    ctx = services.context()
    st.title("Analytics")
    period = _period()
    if period is None:
        st.info("Pick the first and the last day of the period.", icon=":material/date_range:")
        return
    stats = services.stats(ctx, period.since, period.until)
    if stats.count == 0:
        st.info(f"No tickets were routed {period.label}. Route one on **Route a ticket**, upload a file on "
                "**Batch**, or choose a longer period.", icon=":material/monitoring:")
        return
    read = services.rows(ctx, period.since, period.until)
    decisions = latest_per_ticket(read)
    feedback = services.feedback(ctx)
    if len(read) >= services.DECISION_LIMIT:
        st.caption(f"Figures over the latest {services.DECISION_LIMIT:,} decisions of this period; choose a shorter "
                   "period to see all of it.")

    # history loaded from a previous system (store/seed.py) was never timed here
    timed = pd.Series([d.processing_ms for d in decisions if d.engine != IMPORTED_ENGINE], dtype=float)
    _kpis(stats, timed)
    pal = theme.palette(ctx.policy())
    left, right = st.columns([2, 1], gap="large")
    with left:
        st.markdown("##### Tickets per day, by team")
        st.plotly_chart(_per_day(stats, pal), config=theme.chart_config(), key="an-per-day")
    with right:
        st.markdown("##### Team share")
        st.plotly_chart(_team_share(stats, pal), config=theme.chart_config(), key="an-teams")

    c1, c2, c3 = st.columns(3, gap="large")
    with c1:
        st.markdown("##### Priority")
        st.plotly_chart(theme.bars(stats.by_priority, theme.PRIORITY_ORDER, theme.PRIORITY_COLORS),
                        config=theme.chart_config(), key="an-priority")
    with c2:
        st.markdown("##### Category")
        st.plotly_chart(theme.bars(stats.by_category, theme.ordered(pal.category_order, stats.by_category),
                                   pal.category_colors, horizontal=True),
                        config=theme.chart_config(), key="an-category")
    with c3:
        st.markdown("##### Confidence")
        st.plotly_chart(_confidence(decisions, ctx.review_threshold, pal), config=theme.chart_config(),
                        key="an-confidence")

    a1, a2 = st.columns(2, gap="large")
    with a1:
        st.markdown("##### Accuracy against agents' feedback")
        if stats.feedback_count:
            st.plotly_chart(_accuracy(stats), config=theme.chart_config(), key="an-accuracy")
        else:
            st.info("No feedback on these tickets yet. Accept or correct tickets in the **Review queue** (or send "
                    "feedback through the API) and their accuracy shows here.", icon=":material/fact_check:")
    with a2:
        st.markdown("##### Predicted vs actual team")
        matrix = confusion(decisions, feedback)
        if matrix:
            st.plotly_chart(_confusion(matrix, pal), config=theme.chart_config(), key="an-confusion")
        else:
            st.info("The confusion matrix fills in as agents confirm or correct teams.", icon=":material/grid_on:")

    r1, r2 = st.columns(2, gap="large")
    with r1:
        st.markdown("##### Review rate per day")
        st.plotly_chart(_review_rate(stats), config=theme.chart_config(), key="an-review")
    with r2:
        st.markdown("##### Latency")
        if timed.empty:
            st.info("Only imported history in this period: no routing time to show.", icon=":material/timer:")
        else:
            figure, caption = _latency(timed)
            st.plotly_chart(figure, config=theme.chart_config(), key="an-latency")
            st.caption(caption)


def _period(today: date | None = None) -> Period | None:
    """The period picked above the charts: a preset ending now, or whole UTC days from a custom range."""
    choice = st.segmented_control("Period", [*PERIODS, CUSTOM], default=DEFAULT_PERIOD, key=PERIOD_KEY,
                                  label_visibility="collapsed") or DEFAULT_PERIOD
    if choice != CUSTOM:
        days = PERIODS[choice]
        return Period("in the last " + choice if days else "yet", services.since_days(days))
    today = today or utcnow().date()
    picked = st.date_input("From – to (UTC days)", value=(today - timedelta(days=6), today), max_value=today,
                           key=RANGE_KEY, format="YYYY-MM-DD")
    if not isinstance(picked, (tuple, list)) or len(picked) != 2:
        return None
    first, last = picked
    return Period(f"between {first:%d %b %Y} and {last:%d %b %Y}", _midnight(first),
                  _midnight(last + timedelta(days=1)))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=timezone.utc)


def _kpis(stats: Stats, timed: pd.Series) -> None:
    cols = st.columns(6)
    cols[0].metric("Tickets", theme.count(stats.count))
    cols[1].metric("Avg confidence", theme.conf(stats.avg_confidence))
    cols[2].metric("Review rate", theme.pct(stats.review_rate))
    cols[3].metric("Median latency", theme.ms(None if timed.empty else float(timed.median())),
                   help="Routing time per ticket, as the engine measured it (imported history has none).")
    cols[4].metric("With feedback", theme.count(stats.feedback_count),
                   help="Tickets an agent accepted or corrected (the latest feedback per ticket counts).")
    cols[5].metric("Team accuracy", theme.pct(stats.accuracy, 1),
                   help="Share of judged tickets whose routed team the agent confirmed. Priority accuracy: "
                        + theme.pct(stats.priority_accuracy, 1))


def _days(stats: Stats) -> list[date]:
    return [day.day for day in stats.per_day]


def _day_axis(figure: go.Figure, days: list[date]) -> None:
    """The same day axis on every per-day chart: the period's days, a whole day per tick, at most about 8 ticks."""
    first, last = min(days), max(days)
    step = max(1, -(-((last - first).days + 1) // 8))
    figure.update_xaxes(type="date", tickformat="%d %b", dtick=step * 86_400_000, tick0=first.isoformat(),
                        range=[(datetime.combine(first, time()) - timedelta(hours=12)).isoformat(),
                               (datetime.combine(last, time()) + timedelta(hours=12)).isoformat()])


def _per_day(stats: Stats, pal: theme.Palette) -> go.Figure:
    figure = go.Figure()
    for team in theme.ordered(pal.team_order, stats.by_team):
        values = [day.by_team.get(team, 0) for day in stats.per_day]
        if any(values):
            figure.add_bar(x=_days(stats), y=values, name=team, marker_color=pal.team_colors.get(team, theme.MUTED),
                           hovertemplate=f"{team}: %{{y}}<extra>%{{x|%d %b}}</extra>")
    figure.update_layout(barmode="stack", bargap=0.15)
    _day_axis(figure, _days(stats))
    return theme.style(figure, height=320)


def _team_share(stats: Stats, pal: theme.Palette) -> go.Figure:
    teams = [t for t in theme.ordered(pal.team_order, stats.by_team) if stats.by_team.get(t)]
    figure = go.Figure(go.Pie(labels=teams, values=[stats.by_team[t] for t in teams], hole=0.55, sort=False,
                              marker_colors=[pal.team_colors.get(t, theme.MUTED) for t in teams], textinfo="percent",
                              hovertemplate="%{label}: %{value} (%{percent})<extra></extra>"))
    figure.update_layout(annotations=[{"text": theme.count(stats.count), "showarrow": False, "font_size": 20}])
    return theme.style(figure, height=320)


def _confidence(decisions: list[DecisionRow], threshold: float, pal: theme.Palette) -> go.Figure:
    """Stacked per team, binned here rather than in the browser: 20 bars per team instead of every decision."""
    edges = np.linspace(0.0, 1.0, CONFIDENCE_BINS + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    figure = go.Figure()
    for team in theme.ordered(pal.team_order, (d.team.value for d in decisions)):
        values = [d.confidence for d in decisions if d.team.value == team]
        if values:
            counts, _ = np.histogram(values, bins=edges)  # the last bin includes 1.0
            figure.add_bar(x=centres, y=counts, width=1 / CONFIDENCE_BINS, name=team,
                           marker_color=pal.team_colors.get(team, theme.MUTED), marker_line_width=0,
                           hovertemplate=f"{team}: %{{y}}<extra>%{{x:.2f}}</extra>")
    figure.update_layout(barmode="stack", bargap=0)
    figure.add_vline(x=threshold, line_dash="dash", line_color=theme.MUTED)
    figure.add_annotation(x=threshold, y=1, yref="paper", yanchor="bottom", showarrow=False, font_color=theme.MUTED,
                          text=f"review below {threshold:.2f}")
    figure.update_xaxes(range=[0, 1])
    return theme.style(figure, height=260, legend=False)


def _accuracy(stats: Stats) -> go.Figure:
    days = [d for d in stats.per_day if d.accuracy is not None]
    figure = go.Figure()
    figure.add_scatter(x=[d.day for d in days], y=[d.accuracy for d in days], mode="lines+markers", name="Team",
                       line_color=theme.ACCENT, customdata=[d.feedback_count for d in days],
                       hovertemplate="team %{y:.0%} of %{customdata} judged<extra>%{x|%d %b}</extra>")
    with_priority = [d for d in days if d.priority_accuracy is not None]
    if with_priority:
        figure.add_scatter(x=[d.day for d in with_priority], y=[d.priority_accuracy for d in with_priority],
                           mode="lines+markers", name="Priority", line={"color": theme.MUTED, "dash": "dot"},
                           hovertemplate="priority %{y:.0%}<extra>%{x|%d %b}</extra>")
    figure.update_yaxes(range=[0, 1.05], tickformat=".0%")
    _day_axis(figure, _days(stats))
    return theme.style(figure, height=300)


def _confusion(matrix: dict[tuple[str, str], int], pal: theme.Palette) -> go.Figure:
    order = theme.ordered(pal.team_order, (name for pair in matrix for name in pair))
    predicted = [t for t in order if any(p == t for p, _ in matrix)]
    actual = [t for t in order if any(a == t for _, a in matrix)]
    z = [[matrix.get((p, a), 0) for a in actual] for p in predicted]
    short = {t: t.split()[0] for t in order}
    if len(set(short.values())) < len(short):  # two teams share a first word: full names
        short = {t: t for t in order}
    figure = go.Figure(go.Heatmap(
        z=z, x=[short[a] for a in actual], y=[short[p] for p in predicted], colorscale="Blues", showscale=False,
        text=z, texttemplate="%{text}", hovertemplate="routed to %{y}, actually %{x}: %{z}<extra></extra>",
    ))
    figure = theme.style(figure, height=300, legend=False)  # the house style drops axis titles; these need them
    figure.update_yaxes(autorange="reversed", title="routed to")
    figure.update_xaxes(title="agent said")
    return figure


def _review_rate(stats: Stats) -> go.Figure:
    figure = go.Figure(go.Scatter(
        x=_days(stats), y=[d.review_rate for d in stats.per_day], mode="lines+markers", line_color=theme.ACCENT,
        fill="tozeroy", fillcolor="rgba(15,118,110,0.10)", customdata=[d.count for d in stats.per_day],
        hovertemplate="%{y:.0%} of %{customdata}<extra>%{x|%d %b}</extra>",
    ))
    figure.update_yaxes(range=[0, 1.05], tickformat=".0%")
    _day_axis(figure, _days(stats))
    return theme.style(figure, height=260, legend=False)


def _latency(values: pd.Series) -> tuple[go.Figure, str]:
    p50, p95, p99 = values.quantile([0.5, 0.95, 0.99]).tolist()
    shown = values[values <= p99] if len(values) > 100 else values
    counts, edges = np.histogram(shown, bins=LATENCY_BINS)
    figure = go.Figure(go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=counts, width=float(edges[1] - edges[0]),
                              marker_color=theme.ACCENT, marker_line_width=0,
                              hovertemplate="%{x:.1f} ms: %{y}<extra></extra>"))
    figure.update_layout(bargap=0)
    figure.update_xaxes(ticksuffix=" ms")
    caption = f"Per-ticket processing time: median {theme.ms(p50)}, p95 {theme.ms(p95)}, max {theme.ms(values.max())}"
    if len(values) > 100:
        caption += " (chart cut at p99)"
    return theme.style(figure, height=260, legend=False), caption
