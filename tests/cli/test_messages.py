"""What a new user reads: install hints, help text, plurals and the end of the demo (issue 11, items 11-14)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from clitest import run_cli as run
import typer

from ticket_router.cli.common import fail


@pytest.mark.parametrize("extra", ["dashboard", "service", "train", "agent"])
def test_install_hints_keep_the_extra_name(extra, capsys):
    with pytest.raises(typer.Exit):
        fail(f"needs the extra: pip install 'ticket-router[{extra}]'")
    assert f"pip install 'ticket-router[{extra}]'" in capsys.readouterr().err


def test_help_shows_no_value_for_flags_and_plain_argument_names(tmp_path):
    route = run(["route", "--help"], tmp_path).stdout
    assert "[INPUT]" in route and "<bool>" not in route and re.search(r"--json +Print", route)
    outages = run(["import", "outages", "--help"], tmp_path).stdout
    assert "[OPTIONS] FILE" in outages and "{file}" not in outages


def test_import_counts_read_as_english(tmp_path):
    source = tmp_path / "outages.csv"
    source.write_text("outage_id,service,region,severity,started_at,ended_at,description\n"
                      "O-1,internet,North,major,2026-01-01T00:00:00Z,,fibre cut\n")
    result = run(["import", "outages", str(source), "--db", str(tmp_path / "o.db")], tmp_path)
    assert result.returncode == 0 and "imported 1 outage\n" in result.stderr


def labelled(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def test_evaluate_takes_several_files_one_table_each_and_a_total(tmp_path):
    first = labelled(tmp_path / "a.jsonl", [
        {"ticket_id": "1", "description": "refund the double charge on my bill", "team": "Billing Support"},
        {"ticket_id": "2", "description": "modem keeps rebooting every hour", "team": "Technical Support"}])
    second = labelled(tmp_path / "b.jsonl", [
        {"ticket_id": "3", "description": "no signal in the whole town since the storm", "team": "Network Operations"}])
    result = run(["evaluate", str(first), str(second), "--db", str(tmp_path / "e.db")], tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"{first}:" in result.stdout and f"{second}:" in result.stdout
    assert "total (2 files)" in result.stdout and "on 3 tickets" in result.stdout
    assert "on 1 ticket\n" in result.stdout and result.stdout.count("Confusion matrix") == 3
    as_json = json.loads(run(["evaluate", str(first), str(second), "--json", "--db", str(tmp_path / "e.db")],
                             tmp_path).stdout)
    assert as_json["total"]["count"] == 3 and as_json["files"][str(second)]["count"] == 1


def test_evaluate_names_a_missing_gold_label_plainly(tmp_path):
    source = labelled(tmp_path / "unlabelled.jsonl", [{"ticket_id": "1", "description": "refund please"}])
    result = run(["evaluate", str(source), "--db", str(tmp_path / "e.db")], tmp_path)
    assert result.returncode == 1
    assert "line 1: no gold `team` field" in result.stderr and "None" not in result.stderr


def test_reasoning_names_no_service_when_the_ticket_names_none():
    from ticket_router.domain import Ticket
    from ticket_router.model.keywords import KeywordClassifier
    from ticket_router.router import Router
    from ticket_router.store.sql import SqlStore
    from ticket_router.domain import Customer

    store = SqlStore.from_url("sqlite://")
    store.upsert_customers([Customer(customer_id="C-1", region="North")])
    decision = Router(KeywordClassifier(), store).route(
        Ticket(ticket_id="R-1", description="I was charged twice this month", customer_id="C-1"), save=False)
    assert "No active outage in North." in decision.reasoning and "unspecified" not in decision.reasoning


def test_demo_ends_with_the_database_and_what_to_try_next(tmp_path):
    result = run(["demo"], tmp_path)
    assert result.returncode == 0, result.stderr
    database = tmp_path / "xdg" / "ticket-router" / "demo.db"
    assert database.exists()
    tail = result.stdout[result.stdout.rindex("Routing summary"):]
    assert f"The demo database is {database}" in tail
    for command in ("ticket-router dashboard --db", "ticket-router serve --db", "ticket-router route my-tickets.jsonl"):
        assert command in tail
