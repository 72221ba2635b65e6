"""Models page: versions with their figures, active and shadow, accuracy per day per model; promote, shadow and
roll back from the page change what the router uses."""

from __future__ import annotations

from dashboardtest import Dashboard, assert_clean, screen
from learning import shipped_version

from ticket_router.domain import Feedback, Team, Ticket


def test_empty_state_says_how_to_get_a_version(dashboard: Dashboard) -> None:
    app = dashboard.page("models")
    assert_clean(app)
    assert "ticket-router learn" in screen(app)


def test_promote_shadow_and_roll_back_from_the_page(dashboard: Dashboard) -> None:
    cv = {"folds": 5, "candidate": {"accuracy": 0.9312, "macro_f1": 0.9, "review_rate": 0.05},
          "active_model": {"accuracy": 0.91}}
    dashboard.store.add_model_version(shipped_version("1-op1", training={"count": 200, "source": "ops.jsonl",
                                                                         "sha256": "f" * 64}, cv=cv))
    dashboard.store.add_model_version(shipped_version("1-op2"))
    app = dashboard.page("models")
    assert_clean(app)
    table = app.dataframe[0].value
    assert list(table["version"]) == ["1-op2", "1-op1"]
    first = table[table["version"] == "1-op1"].iloc[0]
    assert (first["CV accuracy"], first["trained on"], first["then-active accuracy"]) == \
        ("0.931", "200 (ops.jsonl)", "0.910")

    app.selectbox(key="models.version").select("1-op1").run()
    app.button(key="models.promote").click().run()
    assert_clean(app)
    assert dashboard.store.model_pointer("active") == "1-op1"
    assert "Promoted 1-op1" in screen(app)
    [decision] = dashboard.route([Ticket(ticket_id="M1", description="I was charged twice")])
    assert decision.model.version == "1-op1"

    app.selectbox(key="models.version").select("1-op2").run()
    app.button(key="models.shadow").click().run()
    assert dashboard.store.model_pointer("shadow") == "1-op2"
    dashboard.route([Ticket(ticket_id="M2", description="no signal since the storm")])
    dashboard.store.save_feedback(Feedback(ticket_id="M1", team=Team.BILLING_SUPPORT))
    dashboard.store.save_feedback(Feedback(ticket_id="M2", team=Team.NETWORK_OPERATIONS))
    from ticket_router.dashboard import services

    services.invalidate()
    app = dashboard.page("models")
    assert_clean(app)
    text = screen(app)
    assert "Shadow 1-op2 against the live decisions" in text and "Live tickets scored 1" in text
    assert len(app.get("plotly_chart")) == 1

    app.button(key="models.rollback").click().run()
    assert_clean(app)
    assert dashboard.store.model_pointer("active") is None
