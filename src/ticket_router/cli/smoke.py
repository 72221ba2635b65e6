"""A smoke test of a deployed stage through its public API: the key is required, an invalid ticket is refused
naming the field, a ticket is accepted and its decision can be read within a time limit. Standard library only
(urllib), so it runs from the default install."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

TICKET = {"subject": "No internet since this morning",
          "description": "Router shows a red light and nothing loads. Smoke test from ticket-router aws smoke."}


class Check(BaseModel):
    name: str
    ok: bool
    detail: str


class SmokeResult(BaseModel):
    ticket_id: str
    checks: list[Check]
    decision: dict[str, Any] | None = None
    seconds_to_decision: float | None = None

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


def request(method: str, url: str, key: str | None, body: Any = None, timeout: float = 10.0) -> tuple[int, Any]:
    """The status and the JSON (or text) answer; an HTTP error status is an answer, not an exception."""
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"not an http(s) URL: {url!r}")
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if key:
        headers["x-api-key"] = key
    req = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310 - http(s), checked
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode("utf-8", errors="replace")


def smoke(base_url: str, key: str, timeout_s: float = 30.0, interval_s: float = 1.0,
          clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> SmokeResult:
    """Runs the checks against `base_url` (the stage's URL, e.g. `https://…/prod/`). Raises OSError when the API
    cannot be reached at all."""
    base = base_url.rstrip("/")
    ticket_id = f"smoke-{uuid.uuid4().hex[:12]}"
    checks: list[Check] = []

    status, _ = request("POST", f"{base}/tickets", None, {"ticket_id": ticket_id, **TICKET})
    checks.append(Check(name="key required", ok=status in (401, 403), detail=f"without a key: {status}"))
    status, answer = request("POST", f"{base}/tickets", key, {"subject": "missing its id"})
    checks.append(Check(name="invalid ticket refused", ok=status == 400 and "ticket_id" in json.dumps(answer),
                        detail=f"{status} {json.dumps(answer)[:160]}"))

    started = clock()
    status, answer = request("POST", f"{base}/tickets", key, {"ticket_id": ticket_id, **TICKET})
    accepted = status in (200, 202) and isinstance(answer, dict) and answer.get("ticket_id") == ticket_id
    checks.append(Check(name="ticket accepted", ok=accepted, detail=f"{status} {json.dumps(answer)[:160]}"))
    if not accepted:
        return SmokeResult(ticket_id=ticket_id, checks=checks)
    while True:
        status, answer = request("GET", f"{base}/tickets/{ticket_id}", key)
        if status == 200 and isinstance(answer, dict) and answer.get("decision"):
            elapsed = clock() - started
            decision = answer["decision"]
            checks.append(Check(name="decision read", ok=True,
                                detail=f"{decision.get('team')} {decision.get('priority')} after {elapsed:.1f} s"))
            return SmokeResult(ticket_id=ticket_id, checks=checks, decision=decision, seconds_to_decision=elapsed)
        if status not in (200, 202) or clock() - started > timeout_s:
            checks.append(Check(name="decision read", ok=False,
                                detail=f"last answer {status} after {clock() - started:.1f} s"))
            return SmokeResult(ticket_id=ticket_id, checks=checks)
        sleep(interval_s)
