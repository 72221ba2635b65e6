"""One validation for every entry point (issue 11, items 3 and 8): the CLI and the API refuse the same records
with the same words: a ticket id with `/`, NUL and other control characters, a `created_at` more than a day
ahead, an outage that ends before it starts."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

import pytest
from clitest import run_cli
from pydantic import ValidationError

from ticket_router.domain import Outage, Ticket, utcnow

BAD_TICKETS = [
    ({"ticket_id": "A/1", "description": "no internet"}, "ticket_id", "must not contain '/'"),
    ({"ticket_id": "..", "description": "no internet"}, "ticket_id", "must not be '.' or '..'"),
    ({"ticket_id": "N-1", "subject": "Bill\x00", "description": "charged twice"}, "subject", "contains a NUL character"),
    ({"ticket_id": "N-2", "description": "charged\x07twice"}, "description", "contains a control character (U+0007)"),
    ({"ticket_id": "F-1", "description": "no internet", "created_at": "2999-01-01T00:00:00Z"}, "created_at",
     "more than 1 day in the future"),
]


@pytest.mark.parametrize(("fields", "field", "message"), BAD_TICKETS)
def test_the_domain_refuses_the_ticket(fields, field, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        Ticket.model_validate(fields)


def test_what_is_allowed_stays_allowed():
    soon = utcnow() + timedelta(hours=20)  # clock skew and time zones
    ticket = Ticket(ticket_id=" T-1:#?é ", subject="tab\there", description="line\r\nbreak", created_at=soon)
    assert ticket.ticket_id == "T-1:#?é"


@pytest.mark.parametrize(("fields", "field", "message"), BAD_TICKETS)
def test_the_api_refuses_it_with_a_400_naming_the_field(client, fields, field, message):
    response = client.post("/v1/tickets", json=fields)
    assert response.status_code == 400
    assert {"field": field, "message": message} in [
        {"field": e["field"], "message": e["message"][:len(message)]} for e in response.json()["errors"]]
    batch = client.post("/v1/tickets/batch", json={"tickets": [fields]}).json()
    assert batch["invalid"] == 1 and message in batch["results"][0]["errors"][0]["message"]


def test_every_ticket_the_api_accepts_can_be_read_back(client):
    for ticket_id in ("T 1", "T?1", "T#1", "T\\1", "ü-1", "T.1", "..T"):
        assert client.post("/v1/tickets", json={"ticket_id": ticket_id, "description": "no internet"}).status_code == 201
        assert client.get(f"/v1/tickets/{quote(ticket_id, safe='')}").status_code == 200, ticket_id


def test_the_cli_refuses_the_same_records_with_the_same_words_and_routes_the_rest(tmp_path):
    source = tmp_path / "tickets.jsonl"
    source.write_text("".join(json.dumps(f) + "\n" for f, _, _ in BAD_TICKETS)
                      + json.dumps({"ticket_id": "OK-1", "description": "no internet"}) + "\n")
    result = run_cli(["route", str(source), "--db", str(tmp_path / "t.db")], tmp_path)
    assert result.returncode == 1
    assert [json.loads(line)["ticket_id"] for line in result.stdout.splitlines()] == ["OK-1"]
    for line, (_, field, message) in enumerate(BAD_TICKETS, start=1):
        assert f"line {line}: {field}: {message}" in result.stderr


OUTAGE = {"outage_id": "O-9", "service": "internet", "region": "North", "severity": "major",
          "started_at": "2026-11-25T10:00:00Z"}


def test_an_outage_cannot_end_before_it_starts(client, tmp_path):
    with pytest.raises(ValidationError, match="ended_at is before started_at"):
        Outage.model_validate({**OUTAGE, "ended_at": "2026-11-25T09:00:00Z"})
    response = client.post("/v1/outages", json={**OUTAGE, "ended_at": "2026-11-25T09:00:00Z"})
    assert response.status_code == 400 and "ended_at is before started_at" in response.text
    assert client.post("/v1/outages", json=OUTAGE).status_code == 201
    resolved = client.post("/v1/outages/O-9/resolve", json={"ended_at": "2026-11-24T00:00:00Z"})
    assert resolved.status_code == 400 and "ended_at is before started_at" in resolved.text
    assert [o["ended_at"] for o in client.get("/v1/outages").json() if o["outage_id"] == "O-9"] == [None]
    csv = tmp_path / "outages.csv"
    csv.write_text("outage_id,service,region,severity,started_at,ended_at,description\n"
                   "O-1,internet,North,major,2026-11-25T10:00:00Z,2026-11-25T09:00:00Z,backwards\n"
                   "O-2,internet,North,major,2026-11-25T10:00:00Z,,fine\n")
    result = run_cli(["import", "outages", str(csv), "--db", str(tmp_path / "o.db")], tmp_path)
    assert result.returncode == 1
    assert "line 2: ended_at is before started_at" in result.stderr and "imported 1 outage" in result.stderr


def test_a_stored_ticket_is_read_back_whatever_the_clock_says(store):
    ahead = datetime.now(timezone.utc) + timedelta(hours=23)
    ticket = Ticket(ticket_id="S-1", description="no internet", created_at=ahead)
    from ticket_router.model.keywords import KeywordClassifier
    from ticket_router.router import Router

    Router(KeywordClassifier(), store).route(ticket)
    assert store.get_ticket("S-1") == ticket
