"""Faults: the ticketing endpoint fails for a while, or for good. Is every update delivered, or dead-lettered, and
none lost?

    python benchmarks/service_faults.py                     # SQLite then PostgreSQL
    python benchmarks/service_faults.py --backends sqlite --tickets 100 --outage 10

For each fault a fresh database and a `ticket-router serve` process (delivery timeout 2 s) post their decisions
to a local receiver. `--tickets` tickets are routed through the API while the receiver
- answers 500 for `--outage` seconds, then 200;
- answers only after 3 s (the server gives up after 2 s: a timeout) for `--outage` seconds, then at once;
- is not there at all (connection refused) for `--outage` seconds, then back on the same port;
- answers 500 for good: after the first send and 5 retries (1, 2, 4, 8, 16 s apart) each message moves to the
  dead-letter table; then `ticket-router outbox retry` re-queues them with the receiver healthy again.
Printed per fault: messages written, delivered, dead-lettered, pending and lost (written but none of those), the
receiver's count of distinct Idempotency-Keys it accepted, sends per message (as the store counted them: a refused
connection never reaches the receiver), and the time from the recovery to the last delivery.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from service_harness import (
    Receiver,
    Server,
    backend_kinds,
    database,
    free_port,
    machine,
    outbox_state,
    send_counts,
    ticket_bodies,
    wait_until,
)

HANG_S = 3.0  # the server's delivery timeout is 2 s (service_harness.Server)


def post_tickets(server: Server, count: int) -> None:
    with server.client() as client:
        response = client.post("/v1/tickets/batch", json={"tickets": ticket_bodies(count)})
        response.raise_for_status()
        assert response.json()["created"] == count


def report(name: str, url: str, receivers: list[Receiver], took: float | None) -> None:
    state = outbox_state(url)
    accepted = {r.headers.get("idempotency-key") for rec in receivers for r in rec.accepted()}
    sends = ", ".join(f"{n} × {k}" for k, n in send_counts(url).items())
    lost = state["decisions"] - state["delivered"] - state["dead"] - state["pending"]
    print(f"  {name}: {state['decisions']} written, {state['delivered']} delivered, {state['dead']} dead-lettered, "
          f"{state['pending']} pending, {lost} lost; the receiver accepted {len(accepted)} distinct")
    print(f"      sends per message (messages × sends): {sends}"
          + (f"; last delivery {took:.1f} s after the recovery" if took is not None else ""))


def transient(kind: str, fault: str, tickets: int, outage: float) -> None:
    port = free_port()
    endpoint = Receiver(port=port, mode={"500s": "fail", "timeouts": "hang"}.get(fault, "ok"), hang_seconds=HANG_S)
    receivers = [endpoint]
    with database(kind) as url:
        server = Server(url, ticketing_url=endpoint.url)
        if fault != "refused":
            endpoint.start()
        server.start()
        try:
            post_tickets(server, tickets)
            time.sleep(outage)
            if fault == "refused":
                endpoint.start()
            endpoint.mode = "ok"
            recovered = time.monotonic()
            wait_until(lambda: outbox_state(url)["pending"] == 0, timeout=120, step=0.5)
            report(f"{fault} for {outage:g} s", url, receivers, time.monotonic() - recovered)
        finally:
            server.stop()
            endpoint.stop()


def permanent(kind: str, tickets: int) -> None:
    endpoint = Receiver(mode="fail").start()
    with database(kind) as url:
        server = Server(url, ticketing_url=endpoint.url).start()
        try:
            post_tickets(server, tickets)
            started = time.monotonic()
            wait_until(lambda: outbox_state(url)["dead"] == tickets, timeout=120, step=0.5)
            report(f"500s for good ({time.monotonic() - started:.0f} s to dead-letter all)", url, [endpoint], None)
            env = {**{k: v for k, v in os.environ.items() if not k.startswith("TICKET_ROUTER_")},
                   "TICKET_ROUTER_DATABASE_URL": url}
            endpoint.mode = "ok"
            recovered = time.monotonic()
            retried = subprocess.run([sys.executable, "-m", "ticket_router", "outbox", "retry"], env=env,
                                     capture_output=True, text=True, check=True)
            wait_until(lambda: outbox_state(url)["pending"] == 0, timeout=60, step=0.5)
            report(f"receiver healthy again, then `ticket-router outbox retry` ({retried.stderr.strip()})", url,
                   [endpoint], time.monotonic() - recovered)
        finally:
            server.stop()
            endpoint.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--tickets", type=int, default=100)
    parser.add_argument("--outage", type=float, default=10, help="seconds the receiver fails before it recovers")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    for kind in backend_kinds(args.backends):
        print(f"\n{kind}, {args.tickets} tickets per fault:")
        for fault in ("500s", "timeouts", "refused"):
            transient(kind, fault, args.tickets, args.outage)
        permanent(kind, args.tickets)


if __name__ == "__main__":
    main()
