"""Reading input files into validated records. A bad record becomes a `Rejected` naming its line; it never
stops the rest of the file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from ticket_router.domain import Customer, Outage, Ticket

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class Accepted(Generic[M]):
    line: int
    record: M


class InputError(Exception):
    """The input as a whole cannot be read (missing file, unknown format)."""


TICKET_FIELDS = ("ticket_id", "subject", "description", "customer_id", "created_at", "channel")
_STRING_FIELDS = frozenset({"ticket_id", "subject", "description", "customer_id", "channel", "created_at"})


def describe_validation_error(error: ValidationError) -> str:
    parts = []
    for item in error.errors(include_url=False):
        where = ".".join(str(p) for p in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "missing":
            parts.append(f"missing {where}")
        else:
            parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def _parse_ticket(raw: Any) -> Ticket:
    if not isinstance(raw, dict):
        raise ValueError(f"expected a JSON object, got {type(raw).__name__}")
    for key in _STRING_FIELDS & raw.keys():
        value = raw[key]
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{key}: expected a string, got {type(value).__name__}")
    fields = {k: v for k, v in raw.items() if v is not None and not (k == "created_at" and v == "")}
    if isinstance(fields.get("created_at"), str):
        try:
            fields["created_at"] = datetime.fromisoformat(fields["created_at"].strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"created_at: not an ISO 8601 date-time: {fields['created_at'][:40]!r}") from None
    return Ticket.model_validate(fields)


def to_ticket(raw: Any, line: int) -> Accepted[Ticket] | Rejected:
    """Validate one raw record (a JSON object or a CSV row) into a ticket, or say why not."""
    try:
        return Accepted(line, _parse_ticket(raw))
    except ValidationError as error:
        return Rejected(line, describe_validation_error(error))
    except ValueError as error:
        return Rejected(line, str(error))


def _jsonl(data: bytes) -> Iterator[tuple[int, Any] | Rejected]:
    for number, raw_line in enumerate(data.split(b"\n"), start=1):
        if not raw_line.strip():
            continue
        try:
            text = raw_line.decode("utf-8")
        except UnicodeDecodeError as error:
            yield Rejected(number, f"not valid UTF-8 (byte {error.start})")
            continue
        try:
            yield number, json.loads(text)
        except json.JSONDecodeError as error:
            yield Rejected(number, f"invalid JSON ({error.msg} at column {error.colno})")


def _json_array(data: bytes) -> Iterator[tuple[int, Any] | Rejected]:
    try:
        records = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        yield Rejected(1, f"not valid UTF-8 (byte {error.start}); the JSON array cannot be read")
        return
    except json.JSONDecodeError as error:
        yield Rejected(error.lineno, f"invalid JSON ({error.msg} at column {error.colno}); the array cannot be read")
        return
    if not isinstance(records, list):
        yield Rejected(1, "expected a JSON array of tickets")
        return
    yield from enumerate(records, start=1)


def _csv(data: bytes) -> Iterator[tuple[int, Any] | Rejected]:
    text = data.decode("utf-8", errors="surrogateescape").lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        yield Rejected(1, f"unreadable CSV header ({error}); no record can be read")
        return
    if _has_bad_bytes(header):
        yield Rejected(1, "the header line is not valid UTF-8; no record can be read")
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield Rejected(reader.line_num, f"unreadable CSV ({error})")
            continue
        if _has_bad_bytes(v for v in row.values() if isinstance(v, str)):
            yield Rejected(reader.line_num, "not valid UTF-8")
            continue
        if None in row:
            yield Rejected(reader.line_num, "more fields than the header has")
            continue
        yield reader.line_num, {k: v for k, v in row.items() if k is not None and v is not None and v != ""}


def split(items: Iterable[Accepted[M] | Rejected]) -> tuple[list[M], list[Rejected]]:
    """The accepted records and the rejections of a read, each in input order."""
    accepted: list[M] = []
    rejected: list[Rejected] = []
    for item in items:
        if isinstance(item, Rejected):
            rejected.append(item)
        else:
            accepted.append(item.record)
    return accepted, rejected


def _has_bad_bytes(values: Iterable[str]) -> bool:
    """Bytes that were not UTF-8, as `surrogateescape` decoding left them."""
    return any("\udc80" <= ch <= "\udcff" for value in values for ch in value)


def detect_format(path: str) -> str:
    if path == "-":
        return "jsonl"
    suffix = Path(path).suffix.lower()
    formats = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv"}
    if suffix not in formats:
        raise InputError(f"{path}: unknown format {suffix or '(no extension)'}; use .jsonl, .json or .csv")
    return formats[suffix]


def raw_records(data: bytes, fmt: str) -> Iterator[tuple[int, Any] | Rejected]:
    return {"jsonl": _jsonl, "json": _json_array, "csv": _csv}[fmt](data)


def read_tickets(data: bytes, fmt: str) -> Iterator[Accepted[Ticket] | Rejected]:
    """Every record of the input as an accepted ticket or a rejection, in input order."""
    for item in raw_records(data, fmt):
        yield item if isinstance(item, Rejected) else to_ticket(item[1], item[0])


def _read_csv_models(data: bytes, model: type[M], prepare: Any) -> Iterator[Accepted[M] | Rejected]:
    for item in _csv(data):
        if isinstance(item, Rejected):
            yield item
            continue
        line, row = item
        try:
            yield Accepted(line, model.model_validate(prepare(row)))
        except ValidationError as error:
            yield Rejected(line, describe_validation_error(error))
        except ValueError as error:
            yield Rejected(line, str(error))


def _customer_row(row: dict[str, str]) -> dict[str, Any]:
    vip = row.get("vip", "false").strip().lower()
    if vip not in {"true", "false", "yes", "no", "1", "0", "y", "n"}:
        raise ValueError(f"vip: expected true/false, got {vip!r}")
    return {**row, "vip": vip in {"true", "yes", "1", "y"}, "account_type": row.get("account_type", "consumer").lower()}


def _outage_row(row: dict[str, str]) -> dict[str, Any]:
    return {**row, "service": row.get("service", "").lower(), "severity": row.get("severity", "").lower()}


def read_customers(data: bytes) -> Iterator[Accepted[Customer] | Rejected]:
    """customer_id,name,vip,account_type,plan,region"""
    return _read_csv_models(data, Customer, _customer_row)


def read_outages(data: bytes) -> Iterator[Accepted[Outage] | Rejected]:
    """outage_id,service,region,severity,started_at,ended_at,description (empty ended_at = active)"""
    return _read_csv_models(data, Outage, _outage_row)
