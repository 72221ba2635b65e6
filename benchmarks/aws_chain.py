"""The Lambda handlers on moto's in-process AWS: 1,000 tickets through the whole chain, and the router function's
cold start.

    python benchmarks/aws_chain.py                       # both
    python benchmarks/aws_chain.py --tickets 1000 --cold-starts 5

Chain: every ticket goes API Gateway event → ingest → EventBridge → SQS → route → DynamoDB → EventBridge → SQS →
update → a real local HTTP receiver (tests/awsstack.py). Reported: wall time, decisions stored, deliveries, and any
ticket lost or decided/delivered twice. moto's EventBridge and DynamoDB dominate the time (tens of ms per call, in
the same process), so this measures correctness at volume, not AWS latency.

Cold start: each run is a fresh Python process that first builds the fake AWS (moto, boto3: not counted), then
times importing `ticket_router.aws.route` and its first invocation with one ticket (Powertools, the engine factory,
the default model's load, the reads and writes against moto), then a second, warm invocation. boto3's own import
and first client, which a real cold start also pays, are timed in another fresh process and reported beside it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

# The child process imports nothing of ticket_router before the timer: the parent hands it the tables to create,
# the ticket items and the SQS records as JSON, and it builds the fake AWS with moto and boto3 alone.
COLD_START = """
import json, os, sys, time
from moto import mock_aws
import boto3
plan = json.loads(sys.stdin.read())

class Context:
    function_name, memory_limit_in_mb, aws_request_id = "route", 1024, "cold"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:route"
    def get_remaining_time_in_millis(self):
        return 60_000

with mock_aws():
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    for request in plan["tables"]:
        dynamodb.create_table(**request)
    boto3.client("events", region_name="us-east-1").create_event_bus(Name=plan["bus"])
    tickets = boto3.resource("dynamodb", region_name="us-east-1").Table(plan["tickets_table"])
    for item in plan["items"]:
        tickets.put_item(Item=item)
    measured = ("ticket_router", "pydantic", "aws_lambda_powertools", "numpy")
    loaded = sorted(m for m in sys.modules if m.startswith(measured))
    started = time.perf_counter()
    from ticket_router.aws import route
    imported = time.perf_counter()
    first = route.handler(plan["events"][0], Context())
    invoked = time.perf_counter()
    second = route.handler(plan["events"][1], Context())
    warm = time.perf_counter()
assert not first["batchItemFailures"] and not second["batchItemFailures"], (first, second)
print(json.dumps({"import_s": imported - started, "first_invoke_s": invoked - imported, "warm_invoke_s": warm - invoked,
                  "preloaded": loaded}))
"""

BOTO3 = """
import json, time
started = time.perf_counter()
import boto3
boto3.client("dynamodb", region_name="us-east-1")
print(json.dumps({"boto3_s": time.perf_counter() - started}))
"""


def cold_start_plan() -> tuple[dict, dict]:
    """What the child builds (tables, two stored tickets, an SQS event for each) and the environment it runs in."""
    import os

    from ticket_router.aws import contract, events
    from ticket_router.domain import Ticket
    from ticket_router.store.dynamodb_tables import STORE_TABLES, TICKETS, create_table_request, ticket_item

    prefix, bus = "cold", "ticket-router-cold"
    tickets = [Ticket(ticket_id=f"T-{n}", description=text) for n, text in
               enumerate(["No internet since 6am, the whole street is down", "Charged twice on my invoice"])]
    records = [{"Records": [{"messageId": f"m-{n}", "receiptHandle": f"r-{n}", "attributes": {
        "ApproximateReceiveCount": "1"}, "messageAttributes": {}, "eventSource": "aws:sqs", "awsRegion": "us-east-1",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:route", "body": json.dumps({
            "version": "0", "id": f"e-{n}", "source": contract.EVENT_SOURCE, "detail-type": contract.TICKET_RECEIVED,
            "detail": json.loads(events.received(t.ticket_id, None, None).model_dump_json())})}]}
        for n, t in enumerate(tickets)]
    plan = {"tables": [create_table_request(t, prefix) for t in STORE_TABLES], "bus": bus,
            "tickets_table": TICKETS.name(prefix), "items": [ticket_item(t) for t in tickets], "events": records}
    env = {k: v for k, v in os.environ.items() if not k.startswith("TICKET_ROUTER_")} | {
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "POWERTOOLS_SERVICE_NAME": contract.SERVICE_NAME, "POWERTOOLS_METRICS_NAMESPACE": contract.METRICS_NAMESPACE,
        contract.DATABASE_URL: f"dynamodb://{prefix}?region=us-east-1", contract.EVENT_BUS: bus}
    return plan, env


def _run(code: str, stdin: str = "", env: dict | None = None) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                         input=stdin, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def cold_starts(runs: int) -> None:
    plan, env = cold_start_plan()
    rows = [_run(COLD_START, json.dumps(plan), env) for _ in range(runs)]
    boto = [_run(BOTO3)["boto3_s"] for _ in range(runs)]
    assert not any(r["preloaded"] for r in rows), "the measured modules were imported before the timer"
    for name in ("import_s", "first_invoke_s", "warm_invoke_s"):
        values = [r[name] for r in rows]
        print(f"route {name:15} median {statistics.median(values) * 1000:7.0f} ms  (min {min(values) * 1000:.0f}, "
              f"max {max(values) * 1000:.0f}; {runs} fresh processes)")
    total = [r["import_s"] + r["first_invoke_s"] + b for r, b in zip(rows, boto)]
    print(f"boto3 import + first client  median {statistics.median(boto) * 1000:7.0f} ms")
    print(f"cold start (boto3 + import + first invoke)  median {statistics.median(total) * 1000:.0f} ms, "
          f"max {max(total) * 1000:.0f} ms")


def chain(count: int) -> None:
    import contextlib
    import io

    from awsstack import aws_stack, run_tickets
    from servers import receiver

    with receiver() as endpoint, aws_stack(endpoint.url) as stack, contextlib.redirect_stdout(io.StringIO()):
        run = run_tickets(stack, count)
        depths = {name: stack.depth(url) for name, url in (
            ("route", stack.route.url), ("route DLQ", stack.route.dlq_url), ("update", stack.update.url),
            ("update DLQ", stack.update.dlq_url))}
    decided = Counter(d.ticket_id for d in run.decisions)
    delivered = Counter(r.body["ticket_id"] for r in endpoint.accepted())
    print(f"chain: {count} tickets ({run.posted} posts, a tenth of them twice) in {run.seconds:.1f} s "
          f"({run.seconds / count * 1000:.0f} ms per ticket, all three functions and moto)")
    print(f"  decisions stored {len(run.decisions)}, tickets decided {len(decided)}, decided twice "
          f"{sum(v > 1 for v in decided.values())}, lost {count - len(decided)}")
    print(f"  delivered {len(delivered)}, delivered twice {sum(v > 1 for v in delivered.values())}, "
          f"lost {count - len(delivered)}; left in queues {depths}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--cold-starts", type=int, default=5)
    args = parser.parse_args()
    if args.cold_starts:
        cold_starts(args.cold_starts)
    if args.tickets:
        chain(args.tickets)


if __name__ == "__main__":
    main()
