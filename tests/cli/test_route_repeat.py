"""A ticket id routed again from the CLI (issue 11, item 7): by default the stored ticket and decision stand (the
API's idempotency) and the stored decision is written out; with --reroute the ticket is routed again and the
stored ticket takes the new text. Either way no decision is stored against text it was not made from."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from clitest import run_cli

from ticket_router.store import open_store

BILLING = {"ticket_id": "R-1", "subject": "Charged twice", "description": "I was billed twice for November"}
OUTAGE = {"ticket_id": "R-1", "subject": "No internet", "description": "internet is down in the whole street"}


def route(path: Path, db: Path, tmp_path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return run_cli(["route", str(path), "--db", str(db), *flags], tmp_path)


def write(path: Path, *tickets: dict[str, str]) -> Path:
    path.write_text("".join(json.dumps(t) + "\n" for t in tickets))
    return path


def stored(db: Path):  # type: ignore[no-untyped-def]
    store = open_store(f"sqlite:///{db}")
    try:
        return store.get_ticket("R-1"), store.list_ticket_decisions("R-1")
    finally:
        store.close()


def test_a_repeated_id_keeps_its_stored_ticket_and_decision(tmp_path):
    db = tmp_path / "r.db"
    first = route(write(tmp_path / "a.jsonl", BILLING), db, tmp_path)
    again = route(write(tmp_path / "b.jsonl", OUTAGE, OUTAGE), db, tmp_path)
    assert first.returncode == again.returncode == 0, again.stderr
    [made] = [json.loads(line) for line in first.stdout.splitlines()]
    echoed = [json.loads(line) for line in again.stdout.splitlines()]
    assert [d["decision_id"] for d in echoed] == [made["decision_id"]] * 2 and made["team"] == "Billing Support"
    assert "2 tickets had an id routed before" in again.stderr and "--reroute" in again.stderr
    ticket, decisions = stored(db)
    assert ticket.subject == "Charged twice" and [d.decision_id for d in decisions] == [made["decision_id"]]


def test_reroute_routes_again_and_the_ticket_takes_the_new_text(tmp_path):
    db = tmp_path / "r.db"
    route(write(tmp_path / "a.jsonl", BILLING), db, tmp_path)
    again = route(write(tmp_path / "b.jsonl", OUTAGE), db, tmp_path, "--reroute")
    assert again.returncode == 0, again.stderr
    [decision] = [json.loads(line) for line in again.stdout.splitlines()]
    assert decision["team"] == "Network Operations"
    ticket, decisions = stored(db)
    assert (ticket.subject, ticket.description) == (OUTAGE["subject"], OUTAGE["description"])
    assert [d.decision_id for d in decisions][0] == decision["decision_id"] and len(decisions) == 2


def test_an_id_twice_in_one_file_is_routed_once(tmp_path):
    db = tmp_path / "r.db"
    result = route(write(tmp_path / "a.jsonl", BILLING, OUTAGE), db, tmp_path)
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 2 and out[0]["decision_id"] == out[1]["decision_id"]
    ticket, decisions = stored(db)
    assert ticket.subject == "Charged twice" and len(decisions) == 1
