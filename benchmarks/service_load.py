"""Load: a fixed rate of POST /v1/tickets against one `ticket-router serve` process, per storage backend.

    python benchmarks/service_load.py                       # 200 req/s for 60 s, SQLite then PostgreSQL
    python benchmarks/service_load.py --rate 200 --duration 60 --backends sqlite,postgresql --baseline 20

Each ticket has a new id and a text from data/eval/eval.jsonl. The server runs as in production: INFO JSON logs,
the outbox on (every decision is also written as a message, and the server's worker delivers it to a local
receiver while the load runs). The load generator is wrk (Debian's package, installed on first use) on loopback,
on the same 2 cores as the server.

Printed per backend: requests, errors (non-2xx answers, timeouts, refused or broken connections), the achieved
rate, p50/p90/p99/max latency as wrk measured it, the server process's CPU use, and the outbox afterwards.
`--baseline N` first runs GET /healthz at the same rate for N seconds: the floor this machine, at this moment,
puts under any request (0 skips it).
"""

from __future__ import annotations

import argparse

from service_harness import (
    LOAD_HEADER,
    Server,
    backend_kinds,
    database,
    machine,
    outbox_state,
    receiver,
    run_load,
    ticket_bodies,
    wait_until,
)


def warm_up(server: Server, count: int = 50) -> None:
    with server.client() as client:
        for body in ticket_bodies(count, seed=1):
            client.post("/v1/tickets", json=body).raise_for_status()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--rate", type=int, default=200, help="requests per second")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load per backend")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--baseline", type=int, default=20, help="seconds of GET /healthz first (0: none)")
    args = parser.parse_args()

    print(f"machine: {machine()}")
    print(f"load: {args.rate} req/s of POST /v1/tickets for {args.duration} s; wrk on loopback; one server process")
    print(f"{'run':<12}{LOAD_HEADER}{'server CPU':>12}  outbox afterwards", flush=True)
    baseline_due = args.baseline > 0
    with receiver() as endpoint:
        for kind in backend_kinds(args.backends):
            with database(kind) as url:
                server = Server(url, ticketing_url=endpoint.url).start()
                try:
                    warm_up(server)
                    if baseline_due:
                        base = run_load(server.url, args.rate, args.baseline, path="/healthz")
                        print(f"{'baseline':<12}{base.row()}{'':>12}  (GET /healthz, {args.baseline} s)", flush=True)
                        baseline_due = False
                    cpu_before = server.cpu_seconds()
                    result = run_load(server.url, args.rate, args.duration)
                    cpu = (server.cpu_seconds() - cpu_before) / args.duration
                    wait_until(lambda: outbox_state(url)["pending"] == 0, timeout=60, step=1)
                    state = outbox_state(url)
                finally:
                    server.stop()
            print(f"{kind:<12}{result.row()}{cpu:>11.0%}  {state['delivered']} delivered, {state['pending']} pending,"
                  f" {state['dead']} dead, of {state['decisions']} decisions", flush=True)
    print(f"server CPU: the server process's CPU time over the run, as a share of one core. Afterwards: {machine()}")


if __name__ == "__main__":
    main()
