"""Customers and outages: look up and import customers; declare, import and resolve outages, and see which open
tickets an outage touches. Files are read by `ingest`, with the same rules and line-numbered rejections as the CLI.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from datetime import datetime, time, timezone

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from ticket_router.dashboard import services, theme
from ticket_router.dashboard.impact import affected_tickets, open_decisions
from ticket_router.domain import Customer, Decision, Outage, Service, Severity, utcnow
from ticket_router.ingest import Accepted, Rejected, describe_validation_error, read_customers, read_outages

FLASH_KEY = "co.flash"
OPEN_TICKET_DAYS = 7
SEVERITY_COLORS = {"critical": theme.PRIORITY_COLORS["P0"], "major": theme.PRIORITY_COLORS["P1"],
                   "minor": theme.PRIORITY_COLORS["P2"]}


def render() -> None:
    ctx = services.context()
    st.title("Customers & outages")
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash, icon=":material/check:")
    outages_tab, customers_tab = st.tabs(["Outages", "Customers"])
    with outages_tab:
        _outages(ctx)
    with customers_tab:
        _customers(ctx)


def _done(message: str) -> None:
    services.invalidate()
    st.session_state[FLASH_KEY] = message
    st.rerun()


# outages ---------------------------------------------------------------------------------------------------------
def _outages(ctx: services.Context) -> None:
    now = utcnow()
    outages = services.outages(ctx)
    active = [o for o in outages if o.is_active(now)]
    st.markdown(f"##### Active outages ({len(active)})")
    if not active:
        st.info("No active outage. Declare one below when a fault is confirmed: tickets from its region about its "
                "service then get a higher priority.", icon=":material/check_circle:")
    else:
        customers = {c.customer_id: c for c in services.customers(ctx)}
        recent = services.decisions(ctx, services.since_days(OPEN_TICKET_DAYS))
        candidates = open_decisions(recent, services.feedback(ctx))
        for outage in active:
            _active_outage(ctx, outage, affected_tickets(outage, candidates, customers, now), now)

    left, right = st.columns([3, 2], gap="large")
    with left:
        _declare_form(ctx, outages, now)
    with right:
        st.markdown("##### Import outages")
        _import("outages", "outage_id,service,region,severity,started_at,ended_at,description", read_outages,
                lambda items: ctx.store.upsert_outages(items))

    ended = [o for o in outages if not o.is_active(now)]
    if ended:
        st.markdown(f"##### Resolved or scheduled ({len(ended)})")
        st.dataframe(pd.DataFrame([{
            "Outage": o.outage_id, "Service": o.service.value, "Region": o.region, "Severity": o.severity.value,
            "Started": o.started_at, "Ended": o.ended_at, "Description": o.description} for o in ended]),
            hide_index=True, column_config={
                "Started": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm"),
                "Ended": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm")})


def _active_outage(ctx: services.Context, outage: Outage, affected: list[Decision], now: datetime) -> None:
    with st.container(border=True, key=f"outage-{outage.outage_id}"):
        info, action = st.columns([5, 1], vertical_alignment="center")
        hours = (now - outage.started_at).total_seconds() / 3600
        info.markdown(
            f"{theme.badge(outage.severity.value, SEVERITY_COLORS[outage.severity.value])} &nbsp; "
            f"<b>{html.escape(outage.outage_id)}</b> &nbsp; {html.escape(outage.service.value)} in "
            f"<b>{html.escape(outage.region)}</b> &nbsp; <span style='color:{theme.MUTED}'>for {hours:.1f} h</span>"
            f"<br>{html.escape(outage.description)}", unsafe_allow_html=True)
        if action.button("Resolve", key=f"resolve-{outage.outage_id}", icon=":material/task_alt:"):
            ctx.store.resolve_outage(outage.outage_id, utcnow())
            _done(f"Outage {outage.outage_id} resolved.")
        label = f"{len(affected)} open ticket(s) affected" if affected else "No open ticket affected"
        with st.expander(label, expanded=False):
            if affected:
                st.dataframe(pd.DataFrame([{
                    "Ticket": d.ticket_id, "Customer": d.customer_id or "", "Team": d.team.value,
                    "Priority": d.priority.value, "Routed": d.decided_at, "Review": d.needs_review}
                    for d in affected]), hide_index=True, column_config={
                        "Routed": st.column_config.DatetimeColumn(format="D MMM, HH:mm")})
            else:
                st.caption(f"Tickets of the last {OPEN_TICKET_DAYS} days without feedback, from {outage.region} "
                           f"about {outage.service.value} (or no named service), show up here.")


def _declare_form(ctx: services.Context, outages: list[Outage], now: datetime) -> None:
    st.markdown("##### Declare an outage")
    regions = sorted({*ctx.store.known_regions()})
    with st.form("declare-outage", border=True):
        a, b = st.columns(2)
        outage_id = a.text_input("Outage id", value=f"OUT-{now:%Y%m%d-%H%M}")
        region = b.selectbox("Region", regions, index=None, accept_new_options=True,
                             placeholder="Pick or type a region")
        c, d = st.columns(2)
        service = c.selectbox("Service", list(Service), format_func=lambda s: s.value)
        severity = d.selectbox("Severity", list(Severity), index=1, format_func=lambda s: s.value)
        e, f = st.columns(2)
        day = e.date_input("Started (UTC date)", value=now.date())
        start = f.time_input("Started (UTC time)", value=time(now.hour, now.minute))
        description = st.text_input("Description", placeholder="e.g. Fibre cut near exchange N-04")
        submitted = st.form_submit_button("Declare outage", type="primary", icon=":material/campaign:")
    if not submitted:
        return
    if any(o.outage_id == outage_id.strip() for o in outages):
        st.error(f"An outage with id {outage_id.strip()} already exists; pick another id.")
        return
    try:
        outage = Outage(outage_id=outage_id.strip(), service=service, region=(region or "").strip(),
                        severity=severity, started_at=datetime.combine(day, start, tzinfo=timezone.utc),
                        description=description.strip())
        if not outage.outage_id or not outage.region:
            raise ValueError("the outage id and the region are required")
    except ValidationError as error:
        st.error(f"Cannot declare this outage: {describe_validation_error(error)}.")
        return
    except ValueError as error:
        st.error(f"Cannot declare this outage: {error}.")
        return
    ctx.store.upsert_outages([outage])
    _done(f"Outage {outage.outage_id} declared: {outage.service.value} in {outage.region}.")


# customers -------------------------------------------------------------------------------------------------------
def _customers(ctx: services.Context) -> None:
    search = st.text_input("Search customers", placeholder="id or name", key="co.search",
                           label_visibility="collapsed").strip()
    found = ctx.store.list_customers(search=search, limit=500) if search else services.customers(ctx)[:500]
    if found:
        st.caption(f"{len(found):,} customer(s)" + (f" matching “{search}”" if search else "")
                   + (" — the first 500 shown" if len(found) == 500 else ""))
        st.dataframe(_customer_frame(found), hide_index=True, column_config={
            "VIP": st.column_config.CheckboxColumn("VIP")})
    elif search:
        st.info(f"No customer matches “{search}”.", icon=":material/search_off:")
    else:
        st.info("No customers yet. Import a CSV below: tickets from known customers get their VIP standing, "
                "account type and region.", icon=":material/group_add:")
    st.markdown("##### Import customers")
    _import("customers", "customer_id,name,vip,account_type,plan,region", read_customers,
            lambda items: ctx.store.upsert_customers(items))


def _customer_frame(customers: Iterable[Customer]) -> pd.DataFrame:
    return pd.DataFrame([{"Customer": c.customer_id, "Name": c.name, "VIP": c.vip, "Type": c.account_type.value,
                          "Plan": c.plan, "Region": c.region} for c in customers])


# import ----------------------------------------------------------------------------------------------------------
def _import(kind: str, columns: str, reader: Callable, save: Callable[[list], int]) -> None:  # type: ignore[type-arg]
    uploaded = st.file_uploader(f"{kind.capitalize()} CSV", type=["csv"], key=f"co.import.{kind}",
                                help=f"Columns: {columns}")
    if uploaded is None:
        st.caption(f"CSV with the header `{columns}`. Existing ids are updated.")
        return
    items = list(reader(uploaded.getvalue()))
    accepted = [item.record for item in items if isinstance(item, Accepted)]
    rejected = [item for item in items if isinstance(item, Rejected)]
    st.markdown(f"{len(accepted):,} valid, {len(rejected):,} rejected.")
    if rejected:
        st.code("\n".join(str(item) for item in rejected[:50]), language=None, wrap_lines=True)
    if st.button(f"Import {len(accepted):,} {kind}", key=f"co.import.{kind}.go", disabled=not accepted,
                 type="primary"):
        count = save(accepted)
        _done(f"Imported {count:,} {kind}" + (f"; {len(rejected):,} rejected." if rejected else "."))
