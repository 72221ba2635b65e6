"""Benchmark of the embedded router, side by side with the keyword baseline, in one run.

    python benchmarks/route_benchmark.py [--tickets 5000]

Prints, per model (the shipped TF-IDF model and the keyword baseline, in the same run): accuracy, macro-F1,
ECE and review rate on each held-out set in data/eval/; p50/p99 per-ticket latency (one ticket per call, store
included) and in-process batch throughput; then, end to end through the CLI, N tickets through
`ticket-router route` (process start included) with that process's peak RSS, and a cold
`ticket-router route --text`. Timings are measured, never asserted: the machine is shared and noisy, so the
keyword baseline runs in the same process as a reference point.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ticket_router.domain import Team, Ticket
from ticket_router.ingest import Accepted, read_tickets
from ticket_router.model.metrics import evaluate_predictions
from ticket_router.model.registry import load_classifier
from ticket_router.policy import RoutingPolicy
from ticket_router.router import Router
from ticket_router.store import open_store
from ticket_router.store.seed import seed_demo

ROOT = Path(__file__).resolve().parents[1]
EVAL_FILES = [ROOT / "data" / "eval" / name for name in ("eval.jsonl", "longform.jsonl", "complaints.jsonl")]
MODELS = ("keywords-v1", "tfidf-lr-v1")
LABELS = [t.value for t in Team]


def labelled(path: Path) -> tuple[list[Ticket], list[str]]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    tickets = [item.record for item in read_tickets(path.read_bytes(), "jsonl") if isinstance(item, Accepted)]
    return tickets, [row["team"] for row in rows]


def quality(router: Router, path: Path) -> dict[str, float]:
    tickets, gold = labelled(path)
    decisions = router.route_many(tickets, save=False)
    result = evaluate_predictions(gold, [d.team.value for d in decisions], [d.confidence for d in decisions],
                                  LABELS, router.policy.review_threshold)
    return {"n": result.count, "accuracy": result.accuracy, "macro_f1": result.macro_f1, "ece": result.ece,
            "review_rate": result.review_rate}


def latency(router: Router, tickets: list[Ticket]) -> dict[str, float]:
    times = []
    for ticket in tickets:
        started = time.perf_counter()
        router.route(ticket, save=False)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    started = time.perf_counter()
    router.route_many(tickets, save=False)
    batch_seconds = time.perf_counter() - started
    return {"p50_ms": statistics.median(times), "p99_ms": times[int(len(times) * 0.99) - 1],
            "batch_tickets_per_s": len(tickets) / batch_seconds}


def synthetic_batch(folder: Path, count: int) -> tuple[Path, Path]:
    """`count` tickets drawn from the eval texts, from 2,000 known customers and some unknown ones."""
    rng = random.Random(7)
    rows = [json.loads(line) for path in EVAL_FILES for line in path.read_text().splitlines() if line.strip()]
    regions = ["North", "South", "East", "West", "Central", "Metro"]
    customers = folder / "customers.csv"
    with customers.open("w") as out:
        out.write("customer_id,name,vip,account_type,plan,region\n")
        for i in range(2000):
            out.write(f"B-{i},Customer {i},{str(rng.random() < 0.05).lower()},"
                      f"{rng.choice(['consumer'] * 8 + ['business', 'enterprise'])},Plan,{rng.choice(regions)}\n")
    tickets = folder / "tickets.jsonl"
    with tickets.open("w") as out:
        for i in range(count):
            row = rng.choice(rows)
            customer = f"B-{rng.randrange(2000)}" if rng.random() < 0.9 else f"UNKNOWN-{i}"
            out.write(json.dumps({"ticket_id": f"BENCH-{i}", "subject": row["subject"],
                                  "description": row["description"], "customer_id": customer}) + "\n")
    return tickets, customers


def cli(*args: str, model: str = "tfidf-lr-v1") -> tuple[float, float, int]:
    """Run `ticket-router ARGS` in a fresh process: (wall seconds, that process's peak RSS in MB, exit status)."""
    env = {**os.environ, "TICKET_ROUTER_MODEL": model}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "ticket_router", *args], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, process.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = open_store(f"sqlite:///{folder / 'bench.db'}")
        seed_demo(store, time_now())
        sample = labelled(EVAL_FILES[0])[0][:300]
        print(f"{'model':<14}{'set':<12}{'n':>5}{'accuracy':>10}{'macro-F1':>10}{'ECE':>7}{'review':>8}"
              f"{'p50 ms':>9}{'p99 ms':>9}{'tickets/s':>11}")
        for name in MODELS:
            router = Router(load_classifier(name), store, RoutingPolicy())
            speed = latency(router, sample)
            for path in EVAL_FILES:
                q = quality(router, path)
                print(f"{name:<14}{path.stem:<12}{q['n']:>5}{q['accuracy']:>10.3f}{q['macro_f1']:>10.3f}"
                      f"{q['ece']:>7.3f}{q['review_rate']:>8.1%}{speed['p50_ms']:>9.2f}{speed['p99_ms']:>9.2f}"
                      f"{speed['batch_tickets_per_s']:>11.0f}")
        store.close()

        tickets, customers = synthetic_batch(folder, args.tickets)
        print(f"\nEnd to end, {args.tickets} tickets through `ticket-router route` (process start included), and a "
              "cold `route --text` (median of 5):")
        for name in MODELS:
            db = str(folder / f"cli-{name}.db")
            cli("import", "customers", str(customers), "--db", db)
            out = folder / f"out-{name}.jsonl"
            seconds, peak_mb, status = cli("route", str(tickets), "--db", db, "--out", str(out), model=name)
            routed = sum(1 for _ in out.open())
            colds = [cli("route", "--text", "my internet is down since this morning", "--json", "--db", db,
                         model=name)[0] for _ in range(5)]
            print(f"{name:<14}batch {routed} tickets in {seconds:.2f} s ({routed / seconds:.0f}/s), exit {status}, "
                  f"peak RSS {peak_mb:.0f} MB; cold single median {statistics.median(colds):.2f} s, "
                  f"max {max(colds):.2f} s")


def time_now():  # noqa: ANN201 - a tiny indirection so the seed uses the wall clock
    from ticket_router.domain import utcnow

    return utcnow()


if __name__ == "__main__":
    main()
