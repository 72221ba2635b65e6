"""`ticket-router aws smoke` against a real local HTTP server that answers like the deployed stage: API Gateway's
key check and its 400 for a body the ticket model refuses (checked against the draft-4 model the stack deploys),
the ingest function's 202, and the API function's 202 `pending` then 200 with the decision."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from cli.test_cli import run
from jsonschema import Draft4Validator
from servers import free_port
from ticket_router_cdk.request_models import ticket_schema

from ticket_router.cli.smoke import smoke

KEY = "smoke-test-key-0123456789abcdef"


@dataclass
class FakeStage:
    """`pending_reads`: GETs answered 202 before the decision shows. `check_key`: False plays a stage whose
    methods were deployed without `apiKeyRequired`."""

    pending_reads: int = 2
    check_key: bool = True
    decide: bool = True
    tickets: dict[str, int] = field(default_factory=dict)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/prod/"


def refused(body: dict[str, Any]) -> str | None:
    """What API Gateway's request validation says about a body, or None when the model accepts it."""
    errors = [e.message for e in Draft4Validator(ticket_schema()).iter_errors(body)]
    return "; ".join(errors) or None


@contextmanager
def serve(stage: FakeStage) -> Iterator[FakeStage]:
    class Handler(BaseHTTPRequestHandler):
        def answer(self, status: int, body: Any) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def authorised(self) -> bool:
            if stage.check_key and self.headers.get("x-api-key") != KEY:
                self.answer(403, {"message": "Forbidden"})
                return False
            return True

        def do_POST(self) -> None:  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            if not self.authorised():
                return
            if self.path != "/prod/tickets":
                return self.answer(404, {"message": "Missing Authentication Token"})
            problem = refused(body)
            if problem:
                return self.answer(400, {"detail": "invalid input", "errors": [{"field": "body", "message": problem}]})
            stage.tickets.setdefault(body["ticket_id"], 0)
            self.answer(202, {"ticket_id": body["ticket_id"], "status": "accepted"})

        def do_GET(self) -> None:  # noqa: N802
            if not self.authorised():
                return
            ticket_id = self.path.removeprefix("/prod/tickets/")
            if ticket_id not in stage.tickets:
                return self.answer(404, {"detail": "unknown ticket"})
            stage.tickets[ticket_id] += 1
            if not stage.decide or stage.tickets[ticket_id] <= stage.pending_reads:
                return self.answer(202, {"ticket_id": ticket_id, "status": "pending"})
            decision = {"ticket_id": ticket_id, "team": "Network Operations", "priority": "P2"}
            self.answer(200, {"ticket": {"ticket_id": ticket_id}, "decision": decision, "history": [decision]})

        def log_message(self, *args: Any) -> None:
            pass

    stage.port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", stage.port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stage
    finally:
        server.shutdown()
        server.server_close()


def test_a_healthy_stage_passes_every_check():
    with serve(FakeStage()) as stage:
        result = smoke(stage.url, KEY, timeout_s=10, interval_s=0.01)
    assert result.ok, result.checks
    assert [c.name for c in result.checks] == ["key required", "invalid ticket refused", "ticket accepted",
                                               "decision read"]
    assert result.decision["team"] == "Network Operations"
    assert stage.tickets[result.ticket_id] == 3  # two pending reads, then the decision


def test_a_stage_that_takes_no_key_fails_the_smoke_test():
    with serve(FakeStage(check_key=False)) as stage:
        result = smoke(stage.url, KEY, timeout_s=10, interval_s=0.01)
    assert not result.ok
    assert [c.name for c in result.checks if not c.ok] == ["key required"]


def test_a_decision_that_never_comes_fails_after_the_timeout():
    ticks = iter(range(1000))
    with serve(FakeStage(decide=False)) as stage:
        result = smoke(stage.url, KEY, timeout_s=5, interval_s=0, clock=lambda: float(next(ticks)),
                       sleep=lambda _: None)
    assert not result.ok and result.checks[-1].name == "decision read" and "202" in result.checks[-1].detail


def test_the_command_prints_each_check_and_exits_by_the_result(tmp_path):
    with serve(FakeStage(pending_reads=0)) as stage:
        good = run(["aws", "smoke", "--url", stage.url, "--key", KEY, "--timeout", "10"], tmp_path)
        bad = run(["aws", "smoke", "--url", stage.url, "--key", "wrong-key-0123456789", "--timeout", "2"], tmp_path)
    assert good.returncode == 0, good.stderr
    assert b"all checks passed" in good.stdout and b"decision read: Network Operations P2" in good.stdout
    assert bad.returncode == 1 and b"FAIL ticket accepted" in bad.stdout


def test_an_unreachable_stage_is_a_one_line_error(tmp_path):
    result = run(["aws", "smoke", "--url", f"http://127.0.0.1:{free_port()}/prod", "--key", KEY], tmp_path)
    assert result.returncode == 1 and b"cannot reach" in result.stderr and b"Traceback" not in result.stderr


@pytest.mark.parametrize("url", ["ftp://example", "stage"])
def test_a_url_that_is_not_http_is_refused(tmp_path, url):
    result = run(["aws", "smoke", "--url", url, "--key", KEY], tmp_path)
    assert result.returncode == 2 and b"--url" in result.stderr


def test_url_and_key_can_come_from_the_settings(tmp_path):
    with serve(FakeStage(pending_reads=0)) as stage:
        result = run(["aws", "smoke"], tmp_path, TICKET_ROUTER_STAGE_URL=stage.url, TICKET_ROUTER_STAGE_KEY=KEY)
    assert result.returncode == 0, result.stderr
    result = run(["aws", "smoke"], tmp_path)
    assert result.returncode == 2 and b"TICKET_ROUTER_STAGE_URL" in result.stderr
