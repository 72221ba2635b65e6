"""Batch: an uploaded file is routed record by record; bad records are listed by line, the rest routed and stored."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd

from dashboardtest import Dashboard, assert_clean, screen
from ticket_router.dashboard.batch import RESULT_KEY, decisions_json, results_csv, results_frame

GOOD = [
    {"ticket_id": "B-1", "subject": "No internet", "description": "Fibre down since 7am in North",
     "customer_id": "C-1007"},
    {"ticket_id": "B-2", "subject": "Charged twice", "description": "Invoice INV-2291 shows 49.99 twice"},
    {"ticket_id": "B-3", "subject": "Locked out", "description": "I cannot log in to my account, password reset fails"},
]


def _jsonl(records: list[dict], bad_lines: dict[int, str]) -> bytes:  # type: ignore[type-arg]
    lines = [json.dumps(r) for r in records]
    for index, line in sorted(bad_lines.items()):
        lines.insert(index - 1, line)
    return ("\n".join(lines) + "\n").encode()


def _upload(dashboard: Dashboard, name: str, data: bytes):  # type: ignore[no-untyped-def]
    app = dashboard.page("batch")
    assert "Upload a file to route it" in screen(app)  # the empty state explains the format
    app.file_uploader[0].upload(name, data, "application/octet-stream")
    return app.run()


def test_a_batch_with_bad_records_routes_the_valid_ones_and_names_the_bad(dashboard: Dashboard) -> None:
    data = _jsonl(GOOD, {2: '{"ticket_id": "B-X", "subject": "broken json', 4: '{"subject": "no id here"}'})
    app = _upload(dashboard, "tickets.jsonl", data)

    assert not app.exception
    shown = screen(app)
    assert "5 record(s) read as JSONL — 3 valid, 2 rejected" in shown
    assert "line 2: invalid JSON" in shown and "line 4: missing ticket_id" in shown
    assert not [d for d in dashboard.store.list_decisions() if d.ticket_id.startswith("B-")]  # nothing routed yet

    next(b for b in app.button if b.label.startswith("Route 3 ticket")).click().run()

    assert not app.exception
    stored = {d.ticket_id: d for d in dashboard.store.list_decisions() if d.ticket_id.startswith("B-")}
    assert set(stored) == {"B-1", "B-2", "B-3"}
    assert stored["B-1"].team.value == "Network Operations" and stored["B-2"].team.value == "Billing Support"
    shown = screen(app)
    assert "Routed 3 ticket(s) from tickets.jsonl" in shown and "2 rejected" in shown
    assert "line 4: missing ticket_id" in shown  # the rejections stay listed next to the results
    table = app.dataframe[0].value
    assert list(table["ticket_id"]) == ["B-1", "B-2", "B-3"]
    assert list(table["team"]) == [stored[t].team.value for t in ("B-1", "B-2", "B-3")]
    assert len(app.get("plotly_chart")) == 2  # by team, by priority


def test_results_filter_and_download_as_json_and_csv(dashboard: Dashboard) -> None:
    app = _upload(dashboard, "tickets.csv", _csv(GOOD))
    next(b for b in app.button if b.label.startswith("Route 3 ticket")).click().run()
    assert_clean(app)

    app.multiselect(key="batch.teams").set_value(["Billing Support"]).run()
    assert list(app.dataframe[0].value["ticket_id"]) == ["B-2"]
    assert "1 of 3 shown" in screen(app)

    downloads = [button.label for button in app.get("download_button")]
    assert downloads == ["Download JSON", "Download CSV"]
    # what the two buttons serve (the browser test downloads them for real)
    result = app.session_state[RESULT_KEY]
    decisions = json.loads(decisions_json(result.decisions))
    assert [d["ticket_id"] for d in decisions] == ["B-1", "B-2", "B-3"]  # every result, not just the filtered
    assert {"team", "priority", "confidence", "reasoning", "priority_factors"} <= set(decisions[0])
    rows = list(csv.DictReader(io.StringIO(results_csv(results_frame(result.tickets, result.decisions)))))
    assert [r["ticket_id"] for r in rows] == ["B-1", "B-2", "B-3"]
    assert rows[1]["team"] == "Billing Support" and rows[1]["subject"] == "Charged twice"


def test_a_file_without_any_valid_record_says_so_and_routes_nothing(dashboard: Dashboard) -> None:
    app = _upload(dashboard, "bad.json", b'[{"subject": "no id"}, 42]')

    assert not app.exception
    shown = screen(app)
    assert "0 valid, 2 rejected" in shown and "No valid ticket in this file" in shown
    assert next(b for b in app.button if b.label.startswith("Route 0")).disabled


def test_the_csv_download_defuses_spreadsheet_formulas() -> None:
    frame = pd.DataFrame([{"ticket_id": "=HYPERLINK(\"http://x\")", "customer_id": "+1", "subject": "@SUM(A1)",
                           "team": "Billing Support"}])
    rows = list(csv.DictReader(io.StringIO(results_csv(frame))))
    assert rows[0]["ticket_id"].startswith("'=") and rows[0]["customer_id"] == "'+1"
    assert rows[0]["subject"] == "'@SUM(A1)" and rows[0]["team"] == "Billing Support"


def _csv(records: list[dict]) -> bytes:  # type: ignore[type-arg]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["ticket_id", "subject", "description", "customer_id"])
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue().encode()
