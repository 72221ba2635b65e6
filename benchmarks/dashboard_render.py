"""How long each dashboard page takes to render with many stored decisions (target: under 2 s per page).

Seeds a temporary SQLite database with N decisions (default 10,000) routed by the real router from the labelled
evaluation tickets, spread over 30 days, with agents' feedback on a share of them. Then renders every page with
Streamlit's AppTest, the same script the browser gets:

- cold: right after dropping the dashboard's read caches, so the page reads and parses everything from the store;
- warm: a second render within the cache window (what a user clicking around sees).

The model is loaded once before timing (a one-off per server process, reported separately).

    python benchmarks/dashboard_render.py [--decisions 10000] [--feedback-share 0.15] [--keep PATH]
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

from ticket_router.bootstrap import build_router
from ticket_router.domain import Feedback, Priority, Team, Ticket, utcnow
from ticket_router.settings import Settings
from ticket_router.store import Store, open_store
from ticket_router.store.seed import seed_demo

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["route", "batch", "analytics", "review", "customers"]
CUSTOMERS = ["C-1001", "C-1002", "C-1003", "C-1004", "C-1005", "C-1006", "C-1007", "C-1008", None, None, None]


def _examples() -> list[dict]:  # type: ignore[type-arg]
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


def _page_script(name: str) -> None:
    import time

    import streamlit as st

    from ticket_router.dashboard.app import run_page

    started = time.perf_counter()
    run_page(name)
    st.session_state["bench.render_s"] = time.perf_counter() - started


def render_times(pages: list[str], repeats: int) -> dict[str, dict[str, float]]:
    from streamlit.testing.v1 import AppTest

    from ticket_router.dashboard import services

    results: dict[str, dict[str, float]] = {}
    for name in pages:
        cold, cold_wall, warm = [], [], []
        for _ in range(repeats):
            services.invalidate()
            app = AppTest.from_function(_page_script, args=(name,), default_timeout=120)
            started = time.perf_counter()
            app.run()
            cold_wall.append(time.perf_counter() - started)
            if app.exception or app.error:
                raise SystemExit(f"{name}: {(app.exception or app.error)[0].value}")
            cold.append(app.session_state["bench.render_s"])
            app.run()
            warm.append(app.session_state["bench.render_s"])
        results[name] = {"cold_s": statistics.median(cold), "cold_max_s": max(cold), "warm_s": statistics.median(warm),
                         "wall_s": statistics.median(cold_wall)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--decisions", type=int, default=10_000)
    parser.add_argument("--feedback-share", type=float, default=0.15)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the database here and keep it (for screenshots)")
    args = parser.parse_args()

    folder = tempfile.TemporaryDirectory(prefix="dashboard-bench-")
    db = args.keep or Path(folder.name) / "bench.db"
    if db.exists():
        sys.exit(f"{db} exists; give a new path")
    os.environ["TICKET_ROUTER_DB"] = str(db)
    os.environ.pop("TICKET_ROUTER_DATABASE_URL", None)
    settings = Settings(db=db)
    store = open_store(f"sqlite:///{db}")
    seeded = seed(store, settings, args.decisions, args.feedback_share)
    store.close()
    print(f"seeded {args.decisions:,} decisions (+ demo history) and {seeded['feedback']:,} feedback records "
          f"in {seeded['route_s']:.1f} s of routing; database {db.stat().st_size / 1e6:.1f} MB")

    from ticket_router.dashboard import services  # noqa: F401 - imported before timing

    started = time.perf_counter()
    render_times(["route"], 1)
    print(f"first render in a fresh process (store open, model load): {time.perf_counter() - started:.2f} s")
    results = render_times(PAGES, args.repeats)
    print("render = the page script's own time on the server (reads, stats, charts, serialising the page);")
    print("AppTest wall = the same plus the test harness's per-session start-up (component scan, thread hand-off).")
    print(f"{'page':<12}{'cold render':>12}{'cold max':>10}{'warm render':>13}{'AppTest wall':>14}   target < 2 s")
    for name, figures in results.items():
        verdict = "ok" if max(figures["cold_max_s"], figures["wall_s"]) < 2.0 else "SLOW"
        print(f"{name:<12}{figures['cold_s']:>11.2f}s{figures['cold_max_s']:>9.2f}s{figures['warm_s']:>12.2f}s"
              f"{figures['wall_s']:>13.2f}s   {verdict}")
    folder.cleanup()


if __name__ == "__main__":
    main()
