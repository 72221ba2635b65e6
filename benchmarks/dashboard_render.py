"""How long each dashboard page takes to render with many stored decisions (target: under 2 s per page).

Builds two SQLite databases in one run: a large one with N decisions (default 10,000) routed by the real router
from the labelled evaluation tickets, spread over 30 days, with agents' feedback on a share of them; and a baseline
with the demo data only. The baseline is the reference point on this shared, noisy machine: what the large database
adds is the difference.

1. Server side, with Streamlit's AppTest (the script the browser gets), per page:
   - cold: right after dropping the dashboard's read caches, so the page reads and parses everything from the store;
   - warm: a second render within the cache window (what a user clicking around sees);
   - "route+submit": the Route page with one ticket routed through the form and its decision laid out.
2. `--browser`: in Debian's headless Chromium at 1280×800, against `ticket-router dashboard` serving each
   database, per page: the time from following the sidebar link (and, separately, from loading the page's URL)
   until the page has stopped changing with every chart drawn.
3. `--screenshots DIR`: the Route page (with a routed ticket) and the Analytics page of the large database, as
   PNGs for the README.

The model is loaded once before timing (a one-off per server process, reported separately).

    python benchmarks/dashboard_render.py [--decisions 10000] [--feedback-share 0.15] [--repeats 3]
                                          [--browser] [--screenshots docs/screenshots] [--keep PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from ticket_router.bootstrap import build_router
from ticket_router.dashboard.app import PAGES as DASHBOARD_PAGES
from ticket_router.domain import Feedback, Priority, Team, Ticket, utcnow
from ticket_router.settings import Settings
from ticket_router.store import Store, open_store
from ticket_router.store.seed import seed_demo

ROOT = Path(__file__).resolve().parent.parent
PAGES = list(DASHBOARD_PAGES)  # in the sidebar's order, the first one the default
TITLES = {name: title for name, (title, _, _) in DASHBOARD_PAGES.items()}  # a page's heading and its sidebar link
CUSTOMERS = ["C-1001", "C-1002", "C-1003", "C-1004", "C-1005", "C-1006", "C-1007", "C-1008", None, None, None]
SAMPLE = ("URGENT: internet down at our North office",
          "Our fibre went down at 07:50 and all 85 staff are offline. The router shows the WAN link down; we power "
          "cycled it twice. Please call our IT lead on +1 (555) 201-4477.", "C-1001")


def _examples() -> list[dict[str, Any]]:
    rows = []
    for name in ("eval.jsonl", "longform.jsonl"):
        path = ROOT / "data" / "eval" / name
        if path.exists():
            rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if (r.get("subject") or r.get("description")) and r.get("team")]


def seed(store: Store, settings: Settings, decisions: int, feedback_share: float, days: int = 30,
         rng: random.Random | None = None) -> dict[str, float]:
    """Route `decisions` tickets through the real router with clocks spread over `days`, then add feedback from
    the tickets' labels (with some priority corrections). Returns timings."""
    rng = rng or random.Random(7)
    now = utcnow()
    seed_demo(store, now)
    if decisions == 0:
        return {"route_s": 0.0, "feedback": 0}
    examples = _examples()
    router = build_router(settings, store)
    started = time.perf_counter()
    per_day = max(decisions // days, 1)
    labels: dict[str, str] = {}
    made = 0
    day = 0
    while made < decisions:
        count = min(per_day + rng.randint(-per_day // 4, per_day // 4), decisions - made) if per_day > 4 else \
            min(per_day, decisions - made)
        moment = now - timedelta(days=days - 1 - day, hours=rng.uniform(0, 8)) if day < days else now
        router.clock = lambda moment=moment: moment  # type: ignore[misc]
        tickets = []
        for _ in range(max(count, 1)):
            example = rng.choice(examples)
            ticket_id = f"B-{made:06d}"
            labels[ticket_id] = example["team"]
            tickets.append(Ticket(ticket_id=ticket_id, subject=example.get("subject") or "",
                                  description=example.get("description") or "",
                                  customer_id=rng.choice(CUSTOMERS), created_at=moment - timedelta(minutes=5)))
            made += 1
        for start in range(0, len(tickets), 500):
            router.route_many(tickets[start:start + 500])
        day += 1
    routed_s = time.perf_counter() - started
    judged = rng.sample(sorted(labels), int(len(labels) * feedback_share))
    for ticket_id in judged:
        decision = store.get_decision(ticket_id)
        priority = decision.priority if decision and rng.random() > 0.1 else rng.choice(list(Priority))
        store.save_feedback(Feedback(ticket_id=ticket_id, team=Team(labels[ticket_id]), priority=priority,
                                     agent="bench", created_at=(decision.decided_at if decision else now)
                                     + timedelta(hours=1)))
    return {"route_s": routed_s, "feedback": len(judged)}


def build(db: Path, decisions: int, feedback_share: float) -> None:
    settings = Settings(db=db)
    store = open_store(f"sqlite:///{db}")
    seeded = seed(store, settings, decisions, feedback_share)
    store.close()
    print(f"{db.name}: {decisions:,} routed decisions (+ demo history), {seeded['feedback']:,} feedback records, "
          f"{seeded['route_s']:.1f} s of routing, {db.stat().st_size / 1e6:.1f} MB")


# server side ---------------------------------------------------------------------------------------------------
def _page_script(name: str) -> None:
    import time

    import streamlit as st

    from ticket_router.dashboard.app import run_page

    started = time.perf_counter()
    run_page(name)
    st.session_state["bench.render_s"] = time.perf_counter() - started


def _use(db: Path) -> None:
    os.environ["TICKET_ROUTER_DB"] = str(db)
    os.environ.pop("TICKET_ROUTER_DATABASE_URL", None)


def server_times(db: Path, repeats: int) -> dict[str, dict[str, float]]:
    from streamlit.testing.v1 import AppTest

    from ticket_router.dashboard import services

    _use(db)
    results: dict[str, dict[str, float]] = {}
    for name in PAGES:
        cold, warm = [], []
        for _ in range(repeats):
            services.invalidate()
            app = AppTest.from_function(_page_script, args=(name,), default_timeout=120).run()
            if app.exception or app.error:
                raise SystemExit(f"{name}: {(app.exception or app.error)[0].value}")
            cold.append(app.session_state["bench.render_s"])
            app.run()
            warm.append(app.session_state["bench.render_s"])
        results[name] = {"cold": statistics.median(cold), "cold max": max(cold), "warm": statistics.median(warm)}
    submits = []
    for _ in range(repeats):
        app = AppTest.from_function(_page_script, args=("route",), default_timeout=120).run()
        app.text_input(key="route.subject").input(SAMPLE[0])
        app.text_area(key="route.description").input(SAMPLE[1])
        next(b for b in app.button if b.label == "Route ticket").click().run()
        if app.exception or app.error or not app.dataframe:
            raise SystemExit("route+submit did not show a decision")
        submits.append(app.session_state["bench.render_s"])
    results["route+submit"] = {"cold": statistics.median(submits), "cold max": max(submits),
                               "warm": statistics.median(submits)}
    return results


# in the browser ------------------------------------------------------------------------------------------------
def _browser_tools() -> Any:
    sys.path.insert(0, str(ROOT / "tests"))  # the end-to-end test's server and browser helpers
    import browser

    return browser


def _settled_ms(page: Any, browser: Any, title: str) -> float:
    """Milliseconds from the page's time origin (or from `window.__t0`) until it last changed before settling."""
    browser.wait_rendered(page, title)
    return float(page.evaluate("() => window.__sincePerf - (window.__t0 || 0)"))


def browser_times(db: Path, repeats: int, shots: Path | None) -> dict[str, dict[str, float]]:
    browser = _browser_tools()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="dashboard-bench-log-") as logs, \
            browser.dashboard_server(db, Path(logs) / "server.log") as base, browser.chromium() as chromium:
        page = chromium.new_page(viewport=browser.VIEWPORT)
        page.add_init_script(_TRACK_CHANGES)
        page.goto(base)
        browser.wait_rendered(page, "Route a ticket")  # warm-up: the server's first session loads the model
        loads: dict[str, list[float]] = {name: [] for name in PAGES}
        clicks: dict[str, list[float]] = {name: [] for name in PAGES}
        for _ in range(repeats):
            for name in PAGES:
                page.goto(base if name == "route" else f"{base}/{name}")
                loads[name].append(_settled_ms(page, browser, TITLES[name]))
            for name in [*PAGES[1:], PAGES[0]]:
                page.evaluate("() => { window.__t0 = performance.now(); }")
                page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=TITLES[name]).click()
                page.wait_for_timeout(50)
                clicks[name].append(_settled_ms(page, browser, TITLES[name]))
                page.evaluate("() => { window.__t0 = 0; }")
        for name in PAGES:
            results[name] = {"load": statistics.median(loads[name]) / 1000,
                             "switch": statistics.median(clicks[name]) / 1000}
        if shots is not None:
            _screenshots(page, browser, base, shots)
    return results


# Records, in the page, when the rendered app last changed shape (read by `_settled_ms`).
_TRACK_CHANGES = """
new MutationObserver(() => { window.__sincePerf = performance.now(); })
  .observe(document, {subtree: true, childList: true, attributes: true});
"""


def _screenshots(page: Any, browser: Any, base: str, folder: Path) -> None:
    page.goto(base)
    browser.wait_rendered(page, "Route a ticket")
    page.get_by_label("Subject").fill(SAMPLE[0])
    page.get_by_label("Description").fill(SAMPLE[1])
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Customer").locator("input").click()
    page.keyboard.type(SAMPLE[2])
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Route ticket").click()
    browser.wait_rendered(page, "Route a ticket", "Priority factors")
    print(f"screenshot {browser.screenshot(page, folder / 'route.png')}")
    browser.open_page(page, "Analytics", "Analytics", "Tickets per day, by team")
    print(f"screenshot {browser.screenshot(page, folder / 'analytics.png')}")


# report --------------------------------------------------------------------------------------------------------
def table(title: str, columns: list[str], runs: dict[str, dict[str, dict[str, float]]]) -> None:
    print(f"\n{title}")
    names = list(next(iter(runs.values())))
    header = f"{'page':<14}" + "".join(f"{f'{db} {c}':>22}" for db in runs for c in columns)
    print(header)
    for name in names:
        cells = "".join(f"{runs[db][name][c]:>21.2f}s" for db in runs for c in columns)
        worst = max(runs[db][name][c] for db in runs for c in columns)
        print(f"{name:<14}{cells}   {'ok' if worst < 2.0 else 'SLOW'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--decisions", type=int, default=10_000)
    parser.add_argument("--feedback-share", type=float, default=0.15)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--browser", action="store_true", help="also time every page in headless Chromium")
    parser.add_argument("--screenshots", type=Path, help="save the Route and Analytics pages here (implies --browser)")
    parser.add_argument("--keep", type=Path, help="build the large database here and keep it")
    args = parser.parse_args()

    folder = tempfile.TemporaryDirectory(prefix="dashboard-bench-")
    large = args.keep or Path(folder.name) / "large.db"
    if large.exists():
        sys.exit(f"{large} exists; give a new path")
    baseline = Path(folder.name) / "baseline.db"
    build(baseline, 0, 0.0)
    build(large, args.decisions, args.feedback_share)
    label = f"{args.decisions // 1000}k" if args.decisions >= 1000 else str(args.decisions)
    dbs = {"demo": baseline, label: large}

    started = time.perf_counter()
    _use(large)
    from streamlit.testing.v1 import AppTest

    AppTest.from_function(_page_script, args=("route",), default_timeout=120).run()
    print(f"first render in a fresh process (store open, model load): {time.perf_counter() - started:.2f} s")
    table("server render (AppTest; the page script's own time), median of "
          f"{args.repeats}, target < 2 s", ["cold", "warm"],
          {name: server_times(db, args.repeats) for name, db in dbs.items()})
    if args.browser or args.screenshots:
        runs = {}
        for name, db in dbs.items():
            runs[name] = browser_times(db, args.repeats, args.screenshots if db is large else None)
        table(f"in Chromium at 1280×800 until the page settles, median of {args.repeats}: load = open the page's URL "
              "(new session), switch = follow the sidebar link", ["load", "switch"], runs)
    folder.cleanup()


if __name__ == "__main__":
    main()
