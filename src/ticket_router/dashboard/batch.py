"""Batch: upload a JSONL, JSON or CSV file, route every valid ticket, inspect, filter and download the results.

Files are read by `ingest.read_tickets`, so a record is accepted or rejected here exactly as the CLI would.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from ticket_router.dashboard import services, theme
from ticket_router.domain import Decision, Ticket
from ticket_router.ingest import InputError, Rejected, detect_format, read_tickets, split
from ticket_router.policy import RoutingPolicy

RESULT_KEY = "batch.result"
CHUNK = 200
SHOW_REJECTED = 50
_CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")
# what a dispatcher scans first fits 1280 px; the rest scrolls (the CSV keeps every column)
TABLE_ORDER = ["ticket_id", "team", "priority", "category", "confidence", "needs_review", "subject", "customer_id",
               "review_reasons", "priority_score", "processing_ms"]


@dataclass
class BatchResult:
    file_id: str
    name: str
    tickets: list[Ticket]
    decisions: list[Decision]
    rejected: list[Rejected] = field(default_factory=list)
    seconds: float = 0.0


def render() -> None:
    ctx = services.context()
    st.title("Batch")
    st.caption("Route a whole file of tickets at once. Bad records are listed by line and skipped; the rest are "
               "routed and stored.")
    uploaded = st.file_uploader("Tickets file", type=["jsonl", "ndjson", "json", "csv"],
                                help="JSONL (one ticket per line), a JSON array, or CSV with a header row.")
    if uploaded is None:
        _empty_state()
        return
    try:
        fmt = detect_format(uploaded.name)
    except InputError as error:
        st.error(theme.esc(error))
        return
    result: BatchResult | None = st.session_state.get(RESULT_KEY)
    if result is not None and result.file_id == uploaded.file_id:
        _show_result(result, ctx.policy())  # the file was read and routed already; each filter change reruns this
        return
    tickets, rejected = split(read_tickets(uploaded.getvalue(), fmt))
    st.markdown(f"**{theme.esc(uploaded.name)}**: {theme.count(len(tickets) + len(rejected))} record(s) read as {fmt.upper()} — "
                f"{theme.count(len(tickets))} valid, {theme.count(len(rejected))} rejected.")
    _show_rejected(rejected)
    if st.button(f"Route {len(tickets):,} ticket(s)", type="primary", disabled=not tickets,
                 icon=":material/play_arrow:"):
        st.session_state[RESULT_KEY] = _route(ctx, uploaded.file_id, uploaded.name, tickets, rejected)
        st.rerun()
    elif not tickets:
        st.warning("No valid ticket in this file: fix the records listed above and upload it again.")


def _empty_state() -> None:
    st.info("Upload a file to route it. Each ticket needs a `ticket_id` and a `subject` or `description`; "
            "`customer_id`, `created_at` (ISO 8601) and `channel` are optional.", icon=":material/upload_file:")
    st.code('{"ticket_id": "T-1001", "subject": "No internet", "description": "Fibre down since 7am in North", '
            '"customer_id": "C-1001"}\n'
            '{"ticket_id": "T-1002", "subject": "Charged twice", "description": "Invoice INV-2291 shows 49.99 twice"}',
            language="json", wrap_lines=True)


def _show_rejected(rejected: list[Rejected]) -> None:
    if not rejected:
        return
    shown = "\n".join(str(item) for item in rejected[:SHOW_REJECTED])
    more = f"\n… and {len(rejected) - SHOW_REJECTED:,} more" if len(rejected) > SHOW_REJECTED else ""
    st.error(f"{len(rejected):,} record(s) rejected and skipped:", icon=":material/error:")
    st.code(shown + more, language=None, wrap_lines=True)


def _route(ctx: services.Context, file_id: str, name: str, tickets: list[Ticket],
           rejected: list[Rejected]) -> BatchResult:
    router = ctx.router()
    progress = st.progress(0.0, text=f"Routing {len(tickets):,} tickets…")
    decisions: list[Decision] = []
    started = time.perf_counter()
    for start in range(0, len(tickets), CHUNK):
        decisions.extend(router.route_many(tickets[start:start + CHUNK]))
        progress.progress(len(decisions) / len(tickets), text=f"Routed {len(decisions):,} of {len(tickets):,}")
    progress.empty()
    services.invalidate()
    return BatchResult(file_id, name, tickets, decisions, rejected, time.perf_counter() - started)


def _show_result(result: BatchResult, policy: RoutingPolicy) -> None:
    decisions = result.decisions
    pal = theme.palette(policy)
    by_team = Counter(d.team.value for d in decisions)
    review = sum(d.needs_review for d in decisions)
    st.success(f"Routed {len(decisions):,} ticket(s) from {theme.esc(result.name)} in {result.seconds:.2f} s"
               + (f"; {len(result.rejected):,} rejected." if result.rejected else "."), icon=":material/task_alt:")
    _show_rejected(result.rejected)
    figures = st.columns(4)
    figures[0].metric("Routed", theme.count(len(decisions)))
    figures[1].metric("Rejected", theme.count(len(result.rejected)))
    figures[2].metric("Need review", f"{review:,}" + (f" ({theme.pct(review / len(decisions))})" if decisions else ""))
    figures[3].metric("Avg confidence", theme.conf(sum(d.confidence for d in decisions) / len(decisions))
                      if decisions else "—")

    left, right = st.columns(2, gap="large")
    with left:
        st.markdown("##### By team")
        st.plotly_chart(theme.bars(by_team, theme.ordered(pal.team_order, by_team), pal.team_colors),
                        config=theme.chart_config(), key="batch-teams")
    with right:
        st.markdown("##### By priority")
        st.plotly_chart(theme.bars(Counter(d.priority.value for d in decisions), theme.PRIORITY_ORDER,
                                   theme.PRIORITY_COLORS), config=theme.chart_config(), key="batch-priorities")

    frame = results_frame(result.tickets, decisions)
    st.markdown("##### Results")
    f1, f2, f3 = st.columns([2, 2, 1])
    teams = f1.multiselect("Team", theme.ordered(pal.team_order, by_team), placeholder="All teams", key="batch.teams")
    priorities = f2.multiselect("Priority", theme.PRIORITY_ORDER, placeholder="All priorities",
                                key="batch.priorities")
    review_only = f3.toggle("Needs review only", key="batch.review")
    shown = frame
    if teams:
        shown = shown[shown["team"].isin(teams)]
    if priorities:
        shown = shown[shown["priority"].isin(priorities)]
    if review_only:
        shown = shown[shown["needs_review"]]
    st.caption(f"{len(shown):,} of {len(frame):,} shown")
    st.dataframe(shown, hide_index=True, height=min(38 + 35 * max(len(shown), 1), 460), column_order=TABLE_ORDER,
                 column_config=TABLE_COLUMNS)
    d1, d2, _ = st.columns([1, 1, 3])
    stem = result.name.rsplit(".", 1)[0] or "tickets"
    # the files are written on click, not on every rerun: the JSON of a few thousand decisions takes most of a second
    d1.download_button("Download JSON", lambda: decisions_json(decisions), file_name=f"{stem}-decisions.json",
                       mime="application/json", icon=":material/download:", on_click="ignore")
    d2.download_button("Download CSV", lambda: results_csv(frame), file_name=f"{stem}-decisions.csv",
                       mime="text/csv", icon=":material/download:", on_click="ignore")


TABLE_COLUMNS = {
    "ticket_id": "Ticket", "team": "Team", "priority": "Priority", "category": "Category",
    "confidence": st.column_config.ProgressColumn("Confidence", min_value=0.0, max_value=1.0, format="%.2f"),
    "needs_review": st.column_config.CheckboxColumn("Review"),
    "subject": st.column_config.TextColumn("Subject", width="medium"), "customer_id": "Customer",
    "review_reasons": "Why review", "priority_score": st.column_config.NumberColumn("Score", format="%.0f"),
    "processing_ms": st.column_config.NumberColumn("ms", format="%.1f"),
}


def results_frame(tickets: list[Ticket], decisions: list[Decision]) -> pd.DataFrame:
    """One flat row per decision, the ticket's subject beside it (what the table shows and the CSV holds)."""
    subjects = {t.ticket_id: t.subject or t.description[:120] for t in tickets}
    return pd.DataFrame([{
        "ticket_id": d.ticket_id, "customer_id": d.customer_id or "", "subject": subjects.get(d.ticket_id, ""),
        "team": d.team.value, "priority": d.priority.value, "category": d.category.value,
        "confidence": d.confidence, "needs_review": d.needs_review, "review_reasons": "; ".join(d.review_reasons),
        "priority_score": d.priority_score, "processing_ms": d.processing_ms, "decided_at": d.decided_at.isoformat(),
    } for d in decisions], columns=["ticket_id", "customer_id", "subject", "team", "priority", "category",
                                    "confidence", "needs_review", "review_reasons", "priority_score",
                                    "processing_ms", "decided_at"])


def decisions_json(decisions: list[Decision]) -> str:
    return json.dumps([d.model_dump(mode="json") for d in decisions], ensure_ascii=False, indent=1)


def results_csv(frame: pd.DataFrame) -> str:
    """CSV of the results; text that a spreadsheet would run as a formula is prefixed with a quote."""
    safe = frame.copy()
    for column in ("ticket_id", "customer_id", "subject"):
        safe[column] = safe[column].map(lambda v: f"'{v}" if isinstance(v, str) and v.startswith(_CSV_FORMULA) else v)
    return safe.to_csv(index=False)
