"""Review queue: tickets the router was unsure about, highest priority and oldest first.

One click accepts the suggested team; a correction picks another team or priority. Both are stored as agents'
feedback, the truth that the Analytics page measures accuracy against.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from ticket_router.dashboard import services, theme
from ticket_router.domain import Decision, Feedback, Priority, utcnow
from ticket_router.stats import review_queue

PAGE_SIZE = 10
FLASH_KEY = "review.flash"
AGENT_KEY = "review.agent"
PAGE_KEY = "review.page"
TEXT_CHARS = 400


def render() -> None:
    ctx = services.context()
    st.title("Review queue")
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(theme.esc(flash), icon=":material/check:")
    queue = review_queue(services.rows(ctx, None), services.feedback(ctx))
    if not queue:
        st.info("Nothing to review. Tickets land here when the router is unsure (low confidence, mixed issues or "
                "a failed lookup); route tickets on **Route a ticket** or **Batch** to fill it.",
                icon=":material/inbox:")
        return
    top, name = st.columns([3, 2], vertical_alignment="bottom")
    top.markdown(f"**{len(queue):,}** ticket(s) waiting. Highest priority first, then the oldest.")
    agent = name.text_input("Your name", key=AGENT_KEY, placeholder="Your name (saved with your feedback)",
                            label_visibility="collapsed")
    pages = (len(queue) - 1) // PAGE_SIZE + 1
    page = 1
    if pages > 1:
        if st.session_state.get(PAGE_KEY, 1) > pages:  # the queue shrank under the page being viewed
            st.session_state[PAGE_KEY] = pages
        page = int(st.number_input(f"Page (of {pages})", min_value=1, max_value=pages, step=1, key=PAGE_KEY))
    now = utcnow()
    for row in queue[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]:
        decision = ctx.store.get_decision(row.ticket_id)
        if decision is not None:
            _item(ctx, decision, agent.strip(), now)


def _age(then: datetime, now: datetime) -> str:
    minutes = max(int((now - then).total_seconds() // 60), 0)
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // 1440} days ago"


def _item(ctx: services.Context, decision: Decision, agent: str, now: datetime) -> None:
    ticket = ctx.store.get_ticket(decision.ticket_id)
    key = decision.decision_id
    with st.container(border=True, key=f"review-{key}"):
        head = [theme.priority_badge(decision.priority.value), f"<b>{theme.esc(decision.ticket_id)}</b>",
                f'<span style="color:{theme.MUTED}">routed {_age(decision.decided_at, now)}</span>']
        if decision.customer_id:
            head.append(theme.esc(f"customer {decision.customer_id}"))
        if decision.vip:
            head.append(theme.badge("VIP", theme.PRIORITY_COLORS["P1"]))
        st.markdown(" &nbsp; ".join(head), unsafe_allow_html=True)
        if ticket is not None:
            text = ticket.description if len(ticket.description) <= TEXT_CHARS else \
                ticket.description[:TEXT_CHARS] + "…"
            st.markdown(f"<b>{theme.esc(ticket.subject)}</b><br>{theme.esc_lines(text)}", unsafe_allow_html=True)
        alternatives = ", ".join(f"{a.team.value} {a.confidence:.2f}" for a in decision.alternatives[:2])
        st.markdown(f"Suggested {theme.team_badge(decision.team.value, ctx.policy())} &nbsp; confidence "
                    f"<b>{decision.confidence:.2f}</b>" + (f" &nbsp;·&nbsp; alternatives: {theme.esc(alternatives)}"
                                                            if alternatives else ""), unsafe_allow_html=True)
        st.markdown(theme.chips(decision.review_reasons), unsafe_allow_html=True)

        accept, team_col, priority_col, save = st.columns([2.3, 2, 1, 1.6], vertical_alignment="bottom")
        if accept.button(f"Accept {decision.team.value}", key=f"accept-{key}", type="primary",
                         icon=":material/check:"):
            _save(ctx, Feedback(ticket_id=decision.ticket_id, team=decision.team, priority=decision.priority,
                                agent=agent), f"Accepted {decision.team.value} for {decision.ticket_id}.")
        teams = ctx.policy().teams  # a decision made under an earlier policy may name a team it no longer has
        team = team_col.selectbox("Correct team", teams,
                                  index=teams.index(decision.team) if decision.team in teams else 0, key=f"team-{key}",
                                  format_func=lambda t: t.value)
        priorities = list(Priority)
        priority = priority_col.selectbox("Priority", priorities, index=priorities.index(decision.priority),
                                          key=f"priority-{key}", format_func=lambda p: p.value)
        if save.button("Save correction", key=f"correct-{key}", icon=":material/edit:"):
            changed = team != decision.team or priority != decision.priority
            message = (f"Corrected {decision.ticket_id} to {team.value}, {priority.value}." if changed
                       else f"Confirmed {team.value}, {priority.value} for {decision.ticket_id}.")
            _save(ctx, Feedback(ticket_id=decision.ticket_id, team=team, priority=priority, agent=agent), message)


def _save(ctx: services.Context, feedback: Feedback, message: str) -> None:
    ctx.store.save_feedback(feedback)
    services.invalidate()
    st.session_state[FLASH_KEY] = message
    st.rerun()
