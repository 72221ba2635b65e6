"""Crash: `kill -9` the server in the middle of a load run, start it again, and count what survived.

    python benchmarks/service_crash.py                      # SQLite then PostgreSQL, 200 req/s, kill at 10 s
    python benchmarks/service_crash.py --backends sqlite --rate 200 --duration 30 --kill-after 10 --down 3

wrk sends POST /v1/tickets for `--duration` seconds and records the id of every ticket that got a 2xx. After
`--kill-after` seconds the server gets SIGKILL; `--down` seconds later a new server process starts on the same
database and port (the load keeps running throughout, so requests meanwhile fail). When the load ends, the script
waits for the outbox to drain (a message the killed worker had claimed waits for its 60 s lease) and checks:
- every ticket that got a 2xx has its decision stored (a decision stored without a 2xx is one whose request was in
  flight at the kill, or when wrk stopped at the end: wrk does not wait for the last answers);
- every decision's outbox message reached the ticketing receiver (a local HTTP server), counted by Idempotency-Key;
  copies (sent again after the crash because the delivery was not yet recorded) are counted too.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

from service_harness import (
    Server,
    backend_kinds,
    database,
    decision_times,
    machine,
    ok_ticket_ids,
    outbox_state,
    receiver,
    run_load,
    wait_until,
)

from ticket_router.domain import utcnow


def crash_run(kind: str, rate: int, duration: int, kill_after: float, down: float) -> None:
    with receiver() as endpoint, database(kind) as url, tempfile.TemporaryDirectory() as folder:
        ok_ids = Path(folder) / "ok-ids"
        server = Server(url, ticketing_url=endpoint.url).start()
        events: dict[str, float] = {}
        killed = {"at": utcnow()}

        def crash_and_restart() -> None:
            time.sleep(kill_after)
            events["before"] = outbox_state(url)["decisions"]
            server.kill()
            killed["at"] = utcnow()
            events["killed_at"] = time.monotonic()
            time.sleep(down)
            server.start()
            events["back_after_s"] = time.monotonic() - events["killed_at"]

        chaos = threading.Thread(target=crash_and_restart)
        chaos.start()
        load = run_load(server.url, rate, duration, ok_ids=ok_ids)
        chaos.join()
        load_ended = time.monotonic()
        drained = wait_until(lambda: outbox_state(url)["pending"] == 0, timeout=180, step=1)
        drain_s = time.monotonic() - load_ended
        state = outbox_state(url)
        server.stop()

        acknowledged = ok_ticket_ids(ok_ids)
        decided = decision_times(url)
        stored = acknowledged & decided.keys()
        unacknowledged = [at for ticket_id, at in decided.items() if ticket_id not in acknowledged]
        at_kill = sum(at <= killed["at"] for at in unacknowledged)
        keys = [r.headers.get("idempotency-key") for r in endpoint.accepted()]
        unique = set(keys)
        print(f"\n{kind}: {rate} req/s for {duration} s; kill -9 after {kill_after:g} s "
              f"(≈{events['before']} decisions stored by then); back up {events['back_after_s']:.1f} s later")
        print(f"  requests answered 2xx          {len(acknowledged):>7}")
        print(f"  failed attempts while down     {load.errors:>7}  (wrk reconnects at once: retries, not tickets)")
        print(f"  2xx tickets with a decision    {len(stored):>7}  missing: {len(acknowledged - stored)}")
        print(f"  decisions stored in all        {state['decisions']:>7}  ({len(unacknowledged)} never acknowledged: "
              f"{at_kill} in flight at the kill, {len(unacknowledged) - at_kill} when the load stopped)")
        print(f"  outbox: delivered {state['delivered']}, pending {state['pending']}, dead {state['dead']}"
              f"  ({'drained' if drained else 'NOT drained'} {drain_s:.0f} s after the load ended)")
        print(f"  receiver: {len(unique)} distinct decisions (Idempotency-Key), {len(keys) - len(unique)} copies")
        print(f"  every 2xx ticket stored: {'yes' if acknowledged <= stored else 'NO'}; every decision delivered: "
              f"{'yes' if len(unique) == state['decisions'] and state['pending'] == 0 else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--kill-after", type=float, default=10)
    parser.add_argument("--down", type=float, default=3, help="seconds between the kill and the restart")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    for kind in backend_kinds(args.backends):
        crash_run(kind, args.rate, args.duration, args.kill_after, args.down)


if __name__ == "__main__":
    main()
