"""Benchmark of the embedded models side by side, in one run: the keyword baseline, the fast TF-IDF model and
the default ensemble.

    python benchmarks/route_benchmark.py [--tickets 5000] [--models keywords-v1,tfidf-lr-v2,minilm-tfidf-v1]

Prints, per model: accuracy, macro-F1, ECE, and the accuracy and share of the decisions NOT flagged for review
(confidence ≥ 0.70) on each held-out set (data/eval/ and the realistic dev set data/dev/, never trained on;
the ensemble's confidence curve was fitted with dev titles, see the README); p50/p99 per-ticket latency (one
ticket per call, store included) and in-process batch throughput; then, end to end through the CLI, N mixed
tickets (mostly short: dev titles and social posts, some eval tickets and long complaints, drawn with
replacement, so some repeat as in real traffic) through `ticket-router route` (process start included) with
that process's peak RSS, the same with every text made unique, and a cold `ticket-router route --text`.
Timings are measured, never asserted: the machine is shared and noisy, so all models run in the same run.
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

from ticket_router.domain import BUILTIN_TEAMS, Ticket
from ticket_router.ingest import Accepted, read_tickets
from ticket_router.model.metrics import evaluate_predictions
from ticket_router.model.registry import load_classifier
from ticket_router.policy import RoutingPolicy
from ticket_router.router import Router
from ticket_router.store import open_store
from ticket_router.store.seed import seed_demo

ROOT = Path(__file__).resolve().parents[1]
EVAL_FILES = [ROOT / "data" / "eval" / name for name in ("eval.jsonl", "longform.jsonl", "complaints.jsonl")] + [
    ROOT / "data" / "dev" / name for name in ("titles.jsonl", "social.jsonl")]
MODELS = "keywords-v1,tfidf-lr-v2,minilm-tfidf-v1"
# The mix of the end-to-end batch: mostly short tickets, as real traffic is.
MIX = {"titles": 0.40, "social": 0.30, "eval": 0.20, "complaints": 0.08, "longform": 0.02}
LABELS = [t.value for t in BUILTIN_TEAMS]


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
            "unflagged": 1 - result.review_rate, "unflagged_accuracy": result.accuracy_when_confident or 0.0}


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


def synthetic_batch(folder: Path, count: int, unique: bool = False) -> tuple[Path, Path]:
    """`count` tickets drawn from the held-out sets in the `MIX` shares, from 2,000 known customers and some
    unknown ones; with `unique`, each text gets its own reference number so that no two are the same."""
    rng = random.Random(7)
    pools = {path.stem: [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
             for path in EVAL_FILES}
    regions = ["North", "South", "East", "West", "Central", "Metro"]
    customers = folder / "customers.csv"
    with customers.open("w") as out:
        out.write("customer_id,name,vip,account_type,plan,region\n")
        for i in range(2000):
            out.write(f"B-{i},Customer {i},{str(rng.random() < 0.05).lower()},"
                      f"{rng.choice(['consumer'] * 8 + ['business', 'enterprise'])},Plan,{rng.choice(regions)}\n")
    tickets = folder / ("unique.jsonl" if unique else "tickets.jsonl")
    names, weights = list(MIX), list(MIX.values())
    with tickets.open("w") as out:
        for i in range(count):
            row = rng.choice(pools[rng.choices(names, weights)[0]])
            customer = f"B-{rng.randrange(2000)}" if rng.random() < 0.9 else f"UNKNOWN-{i}"
            description = row["description"] + (f" (ref {i})" if unique else "")
            # Own ids for the unique batch: it runs on the same database, where an id seen before is not routed
            # again (`route` returns its stored decision, like the API).
            out.write(json.dumps({"ticket_id": f"{'UNIQUE' if unique else 'BENCH'}-{i}", "subject": row["subject"],
                                  "description": description, "customer_id": customer}) + "\n")
    return tickets, customers


def cli(*args: str, model: str) -> tuple[float, float, int]:
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
    parser.add_argument("--models", default=MODELS, help="comma-separated registered model names")
    args = parser.parse_args()
    models = args.models.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = open_store(f"sqlite:///{folder / 'bench.db'}")
        seed_demo(store, time_now())
        sample = labelled(EVAL_FILES[0])[0][:300]
        print(f"{'model':<17}{'set':<11}{'n':>5}{'accuracy':>9}{'macro-F1':>9}{'ECE':>7}{'unflagged: right':>17}"
              f"{'share':>7}")
        speeds = {}
        for name in models:
            router = Router(load_classifier(name), store, RoutingPolicy())
            speeds[name] = latency(router, sample)
            for path in EVAL_FILES:
                q = quality(router, path)
                print(f"{name:<17}{path.stem:<11}{q['n']:>5}{q['accuracy']:>9.3f}{q['macro_f1']:>9.3f}"
                      f"{q['ece']:>7.3f}{q['unflagged_accuracy']:>17.3f}{q['unflagged']:>7.1%}")
        print(f"\n{'model':<17}{'p50 ms':>9}{'p99 ms':>9}{'batch tickets/s':>17}   (one ticket per call, store "
              "included; then one in-process batch)")
        for name, speed in speeds.items():
            print(f"{name:<17}{speed['p50_ms']:>9.2f}{speed['p99_ms']:>9.2f}{speed['batch_tickets_per_s']:>17.0f}")
        store.close()

        batches = {"mixed": synthetic_batch(folder, args.tickets), "unique": synthetic_batch(folder, args.tickets, True)}
        customers = batches["mixed"][1]
        print(f"\nEnd to end through `ticket-router route` (process start included): {args.tickets} mixed tickets "
              "(some texts repeat), the same with every text unique, and a cold `route --text` (median of 5):")
        for name in models:
            db = str(folder / f"cli-{name}.db")
            cli("import", "customers", str(customers), "--db", db, model=name)
            cells = []
            for kind, (tickets, _) in batches.items():
                out = folder / f"out-{name}-{kind}.jsonl"
                seconds, peak_mb, status = cli("route", str(tickets), "--db", db, "--out", str(out), model=name)
                routed = sum(1 for _ in out.open())
                cells.append(f"{kind} {routed} in {seconds:.2f} s ({routed / seconds:.0f}/s, exit {status}, "
                             f"peak RSS {peak_mb:.0f} MB)")
            colds = [cli("route", "--text", "my internet is down since this morning", "--json", "--db", db,
                         model=name)[0] for _ in range(5)]
            print(f"{name:<17}" + "; ".join(cells) + f"; cold --text median {statistics.median(colds):.2f} s, "
                  f"max {max(colds):.2f} s")


def time_now():  # noqa: ANN201 - a tiny indirection so the seed uses the wall clock
    from ticket_router.domain import utcnow

    return utcnow()


if __name__ == "__main__":
    main()
