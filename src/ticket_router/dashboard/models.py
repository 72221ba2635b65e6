"""Models: the versions kept in the store with their cross-validated figures, the active and shadow versions,
accuracy against agents' feedback per day per model, and promote, roll back and shadow.

The same operations as `ticket-router models …` and `/v1/models`, through the store's `ModelVersionStore`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ticket_router.dashboard import services, theme
from ticket_router.domain import utcnow
from ticket_router.model.compare import compare_shadow, daily_accuracy
from ticket_router.model.versions import check_version
from ticket_router.policy import PolicyMismatch, RoutingPolicy
from ticket_router.store.versions import ACTIVE, SHADOW, ModelVersionInfo, ModelVersionStore, UnknownVersion

FLASH_KEY = "models.flash"
DAYS = 30


def render() -> None:
    ctx = services.context()
    st.title("Models")
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(theme.esc(flash), icon=":material/check:")
    store = ctx.store
    if not isinstance(store, ModelVersionStore):
        st.info("This database does not keep model versions.", icon=":material/info:")
        return
    versions = store.list_model_versions()
    active, shadow = store.model_pointer(ACTIVE), store.model_pointer(SHADOW)
    serving = ctx.router("local").router.classifier.info  # type: ignore[attr-defined]
    cols = st.columns(3)
    cols[0].metric("Active", active or "shipped", help="The version every new decision comes from.")
    cols[1].metric("Shadow", shadow or "none", help="Scores live tickets silently beside the active model.")
    cols[2].metric("Serving here", f"{serving.name} v{serving.version}")
    if not versions:
        st.info("No versions yet. Teach the router your routing with `ticket-router learn FILE` (your labelled "
                "tickets) or `ticket-router learn --from-feedback` (the review queue's confirmations and "
                "corrections); each run stores a version here.", icon=":material/school:")
        return
    st.markdown("##### Versions")
    st.dataframe(_table(versions, active, shadow), hide_index=True, width="stretch")
    _actions(store, versions, active, shadow, ctx.policy())
    if shadow:
        _shadow_report(ctx, store, shadow)
    st.markdown(f"##### Accuracy against agents' feedback per day, per model (last {DAYS} days)")
    since = services.since_days(DAYS)
    rows = daily_accuracy(store.list_model_decisions(since=since), store.list_shadow_predictions(),
                          services.feedback(ctx))
    if rows:
        st.plotly_chart(_accuracy_chart(rows), config=theme.chart_config(), key="models-accuracy")
    else:
        st.info("No feedback on routed tickets yet: accept or correct tickets in the **Review queue**.",
                icon=":material/fact_check:")


def _figure(meta: dict[str, Any], side: str, key: str) -> str:
    value = meta.get("cv", {}).get(side, {}).get(key)
    return "" if value is None else (f"{value:.1%}" if key == "review_rate" else f"{value:.3f}")


def _table(versions: list[ModelVersionInfo], active: str | None, shadow: str | None) -> pd.DataFrame:
    rows = []
    for item in reversed(versions):
        training = item.meta.get("training", {})
        role = "active" if item.version == active else "shadow" if item.version == shadow else item.status
        rows.append({
            "version": item.version, "model": item.name, "status": role,
            "created (UTC)": f"{item.created_at:%Y-%m-%d %H:%M}", "base": item.base,
            "trained on": f"{training['count']} ({training.get('source', '')})" if training else "",
            "CV accuracy": _figure(item.meta, "candidate", "accuracy"),
            "CV macro-F1": _figure(item.meta, "candidate", "macro_f1"),
            "CV review share": _figure(item.meta, "candidate", "review_rate"),
            "then-active accuracy": _figure(item.meta, "active_model", "accuracy"),
            "data sha256": training.get("sha256", "")[:12],
        })
    return pd.DataFrame(rows)


def _actions(store: Any, versions: list[ModelVersionInfo], active: str | None, shadow: str | None,
             policy: RoutingPolicy) -> None:
    labels = [v.version for v in reversed(versions)]
    pick, promote, shade, rollback = st.columns([2, 1, 1, 1], vertical_alignment="bottom")
    chosen = pick.selectbox("Version", labels, key="models.version")
    if promote.button("Promote", key="models.promote", type="primary", icon=":material/upgrade:",
                      disabled=chosen == active):
        _change(lambda: _promote(store, chosen, policy), f"Promoted {chosen}: it routes every new ticket.")
    if shadow == chosen:
        if shade.button("Stop shadow", key="models.unshadow", icon=":material/visibility_off:"):
            _change(lambda: store.set_shadow_model(None, utcnow()), "Shadow stopped.")
    elif shade.button("Shadow", key="models.shadow", icon=":material/visibility:"):
        _change(lambda: store.set_shadow_model(chosen, utcnow()), f"{chosen} now scores live tickets silently.")
    if rollback.button("Roll back", key="models.rollback", icon=":material/undo:", disabled=active is None):
        _change(lambda: store.rollback_model(utcnow()), "Rolled back to the version active before.")


def _promote(store: Any, version: str, policy: RoutingPolicy) -> None:
    """Promote `version`, unless it predicts categories the dashboard's policy lacks (`PolicyMismatch`)."""
    found = store.get_model_version(version)
    if found is None:
        raise UnknownVersion(f"no model version {version!r}")
    check_version(found, policy)
    store.promote_model(version, utcnow())


def _change(action: Any, message: str) -> None:
    try:
        action()
    except (UnknownVersion, LookupError, PolicyMismatch) as error:
        st.warning(theme.esc(str(error)))
        return
    services.invalidate()
    st.session_state[FLASH_KEY] = message
    st.rerun()


def _shadow_report(ctx: services.Context, store: Any, shadow: str) -> None:
    report = compare_shadow(shadow, store.list_shadow_predictions(shadow), services.feedback(ctx))
    st.markdown(f"##### Shadow {theme.esc(shadow)} against the live decisions")
    cols = st.columns(4)
    cols[0].metric("Live tickets scored", theme.count(report.tickets))
    cols[1].metric("Agreement", theme.pct(report.agreement, 1))
    cols[2].metric("Shadow accuracy", theme.pct(report.shadow_accuracy, 1),
                   help=f"On the {report.judged} scored tickets an agent judged.")
    cols[3].metric("Live accuracy", theme.pct(report.active_accuracy, 1), help="The same judged tickets.")


def _accuracy_chart(rows: list[Any]) -> go.Figure:
    figure = go.Figure()
    for model in sorted({r.model for r in rows}):
        mine = [r for r in rows if r.model == model]
        label = f"{model} (shadow)" if mine[0].shadow else model
        figure.add_trace(go.Scatter(x=[r.day for r in mine], y=[r.accuracy for r in mine], mode="lines+markers",
                                    name=label, customdata=[r.judged for r in mine],
                                    line={"dash": "dot"} if mine[0].shadow else {},
                                    hovertemplate="%{x}: %{y:.1%} of %{customdata} judged<extra></extra>"))
    figure.update_yaxes(tickformat=".0%", range=[0, 1.05])
    return theme.style(figure)
