"""One heavy ticket must not stall the others (issue 11, item 2).

    python benchmarks/heavy_ticket.py [--mb 1.6] [--dotted-mb 0.05]

Measures, on a ticket of about `--mb` MB full of e-mail addresses (and on a smaller one made of dotted words,
`a.a.a.…`, the worst case for the e-mail pattern before issue 11, which took time quadratic in its length):
  - `extract_entities` on the whole text (its 20,000-character bound lifted), as the router calls it (bounded),
    and `Router.route` (store included) for the ticket;
  - end to end through the real service (uvicorn on a loopback port, SQLite): the latency of a small POST
    /v1/tickets sent while the heavy ticket's POST is being routed, next to a small POST on an idle server.
Timings are measured and printed, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

from ticket_router.domain import MAX_TOOL_CHARS, Ticket
from ticket_router.tools import entities
from ticket_router.tools.entities import extract_entities

KEY = "bench-key-0123456789abcdef"


def email_heavy(size: int) -> str:
    line = "Please cc alice.smith{n}@example.co.uk and bob{n}@mail.example.com about the outage.\n"
    parts, total, n = [], 0, 0
    while total < size:
        parts.append(line.format(n=n))
        total += len(parts[-1])
        n += 1
    return "".join(parts)[:size]


def dotted(size: int) -> str:
    return ("a." * (size // 2))[:size]


def timed(function, *args):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def in_process(texts: dict[str, str]) -> None:
    from ticket_router.model.registry import load_classifier
    from ticket_router.router import Router
    from ticket_router.store import open_store

    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{Path(folder) / 'bench.db'}")
        router = Router(load_classifier("tfidf-lr-v1"), store)
        for name, text in texts.items():
            entities.MAX_TOOL_CHARS = 10**9  # the bound lifted: the extractor itself on the whole text
            whole = timed(extract_entities, text)
            entities.MAX_TOOL_CHARS = MAX_TOOL_CHARS
            extract = timed(extract_entities, text)
            route = timed(router.route, Ticket(ticket_id=f"H-{name}", description=text))
            print(f"{name:>12} {len(text) / 1e6:.2f} MB: extract_entities on all of it {whole:7.3f} s, "
                  f"as the router calls it {extract:7.3f} s; route {route:7.3f} s")
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=1.6)
    parser.add_argument("--dotted-mb", type=float, default=0.05)
    args = parser.parse_args()
    texts = {"emails": email_heavy(int(args.mb * 1_000_000)), "dotted": dotted(int(args.dotted_mb * 1_000_000))}
    in_process(texts)
    service_latency(texts["emails"])


def service_latency(text: str) -> None:
    import socket

    import uvicorn

    from ticket_router.api import create_app
    from ticket_router.settings import Settings

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(api_keys=KEY, database_url=f"sqlite:///{Path(folder) / 'svc.db'}")
        server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_config=None,
                                               access_log=False))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base, auth = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {KEY}"}
        with httpx.Client(base_url=base, headers=auth, timeout=600) as http:
            idle = []
            for n in range(5):
                started = time.perf_counter()
                http.post("/v1/tickets", json={"ticket_id": f"idle-{n}", "description": "no internet since 6am"})
                idle.append(time.perf_counter() - started)
            heavy_done: list[float] = []

            def heavy() -> None:
                started = time.perf_counter()
                with httpx.Client(base_url=base, headers=auth, timeout=600) as other:
                    other.post("/v1/tickets", json={"ticket_id": "heavy", "description": text})
                heavy_done.append(time.perf_counter() - started)

            sender = threading.Thread(target=heavy)
            sender.start()
            time.sleep(0.5)  # the heavy body is uploaded and being routed
            started = time.perf_counter()
            small = http.post("/v1/tickets", json={"ticket_id": "small", "description": "charged twice"})
            behind = time.perf_counter() - started
            sender.join()
        server.should_exit = True
        thread.join(30)
    print(f"service: small POST on an idle server p50 {statistics.median(idle) * 1000:.1f} ms; "
          f"small POST sent 0.5 s after a {len(text) / 1e6:.2f} MB POST: {behind * 1000:.1f} ms "
          f"(status {small.status_code}); the heavy POST took {heavy_done[0]:.2f} s")


if __name__ == "__main__":
    main()
