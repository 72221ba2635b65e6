"""`ticket-router serve` in a real process: its log is JSON lines with a correlation id per request and the ids
of each ticket, and customer text, API keys and the ticketing token never appear in it at INFO."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
from apitest import KEY
from servers import free_port, receiver, wait_until

TOKEN = "ticketing-token-0123456789"
SECRET_TEXT = "my flat at 12 Elm Street has had no broadband since Monday"
CUSTOMER_NAME = "Josephine Quixley"
WRONG_KEY = "wrong-key-0123456789abcdef"


def test_serve_logs_json_with_correlation_ids_and_no_customer_text_or_keys(tmp_path: Path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "server.log"
    with receiver() as endpoint:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TICKET_ROUTER_")}
        env.update({"TICKET_ROUTER_DATABASE_URL": f"sqlite:///{tmp_path / 'service.db'}",
                    "TICKET_ROUTER_API_KEYS": KEY, "TICKET_ROUTER_TICKETING_URL": endpoint.url,
                    "TICKET_ROUTER_TICKETING_TOKEN": TOKEN, "HOME": str(tmp_path)})
        with log_path.open("wb") as log_file:
            server = subprocess.Popen([sys.executable, "-m", "ticket_router", "serve", "--port", str(port)],
                                      stdout=log_file, stderr=subprocess.STDOUT, env=env)
            try:
                assert wait_until(lambda: _up(base), timeout=60), log_path.read_text()
                auth = {"Authorization": f"Bearer {KEY}"}
                with httpx.Client(base_url=base, headers=auth, timeout=30) as http:
                    routed = http.post("/v1/tickets", headers={"X-Request-ID": "corr-123"}, json={
                        "ticket_id": "L-1", "subject": "Broadband down", "description": SECRET_TEXT,
                        "customer_id": "C-9"})
                    assert routed.status_code == 201 and routed.headers["x-request-id"] == "corr-123"
                    assert http.post("/v1/tickets", json={"ticket_id": "L-2", "description": SECRET_TEXT,
                                                          "created_at": "soon"}).status_code == 400
                    assert http.post("/v1/tickets/batch", json={"tickets": [
                        {"ticket_id": "L-3", "description": SECRET_TEXT}]}).status_code == 200
                    assert http.put("/v1/customers/C-9", json={"name": CUSTOMER_NAME}).status_code == 200
                    assert http.get("/v1/stats", headers={"X-API-Key": WRONG_KEY,
                                                          "Authorization": ""}).status_code == 401
                assert wait_until(lambda: len(endpoint.accepted()) == 2, timeout=30)
            finally:
                server.terminate()
                server.wait(30)
    lines = [line for line in log_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"ts", "level", "logger", "msg"} <= e.keys() for e in entries)
    request = [e for e in entries if e["msg"] == "request" and e.get("request_id") == "corr-123"]
    assert request and request[0]["route"] == "/v1/tickets" and request[0]["status"] == 201
    assert request[0]["api_key_id"] == "env-1" and request[0]["latency_ms"] >= 0
    routed_line = [e for e in entries if e["msg"] == "ticket routed" and e.get("ticket_id") == "L-1"]
    assert routed_line and routed_line[0]["request_id"] == "corr-123"
    assert {"decision_id", "team", "priority", "confidence", "latency_ms"} <= routed_line[0].keys()
    ids = [e.get("request_id") for e in entries if e["msg"] == "request" and e["route"].startswith("/v1")]
    assert len(set(ids)) == len(ids) == 5 and None not in ids  # one per request, made when the client sends none
    delivered = {e["ticket_id"] for e in entries if e["msg"] == "outbox message delivered"}
    assert delivered == {"L-1", "L-3"}
    text = "\n".join(lines)
    assert "/tickets/decisions" not in text  # the ticketing URL may hold credentials: it is not logged
    for secret in ("Elm Street", "broadband since", "Broadband down", CUSTOMER_NAME, KEY, WRONG_KEY, TOKEN):
        assert secret not in text, secret


def _up(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
