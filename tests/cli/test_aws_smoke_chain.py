"""`ticket-router aws smoke` against the real handlers: a local HTTP server plays API Gateway (the key check, the
request validation with the model the stack deploys, the proxy event) in front of the ingest and API functions,
and Lambda's event source mapping for the router, over moto's AWS (tests/awsstack.py)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

pytest.importorskip("aws_lambda_powertools", reason="needs the aws extra")

from awsstack import LambdaContext, Stack, api_event, aws_stack  # noqa: E402
from jsonschema import Draft4Validator  # noqa: E402
from servers import free_port, receiver  # noqa: E402
from ticket_router_cdk.request_models import BAD_BODY_TEMPLATE, ticket_schema  # noqa: E402

from ticket_router.aws import api, contract, ingest, route  # noqa: E402
from ticket_router.cli.smoke import smoke  # noqa: E402

from ticket_router.policy import RoutingPolicy  # noqa: E402

KEY = "chain-smoke-key-0123456789abcdef"
STAGE = "/dev"


@contextmanager
def gateway(stack: Stack) -> Iterator[str]:
    handlers = {contract.INGEST.name: ingest.handler, contract.API.name: api.handler}
    validator = Draft4Validator(ticket_schema())
    lock = threading.Lock()  # one invocation at a time, as the handlers share moto and the process environment

    class Handler(BaseHTTPRequestHandler):
        def answer(self, status: int, raw: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw.encode())))
            self.end_headers()
            self.wfile.write(raw.encode())

        def handle_request(self, method: str) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode() or None
            if self.headers.get("x-api-key") != KEY:
                return self.answer(403, '{"message": "Forbidden"}')
            path = self.path.removeprefix(STAGE)
            if method == "POST" and path == "/tickets":
                errors = [e.message for e in validator.iter_errors(json.loads(body or "null"))]
                if errors:
                    return self.answer(400, BAD_BODY_TEMPLATE.replace(
                        "$context.error.validationErrorString", json.dumps(errors)[1:-1].replace('"', "'")))
            function = contract.INGEST.name if path == "/tickets" else contract.API.name
            with lock:
                if method == "GET":  # the router's queue is served before a read, as Lambda would meanwhile
                    stack.drain(stack.route, route.handler)
                result = handlers[function](api_event(method, path, raw=body), LambdaContext())
            self.answer(result["statusCode"], result["body"])

        def do_POST(self) -> None:  # noqa: N802
            self.handle_request("POST")

        def do_GET(self) -> None:  # noqa: N802
            self.handle_request("GET")

        def log_message(self, *args: Any) -> None:
            pass

    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}{STAGE}/"
    finally:
        server.shutdown()
        server.server_close()


def test_the_smoke_test_passes_against_the_real_chain_and_its_ticket_is_decided_once():
    with receiver() as ticketing, aws_stack(ticketing.url) as stack, gateway(stack) as url:
        result = smoke(url, KEY, timeout_s=20, interval_s=0.05)
        assert result.ok, result.checks
        assert result.decision["ticket_id"] == result.ticket_id
        assert result.decision["team"] in {team.value for team in RoutingPolicy().teams}
        assert len(stack.store.list_ticket_decisions(result.ticket_id)) == 1
