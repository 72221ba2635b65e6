import json

import pytest

from ticket_router.ingest import Accepted, Rejected, read_customers, read_outages, read_tickets, split


def reasons(items):
    return [str(i) for i in items if isinstance(i, Rejected)]


def accepted_ids(items):
    return [i.record.ticket_id for i in items if isinstance(i, Accepted)]


def test_jsonl_rejects_each_bad_line_by_number_and_keeps_the_rest():
    lines = [
        json.dumps({"ticket_id": "A", "description": "internet down"}),
        "{not json",
        json.dumps({"description": "no id"}),
        json.dumps({"ticket_id": "B", "subject": " ", "description": ""}),
        json.dumps({"ticket_id": 7, "description": "wrong type"}),
        json.dumps({"ticket_id": "C", "description": "x", "created_at": "yesterday"}),
        "",
        json.dumps({"ticket_id": "D", "subject": "Data cap", "created_at": "2026-11-24T10:00:00Z"}),
        json.dumps(["not", "an", "object"]),
    ]
    data = "\n".join(lines).encode() + b"\n" + b'{"ticket_id": "E", "description": "caf\xe9"}\n'
    items = list(read_tickets(data, "jsonl"))
    assert accepted_ids(items) == ["A", "D"]
    assert reasons(items) == [
        "line 2: invalid JSON (Expecting property name enclosed in double quotes at column 2)",
        "line 3: missing ticket_id",
        "line 4: subject and description are both blank",
        "line 5: ticket_id: expected a string, got int",
        "line 6: created_at: not an ISO 8601 date-time: 'yesterday'",
        "line 9: expected a JSON object, got list",
        "line 10: not valid UTF-8 (byte 38)",
    ]


def test_json_array_numbers_records():
    data = json.dumps([{"ticket_id": "A", "description": "x"}, {"ticket_id": "", "description": "y"}]).encode()
    items = list(read_tickets(data, "json"))
    assert accepted_ids(items) == ["A"]
    assert reasons(items) == ["line 2: ticket_id: must not be blank"]


def test_csv_uses_file_line_numbers_and_treats_empty_cells_as_missing():
    data = (
        "ticket_id,subject,description,customer_id,created_at\n"
        "A,Bill,wrong charge,,\n"
        ",Bill,no id,,\n"
        "C,\"multi\nline\",text,C-1,2026-11-24T10:00:00+01:00\n"
        "D,,,C-1,\n"
    ).encode()
    items = list(read_tickets(data, "csv"))
    assert accepted_ids(items) == ["A", "C"]
    assert reasons(items) == ["line 3: missing ticket_id", "line 6: subject and description are both blank"]
    created = [i.record for i in items if isinstance(i, Accepted)][1].created_at
    assert created.utcoffset().total_seconds() == 0 and created.hour == 9


def test_csv_bad_utf8_row_is_rejected_alone():
    data = b"ticket_id,description\nA,fine\nB,caf\xe9\nC,fine too\n"
    items = list(read_tickets(data, "csv"))
    assert accepted_ids(items) == ["A", "C"]
    assert reasons(items) == ["line 3: not valid UTF-8"]


def test_customers_and_outages_csv():
    customers = list(read_customers(
        b"customer_id,name,vip,account_type,plan,region\nC1,Ann,true,business,Pro,North\nC2,Bob,maybe,consumer,,\n"
    ))
    assert customers[0].record.vip and customers[0].record.account_type == "business"
    assert str(customers[1]) == "line 3: vip: expected true/false, got 'maybe'"
    outages = list(read_outages(
        b"outage_id,service,region,severity,started_at,ended_at,description\n"
        b"O1,Internet,North,critical,2026-11-25T06:00:00Z,,cut\nO2,internet,North,huge,2026-11-25T06:00:00Z,,x\n"
    ))
    assert outages[0].record.ended_at is None and outages[0].record.service == "internet"
    assert str(outages[1]).startswith("line 3: severity:")


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
def test_empty_input_has_no_records(fmt):
    assert list(read_tickets(b"[]" if fmt == "json" else b"", fmt)) == []


def test_csv_with_a_non_utf8_header_is_one_clear_rejection():
    items = list(read_tickets(b"ticket_id,descr\xe9ption\nT1,hello\nT2,world\n", "csv"))
    assert [str(i) for i in items] == ["line 1: the header line is not valid UTF-8; no record can be read"]


def test_split_keeps_input_order_on_both_sides():
    data = b'{"ticket_id": "A", "description": "x"}\nnope\n{"ticket_id": "B", "description": "y"}\n{}\n'
    tickets, rejected = split(read_tickets(data, "jsonl"))
    assert [t.ticket_id for t in tickets] == ["A", "B"]
    assert [r.line for r in rejected] == [2, 4]
