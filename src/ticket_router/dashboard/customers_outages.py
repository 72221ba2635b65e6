"""Customers and outages: look up and import customers; declare, import and resolve outages, and see which open
tickets an outage touches. Files are read by `ingest`, with the same rules and line-numbered rejections as the CLI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, time, timezone

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from ticket_router.dashboard import services, theme
from ticket_router.dashboard.impact import affected_tickets
from ticket_router.domain import Customer, Decision, Outage, Service, Severity, utcnow
from ticket_router.ingest import describe_validation_error, read_customers, read_outages, split
from ticket_router.stats import unjudged

FLASH_KEY = "co.flash"
OPEN_TICKET_DAYS = 7
SEVERITY_COLORS = {"critical": theme.PRIORITY_COLORS["P0"], "major": theme.PRIORITY_COLORS["P1"],
                   "minor": theme.PRIORITY_COLORS["P2"]}


def render() -> None:
    ctx = services.context()
    st.title("Customers & outages")
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(theme.esc(flash), icon=":material/check:")
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
        for outage, affected in zip(active, _affected(ctx, active, now), strict=True):
            _active_outage(ctx, outage, affected, now)

    left, right = st.columns([3, 2], gap="large")
    with left:
        _declare_form(ctx, outages, now)
    with right:
        st.markdown("##### Import outages")
        _import("outages", "outage_id,service,region,severity,started_at,ended_at,description", read_outages,
                lambda items: ctx.store.upsert_outages(items))

    ended = [o for o in outages if not o.is_active(now)]
    if ended:
        head, search = st.columns([3, 2], vertical_alignment="bottom")
        head.markdown(f"##### Resolved or scheduled ({len(ended)})")
        wanted = search.text_input("Search outages", key="co.outage.search", label_visibility="collapsed",
                                   placeholder="Search by id, service, region or description").strip().casefold()
        found = [o for o in ended if wanted in " ".join(
            (o.outage_id, o.service.value, o.region, o.severity.value, o.description)).casefold()]
        if not found:
            st.info(f"No resolved or scheduled outage matches “{theme.esc(wanted)}”.", icon=":material/search_off:")
            return
        st.dataframe(pd.DataFrame([{
            "Outage": o.outage_id, "Service": o.service.value, "Region": o.region, "Severity": o.severity.value,
            "Started": o.started_at, "Ended": o.ended_at, "Description": o.description} for o in found]),
            hide_index=True, column_config={
                "Started": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm"),
                "Ended": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm")})


def _affected(ctx: services.Context, outages: list[Outage], now: datetime) -> list[list[Decision]]:
    """The open tickets each outage affects; the customers and the open tickets are gathered once for them all."""
    customers = {c.customer_id: c for c in services.customers(ctx)}
    recent = services.decisions(ctx, services.since_days(OPEN_TICKET_DAYS))
    open_now = unjudged(recent, services.feedback(ctx))
    service = ctx.policy().service_categories
    return [affected_tickets(outage, open_now, customers, now, service) for outage in outages]


def _duration(hours: float) -> str:
    if hours < 1:
        return f"{max(int(hours * 60), 0)} min"
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.0f} days"


def _active_outage(ctx: services.Context, outage: Outage, affected: list[Decision], now: datetime) -> None:
    with st.container(border=True, key=f"outage-{outage.outage_id}"):
        info, action = st.columns([5, 1], vertical_alignment="center")
        hours = (now - outage.started_at).total_seconds() / 3600
        info.markdown(
            f"{theme.badge(outage.severity.value, SEVERITY_COLORS[outage.severity.value])} &nbsp; "
            f"<b>{theme.esc(outage.outage_id)}</b> &nbsp; {theme.esc(outage.service.value)} in "
            f"<b>{theme.esc(outage.region)}</b> &nbsp; <span style='color:{theme.MUTED}'>for {_duration(hours)}</span>"
            f"<br>{theme.esc(outage.description)}", unsafe_allow_html=True)
        if action.button("Resolve", key=f"resolve-{outage.outage_id}", icon=":material/task_alt:"):
            ctx.store.resolve_outage(outage.outage_id, utcnow())
            _done(f"Outage {outage.outage_id} resolved.")
        label = f"{len(affected)} open ticket(s) affected" if affected else "No open ticket affected"
        with st.expander(label, expanded=False):
            if affected:
                st.dataframe(pd.DataFrame([{
                    "Ticket": d.ticket_id, "Customer": d.customer_id or "", "Priority": d.priority.value,
                    "Team": d.team.value, "Category": d.category.value, "Routed": d.decided_at,
                    "Review": d.needs_review} for d in affected]), hide_index=True, column_config={
                        "Routed": st.column_config.DatetimeColumn(format="D MMM, HH:mm"),
                        "Review": st.column_config.CheckboxColumn()})
            st.caption(f"Open tickets: routed in the last {OPEN_TICKET_DAYS} days, no agent feedback yet, a network "
                       f"or technical problem from {theme.esc(outage.region)} about {outage.service.value} or no "
                       "named service. Highest priority first.")


def _declare_form(ctx: services.Context, outages: list[Outage], now: datetime) -> None:
    st.markdown("##### Declare an outage")
    regions = sorted({*ctx.store.known_regions()})
    with st.form("declare-outage", border=True):
        a, b = st.columns(2)
        outage_id = a.text_input("Outage id", value=f"OUT-{now:%Y%m%d-%H%M}", key="co.outage.id")
        region = b.selectbox("Region", regions, index=None, accept_new_options=True, key="co.outage.region",
                             placeholder="Pick or type a region")
        c, d = st.columns(2)
        service = c.selectbox("Service", list(Service), format_func=lambda s: s.value, key="co.outage.service")
        severity = d.selectbox("Severity", list(Severity), index=1, format_func=lambda s: s.value,
                               key="co.outage.severity")
        e, f = st.columns(2)
        day = e.date_input("Started (UTC date)", value=now.date(), key="co.outage.day")
        start = f.time_input("Started (UTC time)", value=time(now.hour, now.minute), key="co.outage.time")
        description = st.text_input("Description", placeholder="e.g. Fibre cut near exchange N-04",
                                    key="co.outage.description")
        submitted = st.form_submit_button("Declare outage", type="primary", icon=":material/campaign:")
    if not submitted:
        return
    if any(o.outage_id == outage_id.strip() for o in outages):
        st.error(f"An outage with id {theme.esc(outage_id.strip())} already exists; pick another id.")
        return
    try:
        outage = Outage(outage_id=outage_id.strip(), service=service, region=(region or "").strip(),
                        severity=severity, started_at=datetime.combine(day, start, tzinfo=timezone.utc),
                        description=description.strip())
        if not outage.outage_id or not outage.region:
            raise ValueError("the outage id and the region are required")
    except ValidationError as error:
        st.error(f"Cannot declare this outage: {theme.esc(describe_validation_error(error))}.")
        return
    except ValueError as error:
        st.error(f"Cannot declare this outage: {theme.esc(error)}.")
        return
    ctx.store.upsert_outages([outage])
    services.invalidate()
    now = utcnow()
    what = f"Outage {outage.outage_id} declared: {outage.service.value} in {outage.region}"
    detail = (f"{len(_affected(ctx, [outage], now)[0])} open ticket(s) affected" if outage.is_active(now)
              else f"starting {outage.started_at:%d %b %H:%M} UTC")
    _done(f"{what}, {detail}.")


# customers -------------------------------------------------------------------------------------------------------
def _customers(ctx: services.Context) -> None:
    search = st.text_input("Search customers", placeholder="Search by customer id or name", key="co.search",
                           label_visibility="collapsed").strip()
    found = ctx.store.list_customers(search=search, limit=500) if search else services.customers(ctx)[:500]
    if found:
        st.caption(f"{len(found):,} customer(s)" + (f" matching “{theme.esc(search)}”" if search else "")
                   + (" — the first 500 shown" if len(found) == 500 else ""))
        st.dataframe(_customer_frame(found), hide_index=True, column_config={
            "VIP": st.column_config.CheckboxColumn("VIP")})
    elif search:
        st.info(f"No customer matches “{theme.esc(search)}”.", icon=":material/search_off:")
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
    # a new uploader key after each import empties it, so the same file is not offered for import again
    round_key = f"co.import.{kind}.round"
    uploaded = st.file_uploader(f"{kind.capitalize()} CSV", type=["csv"], help=f"Columns: {columns}",
                                key=f"co.import.{kind}.{st.session_state.get(round_key, 0)}")
    if uploaded is None:
        st.caption(f"A CSV with the header row {', '.join(columns.split(','))}. Existing ids are updated.")
        return
    accepted, rejected = split(reader(uploaded.getvalue()))
    st.markdown(f"{len(accepted):,} valid, {len(rejected):,} rejected.")
    if rejected:
        st.code("\n".join(str(item) for item in rejected[:50]), language=None, wrap_lines=True)
    if st.button(f"Import {len(accepted):,} {kind}", key=f"co.import.{kind}.go", disabled=not accepted,
                 type="primary"):
        count = save(accepted)
        st.session_state[round_key] = st.session_state.get(round_key, 0) + 1
        _done(f"Imported {count:,} {kind}" + (f"; {len(rejected):,} rejected." if rejected else "."))
