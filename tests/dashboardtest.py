"""Builders for the dashboard tests: a real SQLite database the pages read through the environment, and Streamlit's
`AppTest` running one page exactly as `app.run_page` renders it (sidebar included)."""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from ticket_router.domain import Decision, Ticket, utcnow
from ticket_router.settings import Settings
from ticket_router.store import Store, open_store
from ticket_router.store.seed import seed_demo

PAGE_TIMEOUT_S = 60  # the first page of a session loads the model; the machine is shared


def _page_script(name: str) -> None:
    from ticket_router.dashboard.app import run_page

    run_page(name)


@dataclass
class Dashboard:
    """A database for the dashboard under test, and a way to open its pages."""

    db: Path
    store: Store

    def page(self, name: str) -> Any:
        from streamlit.testing.v1 import AppTest

        app = AppTest.from_function(_page_script, args=(name,), default_timeout=PAGE_TIMEOUT_S)
        return app.run()

    def route(self, tickets: Iterable[Ticket], threshold: float | None = None, at: datetime | None = None,
              flag: bool = False) -> list[Decision]:
        """Store decisions made by the real router, as the CLI or the API would have: optionally with another
        review threshold, a fixed clock, or flagged for review whatever their confidence (`flag`)."""
        from ticket_router.bootstrap import build_router

        settings = Settings(db=self.db, **({"review_threshold": threshold} if threshold is not None else {}))
        router = build_router(settings, self.store)
        if at is not None:
            router.clock = lambda: at
        tickets = list(tickets)
        decisions = router.route_many(tickets, save=not flag)
        if flag:
            decisions = [d.model_copy(update={"needs_review": True, "review_reasons": ["flagged by the test"]})
                         for d in decisions]
            self.store.save_decisions(list(zip(tickets, decisions)))
        from ticket_router.dashboard import services

        services.invalidate()  # as if the dashboard's few seconds of read caching had passed
        return decisions


@pytest.fixture
def dashboard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Dashboard]:
    """A fresh database with the demo customers, outages and history, named by TICKET_ROUTER_DB."""
    for key in [k for k in os.environ if k.startswith("TICKET_ROUTER_")]:
        monkeypatch.delenv(key)
    db = tmp_path / "dashboard.db"
    monkeypatch.setenv("TICKET_ROUTER_DB", str(db))
    store = open_store(f"sqlite:///{db}")
    seed_demo(store, utcnow())
    yield Dashboard(db, store)
    from ticket_router.dashboard import services

    services.invalidate()
    store.close()


def texts(elements: Iterable[Any]) -> str:
    """The text of some AppTest elements (markdown, captions, alerts), joined: what a user would read."""
    return "\n".join(str(element.value) for element in elements)


def screen(app: Any, raw: bool = False) -> str:
    """All the text on a page as a reader sees it (character references decoded), for checks that something is,
    or is not, shown anywhere. `raw`: the Markdown source the page sent instead."""
    parts = [texts(app.title), texts(app.subheader), texts(app.markdown), texts(app.caption), texts(app.info),
             texts(app.success), texts(app.warning), texts(app.error), texts(app.code)]
    parts += [str(metric.label) + " " + str(metric.value) for metric in app.metric]
    text = "\n".join(parts)
    return text if raw else html.unescape(text)


def assert_clean(app: Any) -> None:
    """No exception reached the page and no error box is shown."""
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
