"""A real local HTTP server for the tests: a ticketing-system receiver that can be told to fail. Loopback only,
free ports, bounded waits."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class Receiver:
    """A ticketing endpoint. `mode`: "ok" (200), "fail" (500), "hang" (answers after `hang_seconds`).
    Every request is recorded, including the ones it fails."""

    mode: str = "ok"
    hang_seconds: float = 3.0
    requests: list[Received] = field(default_factory=list)
    port: int = 0
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/tickets/decisions"

    def accepted(self) -> list[Received]:
        with self._lock:
            return [r for r in self.requests if r.headers.get("x-outcome") == "ok"]

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                mode = receiver.mode
                headers = {k.lower(): v for k, v in self.headers.items()}
                headers["x-outcome"] = mode
                with receiver._lock:
                    receiver.requests.append(Received(headers, body))
                if mode == "hang":
                    time.sleep(receiver.hang_seconds)
                status = 200 if mode == "ok" else 500
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # "hang": the sender gave up waiting, as it should

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port or 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@contextmanager
def receiver(mode: str = "ok", **options: Any) -> Iterator[Receiver]:
    running = Receiver(mode=mode, **options).start()
    try:
        yield running
    finally:
        running.stop()


def wait_until(condition: Callable[[], bool], timeout: float = 15.0, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()

