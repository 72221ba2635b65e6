"""Analytics: how routing went over a period, and how often agents agreed with it (the production measure)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ticket_router.dashboard import services, theme
from ticket_router.store.base import DecisionRow
from ticket_router.stats import Stats, confusion, latest_per_ticket

PERIODS: dict[str, int | None] = {"Last 24 hours": 1, "Last 7 days": 7, "Last 30 days": 30, "Last 90 days": 90,
                                  "All time": None}
DEFAULT_PERIOD = "Last 30 days"


def render() -> None:
    ctx = services.context()
    head, pick = st.columns([2, 3], vertical_alignment="bottom")
    head.title("Analytics")
    period = pick.radio("Period", list(PERIODS), index=list(PERIODS).index(DEFAULT_PERIOD), horizontal=True,
                        label_visibility="collapsed", key="analytics.period")
    since = services.since_days(PERIODS[period])
    stats = services.stats(ctx, since)
    if stats.count == 0:
        st.info(f"No tickets were routed in this period ({period.lower()}). Route one on **Route a ticket**, upload a "
                "file on **Batch**, or choose a longer period.", icon=":material/monitoring:")
        return
    decisions = latest_per_ticket(services.rows(ctx, since))
    feedback = services.feedback(ctx)

    _kpis(stats)
    left, right = st.columns([2, 1], gap="large")
    with left:
        st.markdown("##### Tickets per day, by team")
        st.plotly_chart(_per_day(stats), config=theme.chart_config(), key="an-per-day")
    with right:
        st.markdown("##### Team share")
        st.plotly_chart(_team_share(stats), config=theme.chart_config(), key="an-teams")

    c1, c2, c3 = st.columns(3, gap="large")
    with c1:
        st.markdown("##### Priority")
        st.plotly_chart(_bars(stats.by_priority, theme.PRIORITY_ORDER, theme.PRIORITY_COLORS),
                        config=theme.chart_config(), key="an-priority")
    with c2:
        st.markdown("##### Category")
        st.plotly_chart(_bars(stats.by_category, theme.CATEGORY_ORDER, theme.CATEGORY_COLORS, horizontal=True),
                        config=theme.chart_config(), key="an-category")
    with c3:
        st.markdown("##### Confidence")
        st.plotly_chart(_confidence(decisions, ctx.settings.review_threshold), config=theme.chart_config(),
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
            st.plotly_chart(_confusion(matrix), config=theme.chart_config(), key="an-confusion")
        else:
            st.info("The confusion matrix fills in as agents confirm or correct teams.", icon=":material/grid_on:")

    r1, r2 = st.columns(2, gap="large")
    with r1:
        st.markdown("##### Review rate per day")
        st.plotly_chart(_review_rate(stats), config=theme.chart_config(), key="an-review")
    with r2:
        st.markdown("##### Latency")
        figure, caption = _latency(decisions)
        st.plotly_chart(figure, config=theme.chart_config(), key="an-latency")
        st.caption(caption)


def _kpis(stats: Stats) -> None:
    cols = st.columns(6)
    cols[0].metric("Tickets", theme.count(stats.count))
    cols[1].metric("Avg confidence", theme.conf(stats.avg_confidence))
    cols[2].metric("Review rate", theme.pct(stats.review_rate))
    cols[3].metric("Avg latency", theme.ms(stats.avg_latency_ms))
    cols[4].metric("Judged by agents", theme.count(stats.feedback_count),
                   help="Tickets with agents' feedback (the latest feedback per ticket counts).")
    cols[5].metric("Team accuracy", theme.pct(stats.accuracy, 1),
                   help="Share of judged tickets whose routed team the agent confirmed. Priority accuracy: "
                        + theme.pct(stats.priority_accuracy, 1))


def _days(stats: Stats) -> list[date]:
    return [day.day for day in stats.per_day]


def _per_day(stats: Stats) -> go.Figure:
    figure = go.Figure()
    for team in theme.TEAM_ORDER:
        values = [day.by_team.get(team, 0) for day in stats.per_day]
        if any(values):
            figure.add_bar(x=_days(stats), y=values, name=team, marker_color=theme.TEAM_COLORS[team],
                           hovertemplate=f"{team}: %{{y}}<extra>%{{x|%d %b}}</extra>")
    figure.update_layout(barmode="stack", bargap=0.15)
    figure.update_xaxes(tickformat="%d %b")
    return theme.style(figure, height=320)


def _team_share(stats: Stats) -> go.Figure:
    teams = [t for t in theme.TEAM_ORDER if stats.by_team.get(t)]
    figure = go.Figure(go.Pie(labels=teams, values=[stats.by_team[t] for t in teams], hole=0.55, sort=False,
                              marker_colors=[theme.TEAM_COLORS[t] for t in teams], textinfo="percent",
                              hovertemplate="%{label}: %{value} (%{percent})<extra></extra>"))
    figure.update_layout(annotations=[{"text": theme.count(stats.count), "showarrow": False, "font_size": 20}])
    return theme.style(figure, height=320)


def _bars(counts: dict[str, int], order: list[str], colors: dict[str, str], horizontal: bool = False) -> go.Figure:
    names = [n for n in order if counts.get(n)]
    values = [counts[n] for n in names]
    if horizontal:
        bar = go.Bar(y=names[::-1], x=values[::-1], orientation="h", marker_color=[colors[n] for n in names][::-1],
                     text=values[::-1], textposition="auto", hovertemplate="%{y}: %{x}<extra></extra>")
    else:
        bar = go.Bar(x=names, y=values, marker_color=[colors[n] for n in names], text=values, textposition="auto",
                     hovertemplate="%{x}: %{y}<extra></extra>")
    return theme.style(go.Figure(bar), height=260, legend=False)


def _confidence(decisions: list[DecisionRow], threshold: float) -> go.Figure:
    figure = go.Figure()
    for team in theme.TEAM_ORDER:
        values = [d.confidence for d in decisions if d.team.value == team]
        if values:
            figure.add_histogram(x=values, name=team, marker_color=theme.TEAM_COLORS[team],
                                 xbins={"start": 0.0, "end": 1.0001, "size": 0.05})
    figure.update_layout(barmode="stack")
    figure.add_vline(x=threshold, line_dash="dash", line_color=theme.MUTED, annotation_text="review",
                     annotation_position="top left")
    figure.update_xaxes(range=[0, 1.02])
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
    figure.update_xaxes(tickformat="%d %b")
    return theme.style(figure, height=300)


def _confusion(matrix: dict[tuple[str, str], int]) -> go.Figure:
    predicted = [t for t in theme.TEAM_ORDER if any(p == t for p, _ in matrix)]
    actual = [t for t in theme.TEAM_ORDER if any(a == t for _, a in matrix)]
    z = [[matrix.get((p, a), 0) for a in actual] for p in predicted]
    short = {t: t.split()[0] for t in theme.TEAM_ORDER}
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
    figure.update_xaxes(tickformat="%d %b")
    return theme.style(figure, height=260, legend=False)


def _latency(decisions: list[DecisionRow]) -> tuple[go.Figure, str]:
    values = pd.Series([d.processing_ms for d in decisions], dtype=float)
    p50, p95, p99 = values.quantile([0.5, 0.95, 0.99]).tolist()
    shown = values[values <= p99] if len(values) > 100 else values
    figure = go.Figure(go.Histogram(x=shown, nbinsx=40, marker_color=theme.ACCENT,
                                    hovertemplate="%{x} ms: %{y}<extra></extra>"))
    figure.update_xaxes(ticksuffix=" ms")
    caption = f"Per-ticket processing time: median {theme.ms(p50)}, p95 {theme.ms(p95)}, max {theme.ms(values.max())}"
    if len(values) > 100:
        caption += " (chart cut at p99)"
    return theme.style(figure, height=260, legend=False), caption
