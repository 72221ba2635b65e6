"""The entry script: navigation, the sidebar's configuration, and no stack trace ever reaching the screen."""

from __future__ import annotations

import sqlite3

import pytest

from dashboardtest import PAGE_TIMEOUT_S, Dashboard, assert_clean, screen
from ticket_router.dashboard import app as dashboard_app


def test_the_app_opens_on_route_with_every_page_in_the_navigation(dashboard: Dashboard) -> None:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(dashboard_app.__file__, default_timeout=PAGE_TIMEOUT_S).run()

    assert_clean(app)
    assert [t.value for t in app.title] == ["Route a ticket"]
    shown = screen(app)
    assert f"sqlite:///{dashboard.db}" in shown  # the sidebar names the database
    assert app.selectbox(key="cfg.engine").options == ["local", "agent", "cascade"]
    assert app.slider(key="cfg.threshold").value == 0.70
    assert [title for title, _, _ in dashboard_app.PAGES.values()] == [
        "Route a ticket", "Batch", "Analytics", "Review queue", "Customers & outages", "Models"]


def test_a_page_that_fails_shows_a_short_message_not_a_traceback(dashboard: Dashboard) -> None:
    # a stored decision no reader can parse (a team of another policy would read: names are open; not one this long)
    with sqlite3.connect(dashboard.db) as conn:
        conn.execute("UPDATE decisions SET team = 'Team Nobody Knows' || printf('%.80c', '!') "
                     "WHERE rowid = (SELECT MIN(rowid) FROM decisions)")

    app = dashboard.page("review")

    assert not app.exception  # Streamlit's exception box (with its stack trace) never appears
    (error,) = app.error
    assert "unexpected problem (ValidationError)" in error.value
    assert "Team Nobody Knows" not in error.value and "Traceback" not in screen(app)


def test_a_misspelt_setting_is_an_error_on_screen(dashboard: Dashboard, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKET_ROUTER_DATABSE_URL", "sqlite:///x.db")

    app = dashboard.page("route")

    assert not app.exception
    (error,) = app.error
    assert "Invalid configuration" in error.value and "TICKET_ROUTER_DATABSE_URL" in error.value
    assert not app.title  # no page is drawn on a configuration nobody meant


def test_a_database_that_cannot_be_opened_is_an_error_on_screen(dashboard: Dashboard,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKET_ROUTER_DB", str(dashboard.db.parent / "dashboard.db" / "inside-a-file.db"))
    (dashboard.db.parent / "dashboard.db").touch()

    app = dashboard.page("analytics")

    assert not app.exception
    assert any("Cannot open the database" in e.value for e in app.error)
    assert not app.title
