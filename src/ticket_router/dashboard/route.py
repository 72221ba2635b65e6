"""Route a ticket: a form for one ticket, and its decision laid out for a dispatcher."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pydantic import ValidationError

from ticket_router.dashboard import services, theme
from ticket_router.domain import Customer, Decision, Ticket, utcnow
from ticket_router.ingest import describe_validation_error
from ticket_router.policy import RoutingPolicy
from ticket_router.tools.entities import Entities

RESULT_KEY = "route.last"
FACTOR_NAMES = {"vip_status": "VIP status", "issue_severity": "Issue severity", "ticket_age": "Ticket age",
                "outage_status": "Outage status"}
NO_CUSTOMER = ""


def render() -> None:
    ctx = services.context()
    st.title("Route a ticket")
    st.caption("Write or paste a ticket; its decision is stored with every other, like the CLI's and the API's.")
    known = {c.customer_id: c for c in services.customers(ctx)}
    engines = services.available_engines()

    with st.form("route-form", clear_on_submit=False, border=True):
        subject = st.text_input("Subject", max_chars=300, placeholder="e.g. No internet since this morning",
                                key="route.subject")
        description = st.text_area("Description", height=140, key="route.description",
                                   placeholder="What the customer wrote: symptoms, place, amounts, error codes…")
        left, right = st.columns([3, 1])
        customer_id = left.selectbox(
            "Customer", [NO_CUSTOMER, *known], format_func=lambda cid: _customer_label(known.get(cid)),
            help="Known customers come from the Customers page; pick none for an unknown sender.", key="route.customer",
        )
        # no key: the default follows the sidebar's engine whenever that changes
        engine = right.selectbox("Engine", engines, index=engines.index(ctx.engine) if ctx.engine in engines else 0,
                                 help="Defaults to the sidebar's engine.")
        submitted = st.form_submit_button("Route ticket", type="primary", icon=":material/send:")

    if submitted:
        _route(ctx, subject, description, customer_id or None, engine)

    last = st.session_state.get(RESULT_KEY)
    if last is None:
        st.info("Fill in a subject or a description and press **Route ticket**. The team, priority, confidence "
                "and the reasons behind them appear here.", icon=":material/info:")
        return
    ticket, decision, policy = last
    show_decision(ticket, decision, known.get(decision.customer_id or ""), policy)


def _customer_label(customer: Customer | None) -> str:
    if customer is None:
        return "No customer (unknown sender)"
    flags = " · VIP" if customer.vip else ""
    return f"{customer.customer_id} · {customer.name or 'unnamed'} · {customer.region or 'no region'}{flags}"


def _route(ctx: services.Context, subject: str, description: str, customer_id: str | None, engine: str) -> None:
    try:
        ticket = Ticket(ticket_id=f"WEB-{utcnow():%Y%m%d-%H%M%S-%f}", subject=subject, description=description,
                        customer_id=customer_id, channel="dashboard")
    except ValidationError as error:
        st.warning(f"Cannot route this ticket: {describe_validation_error(error)}. Write a subject or a description.",
                   icon=":material/edit:")
        return
    with st.spinner("Routing…"):
        decision = ctx.router(engine).route_many([ticket])[0]
    services.invalidate()
    st.session_state[RESULT_KEY] = (ticket, decision, ctx.policy())


def show_decision(ticket: Ticket, decision: Decision, customer: Customer | None, policy: RoutingPolicy) -> None:
    st.subheader(theme.esc(ticket.subject or ticket.description[:80] or ticket.ticket_id), divider="gray")
    cards = st.columns(4)
    cards[0].markdown(theme.card("Team", theme.team_badge(decision.team.value, policy), "routed to"), unsafe_allow_html=True)
    cards[1].markdown(theme.card("Priority", theme.priority_badge(decision.priority.value),
                                theme.PRIORITY_MEANING[decision.priority.value]), unsafe_allow_html=True)
    cards[2].markdown(theme.card("Category", theme.esc(decision.category.value),
                                 "also " + ", ".join(c.value for c in decision.secondary_categories)
                                 if decision.secondary_categories else "single issue"), unsafe_allow_html=True)
    cards[3].markdown(theme.card("Confidence", theme.conf(decision.confidence),
                                 f"review below {policy.review_threshold:.2f}"), unsafe_allow_html=True)

    if decision.needs_review:
        st.warning("**Sent to the review queue:** " + theme.esc("; ".join(decision.review_reasons)),
                   icon=":material/flag:")
    else:
        st.success("Confident enough to route without review.", icon=":material/check_circle:")

    left, right = st.columns([1, 1], gap="large")
    with left:
        st.markdown("##### Team confidence")
        st.plotly_chart(_alternatives_chart(decision, policy), config=theme.chart_config(), key="route-alternatives")
    with right:
        st.markdown("##### Customer")
        st.markdown(_customer_line(decision, customer), unsafe_allow_html=True)
        st.markdown("##### Entities found")
        found = _entity_labels(decision)
        st.markdown(theme.chips(found) if found else "_Nothing specific: no ids, amounts, services or places._",
                    unsafe_allow_html=bool(found))

    st.markdown("##### Priority factors")
    st.dataframe(_factors_frame(decision), hide_index=True, column_config={
        "Weight": st.column_config.NumberColumn(format="%.0f%%"),
        "Value": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="%.2f"),
        "Points": st.column_config.NumberColumn(format="%.1f"),
    })
    thresholds = ", ".join(f"{p.value} ≥ {v:g}" for p, v in policy.score_thresholds.items())
    st.caption(f"Score **{decision.priority_score:g} / 100** → {decision.priority.value} (thresholds: {thresholds}; "
               "explicit rules such as VIP outages can raise it).")

    st.markdown("##### Reasoning")
    st.markdown(f'<div class="tr-card">{theme.esc_lines(decision.reasoning)}</div>', unsafe_allow_html=True)
    st.caption(theme.esc(f"Ticket {decision.ticket_id} · engine {decision.engine} · model {decision.model.name} "
                         f"v{decision.model.version} · {decision.policy_version} · "
                         f"{theme.ms(decision.processing_ms)}"))


def _alternatives_chart(decision: Decision, policy: RoutingPolicy) -> go.Figure:
    scores = {decision.team.value: decision.confidence}
    for alternative in decision.alternatives:
        scores.setdefault(alternative.team.value, alternative.confidence)
    teams = sorted(scores, key=scores.get)  # type: ignore[arg-type]
    figure = go.Figure(go.Bar(
        x=[scores[t] for t in teams], y=teams, orientation="h",
        marker_color=[theme.team_color(t, policy) for t in teams],
        text=[f"{scores[t]:.2f}" for t in teams], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:.2f}<extra></extra>",
    ))
    figure.update_xaxes(range=[0, 1.1], tickformat=".1f")
    return theme.style(figure, height=60 + 38 * len(teams), legend=False)


def _customer_line(decision: Decision, customer: Customer | None) -> str:
    if customer is None:
        return "Unknown sender: treated as a standard consumer."
    parts = [theme.esc(f"{customer.name or customer.customer_id} ({customer.customer_id})"),
             theme.esc(f"{customer.account_type.value}, {customer.plan or 'no plan'}, "
                       f"region {customer.region or '—'}")]
    if customer.vip:
        parts.insert(0, theme.badge("VIP", theme.PRIORITY_COLORS["P1"]))
    if decision.prior_tickets:
        parts.append(f"{decision.prior_tickets} recent ticket(s)")
    if decision.active_outages:
        parts.append("in outage " + theme.esc(", ".join(decision.active_outages)))
    return " · ".join(parts)


def _entity_labels(decision: Decision) -> list[str]:
    try:
        entities = Entities.model_validate(decision.entities)
    except ValidationError:  # another engine's shape: show its values, never a raw dict or list
        return [f"{key.replace('_', ' ')}: {_plain(value)}" for key, value in decision.entities.items() if value]
    labels = [f"service: {s.value}" for s in entities.services]
    if entities.region:
        labels.append(f"region: {entities.region}")
    if entities.postcode:
        labels.append(f"postcode: {entities.postcode}")
    return labels + entities.summary()


def _plain(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {_plain(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple, set)):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def _factors_frame(decision: Decision) -> pd.DataFrame:
    rows = [{"Factor": FACTOR_NAMES.get(name, name.replace("_", " ").capitalize()), "Weight": factor.weight * 100, "Value": factor.value,
             "Points": factor.points, "Why": factor.detail} for name, factor in decision.priority_factors.items()]
    return pd.DataFrame(rows, columns=["Factor", "Weight", "Value", "Points", "Why"])
