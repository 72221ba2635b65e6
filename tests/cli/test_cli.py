"""The CLI contract, through the real console entry point in a subprocess (exit codes, stdout, stderr)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REQUIRED = {"ticket_id", "team", "category", "priority", "confidence", "needs_review", "alternatives",
            "reasoning", "entities", "priority_factors", "processing_ms", "model"}


def run(args: list[str], tmp_path: Path, stdin: bytes | None = None, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("TICKET_ROUTER_")}
    environ.update({"XDG_DATA_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path), "COLUMNS": "120", **env})
    return subprocess.run([sys.executable, "-m", "ticket_router", *args], input=stdin, capture_output=True,
                          env=environ, timeout=120)


def decisions(stdout: bytes) -> list[dict]:
    return [json.loads(line) for line in stdout.decode().splitlines() if line.strip()]


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    path = tmp_path / "tickets.jsonl"
    path.write_bytes(
        b'{"ticket_id": "A", "subject": "Refund", "description": "I was billed twice this month"}\n'
        b'{"ticket_id": "B", "description": ""}\n'
        b"{broken\n"
        b'{"ticket_id": "C", "description": "router keeps rebooting", "created_at": "soon"}\n'
        b'{"ticket_id": "D", "description": "No signal on my phone since the storm", "customer_id": "C-1001"}\n'
        b'{"ticket_id": "E", "description": "caf\xe9 wifi"}\n'
        b'{"ticket_id": "F", "subject": "Password reset", "channel": "web"}\n'
    )
    return path


def test_batch_routes_valid_records_reports_bad_ones_and_exits_1(batch, tmp_path):
    result = run(["route", str(batch), "--db", str(tmp_path / "r.db")], tmp_path)
    assert result.returncode == 1
    out = decisions(result.stdout)
    assert [d["ticket_id"] for d in out] == ["A", "D", "F"]
    assert all(REQUIRED <= d.keys() for d in out)
    assert all(d["priority_factors"] and d["model"]["name"] and d["model"]["version"] for d in out)
    err = result.stderr.decode()
    for expected in ("line 2: subject and description are both blank", "line 3: invalid JSON",
                     "line 4: created_at: not an ISO 8601 date-time", "line 6: not valid UTF-8"):
        assert expected in err
    assert "Routing summary" in err and "Traceback" not in err


def test_out_file_and_clean_exit(tmp_path):
    source = tmp_path / "ok.csv"
    source.write_text("ticket_id,subject,description\nX1,Data cap,\nX2,,my landline has no dial tone\n")
    target = tmp_path / "out.jsonl"
    result = run(["route", str(source), "--out", str(target), "--db", str(tmp_path / "r.db")], tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == b""
    assert [d["ticket_id"] for d in decisions(target.read_bytes())] == ["X1", "X2"]


def test_stdin_jsonl(tmp_path):
    result = run(["route", "-", "--db", str(tmp_path / "r.db")], tmp_path,
                 stdin=b'{"ticket_id": "S1", "description": "cannot log in to my account"}\n')
    assert result.returncode == 0
    assert decisions(result.stdout)[0]["team"] == "Account Management"


def test_json_array_input(tmp_path):
    source = tmp_path / "t.json"
    source.write_text(json.dumps([{"ticket_id": "J1", "description": "overcharged on my invoice"}]))
    result = run(["route", str(source), "--db", str(tmp_path / "r.db")], tmp_path)
    assert decisions(result.stdout)[0]["team"] == "Billing Support"


def test_single_text_as_json_uses_seeded_default_database(tmp_path):
    result = run(["route", "--text", "internet is completely down", "--customer", "C-1001", "--json"], tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    decision = json.loads(result.stdout)
    assert decision["team"] == "Network Operations" and decision["priority"] == "P0"
    assert (tmp_path / "xdg" / "ticket-router" / "ticket-router.db").exists()


def test_single_text_readable(tmp_path):
    result = run(["route", "--text", "my bill doubled", "--subject", "Bill"], tmp_path)
    assert result.returncode == 0
    assert "Billing Support" in result.stdout.decode() and "Priority" in result.stdout.decode()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["route", "missing.jsonl"], "cannot read missing.jsonl"),
        (["route", "tickets.txt"], "unknown format .txt"),
        (["route"], "give either INPUT"),
        (["route", "--text", "   "], "blank"),
    ],
)
def test_usage_errors_are_messages_not_tracebacks(tmp_path, args, message):
    result = run(args, tmp_path)
    assert result.returncode == 2
    assert message in result.stderr.decode() and "Traceback" not in result.stderr.decode()


def test_unknown_setting_fails_loudly(tmp_path):
    result = run(["demo"], tmp_path, TICKET_ROUTER_DATABSE_URL="sqlite:///x.db")
    assert result.returncode == 2 and "TICKET_ROUTER_DATABSE_URL" in result.stderr.decode()


def test_import_customers_then_route_uses_them(tmp_path):
    db = str(tmp_path / "r.db")
    customers = tmp_path / "c.csv"
    customers.write_text("customer_id,name,vip,account_type,plan,region\nV1,Vera,true,consumer,Max,North\n"
                         "V2,Bad,perhaps,consumer,,\n")
    result = run(["import", "customers", str(customers), "--db", db], tmp_path)
    assert result.returncode == 1 and "line 3: vip" in result.stderr.decode()
    outages = tmp_path / "o.csv"
    outages.write_text("outage_id,service,region,severity,started_at,ended_at,description\n"
                       "O9,internet,North,major,2020-01-01T00:00:00Z,,fibre cut\n")
    assert run(["import", "outages", str(outages), "--db", db], tmp_path).returncode == 0
    result = run(["route", "--text", "my internet keeps dropping", "--customer", "V1", "--json", "--db", db], tmp_path)
    decision = json.loads(result.stdout)
    assert decision["vip"] and decision["active_outages"] == ["O9"] and decision["priority"] == "P0"


def test_evaluate_prints_the_figures(tmp_path):
    source = tmp_path / "gold.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in [
        {"ticket_id": "1", "description": "refund the double charge", "team": "Billing Support"},
        {"ticket_id": "2", "description": "modem keeps rebooting", "team": "Technical Support"},
        {"ticket_id": "3", "description": "no signal in town", "team": "Network Operations"},
        {"ticket_id": "4", "description": "locked out of my account", "team": "Account Management"},
        {"ticket_id": "5", "description": "no gold label"},
    ]))
    result = run(["evaluate", str(source), "--json", "--db", str(tmp_path / "r.db")], tmp_path)
    assert result.returncode == 1 and "line 5: no gold `team` field" in result.stderr.decode()
    figures = json.loads(result.stdout)
    assert figures["count"] == 4 and figures["accuracy"] == 1.0
    assert {"macro_f1", "per_team", "confusion", "ece"} <= figures.keys()


def test_demo_runs(tmp_path):
    result = run(["demo"], tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert "Routing summary" in result.stdout.decode()


def test_unreadable_database_still_routes_every_ticket_flagged_and_unsaved(batch, tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not a SQLite file" * 100)
    result = run(["route", str(batch), "--db", str(broken)], tmp_path)
    assert result.returncode == 1  # for the rejected records, as without the database problem
    out = decisions(result.stdout)
    assert [d["ticket_id"] for d in out] == ["A", "D", "F"]
    assert all(d["needs_review"] and any("database unavailable" in r for r in d["review_reasons"]) for d in out)
    err = result.stderr.decode()
    assert "cannot open the database" in err and "not saved" in err and "Traceback" not in err
    assert broken.read_bytes() == b"this is not a SQLite file" * 100


def test_a_description_of_hundreds_of_kb_is_routed(tmp_path):
    source = tmp_path / "long.jsonl"
    text = "My bill doubled again and nobody explains the charge. " * 8000  # ~430 KB
    source.write_text(json.dumps({"ticket_id": "L1", "description": text}) + "\n")
    result = run(["route", str(source), "--db", str(tmp_path / "r.db")], tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert decisions(result.stdout)[0]["team"] == "Billing Support"
