"""Request and response schemas, split by role: `XCreate` (what a client sends) and `XPublic` (what it gets).

Ticket fields are checked by `ticket_router.ingest.to_ticket`, the same validation the CLI uses; the schemas
here only describe the shape for OpenAPI and reject what is not even the right JSON type.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from ticket_router.domain import (
    AccountType,
    Customer,
    Decision,
    Outage,
    Priority,
    Service,
    Severity,
    Team,
    text_problem,
)
from ticket_router.stats import Stats

EngineName = Literal["local", "agent", "cascade"]
ENGINE_HELP = "routing engine; default: the server's TICKET_ROUTER_ENGINE (`local`, the embedded router, unless set)"
MAX_BATCH = 1000


class _Create(BaseModel):
    model_config = ConfigDict(extra="forbid")


# What `str.strip()` removes: the domain calls a ticket id or a text made only of these blank. Spelled out for
# the OpenAPI schema, whose regex `\s` differs from Python's (tests/api/test_schemas.py keeps the two in step).
PY_WHITESPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
# The control characters `domain.text_problem` refuses, as a JSON-schema character class.
CONTROL_CHARS = "\\x00-\\x08\\x0e-\\x1f\\x7f"
NO_NUL = f"^[^{CONTROL_CHARS}]*$"
HAS_TEXT = f"^[^{CONTROL_CHARS}]*[^{CONTROL_CHARS}{PY_WHITESPACE}][^{CONTROL_CHARS}]*$"
# A ticket id: text, no `/`, not `.` or `..` (domain.ticket_id_problem).
TICKET_ID = f"^(?!\\s*\\.\\.?\\s*$)[^{CONTROL_CHARS}/]*[^{CONTROL_CHARS}/{PY_WHITESPACE}][^{CONTROL_CHARS}/]*$"


def _clean(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return _clean(value)


# Text storage can keep; and text that is more than blanks. The patterns put the same rules in the schema.
CleanStr = Annotated[str, AfterValidator(_clean), Field(json_schema_extra={"pattern": NO_NUL})]
NonBlankStr = Annotated[str, AfterValidator(_not_blank), Field(json_schema_extra={"pattern": HAS_TEXT})]


_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?")


def iso_datetime(value: str) -> datetime:
    """A date-time as the schema's `date-time` format has it (RFC 3339; without an offset it is taken as UTC);
    ValueError otherwise, a date alone or a number included."""
    value = value.strip()
    if not _DATE_TIME.fullmatch(value):
        raise ValueError(value)
    return datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))


def _iso_only(value: Any) -> Any:
    # pydantic's lax mode would also take numbers and digit strings as Unix times: the schema says date-time.
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("expected an ISO 8601 date-time string")  # noqa: TRY004 - pydantic reports ValueErrors
    try:
        return iso_datetime(value)
    except ValueError:
        raise ValueError("not an ISO 8601 date-time") from None


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_only)]


def _text(pattern: str = NO_NUL, **extra: Any) -> dict[str, Any]:
    """Schema-only constraints: `ticket_router.ingest.to_ticket` (the CLI's validation) does the checking, so the
    API and the CLI accept exactly the same tickets and name the same faults."""
    return {"pattern": pattern, **extra}


class TicketCreate(BaseModel):
    """One ticket, the same fields the CLI reads. Unknown fields are ignored, as in the CLI's input files.
    At least one of `subject` and `description` must hold some text."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"anyOf": [
        {"required": ["subject"], "properties": {"subject": {"type": "string", "pattern": HAS_TEXT}}},
        {"required": ["description"], "properties": {"description": {"type": "string", "pattern": HAS_TEXT}}},
    ]})

    ticket_id: str = Field(min_length=1, max_length=200, examples=["T-1001"], json_schema_extra=_text(
        TICKET_ID, description="1-200 characters; no `/`, no control characters, not `.` or `..`"))
    subject: str | None = Field(default=None, examples=["No internet since this morning"],
                                json_schema_extra=_text())
    description: str | None = Field(default=None, examples=["Router shows a red light, whole street is down."],
                                    json_schema_extra=_text())
    customer_id: str | None = Field(default=None, examples=["C-1001"], json_schema_extra=_text(maxLength=100))
    created_at: str | None = Field(default=None, description="ISO 8601 date-time; default: now; at most 1 day in "
                                                             "the future",
                                   json_schema_extra={"format": "date-time"})
    channel: str | None = Field(default=None, examples=["email"], json_schema_extra=_text(maxLength=50))
    engine: EngineName | None = Field(default=None, description=ENGINE_HELP)

    def ticket_fields(self) -> dict[str, Any]:
        return self.model_dump(exclude={"engine"}, exclude_none=True)


class BatchCreate(_Create):
    tickets: list[Any] = Field(max_length=MAX_BATCH, description=f"up to {MAX_BATCH} ticket objects; invalid items "
                                                                  "are reported by index, valid ones are routed")
    engine: EngineName | None = Field(default=None, description=ENGINE_HELP)


class RerouteCreate(_Create):
    engine: EngineName | None = Field(default=None, description=ENGINE_HELP)


class DecisionPublic(Decision):
    """The routing decision, as stored."""


class TicketView(BaseModel):
    ticket_id: str
    subject: str
    description: str
    customer_id: str | None = None
    created_at: datetime
    channel: str | None = None


class TicketPublic(BaseModel):
    ticket: TicketView
    decision: DecisionPublic = Field(description="the latest decision")
    history: list[DecisionPublic] = Field(description="every decision for this ticket, newest first")


class FieldError(BaseModel):
    field: str
    message: str


class ErrorPublic(BaseModel):
    detail: str


class ValidationErrorPublic(BaseModel):
    detail: str = "invalid input"
    errors: list[FieldError]


BatchStatus = Literal["created", "existing", "invalid"]


class BatchItemPublic(BaseModel):
    index: int
    status: BatchStatus
    ticket_id: str | None = None
    decision: DecisionPublic | None = None
    errors: list[FieldError] = Field(default_factory=list)


class BatchPublic(BaseModel):
    created: int
    existing: int
    invalid: int
    results: list[BatchItemPublic]


class FeedbackCreate(_Create):
    team: Team
    priority: Priority | None = None
    agent: CleanStr = Field(default="", max_length=200)


class FeedbackPublic(BaseModel):
    ticket_id: str
    team: Team
    priority: Priority | None = None
    agent: str
    created_at: datetime


class CustomerUpdate(_Create):
    name: CleanStr = Field(default="", max_length=200)
    vip: bool = False
    account_type: AccountType = AccountType.CONSUMER
    plan: CleanStr = Field(default="", max_length=100)
    region: CleanStr = Field(default="", max_length=100)


class CustomerPublic(Customer):
    pass


class OutageCreate(_Create):
    outage_id: NonBlankStr = Field(max_length=100)
    service: Service
    region: NonBlankStr = Field(max_length=100)
    severity: Severity
    started_at: IsoDateTime | None = Field(default=None, description="default: now")
    ended_at: IsoDateTime | None = Field(default=None, description="not before started_at")
    description: CleanStr = ""


class OutageResolve(_Create):
    ended_at: IsoDateTime | None = Field(default=None, description="default: now; not before the outage started")


class OutagePublic(Outage):
    pass


class OutboxStatsPublic(BaseModel):
    enabled: bool
    pending: int
    delivered: int
    dead_letters: int


class StatsPublic(Stats):
    outbox: OutboxStatsPublic


class HealthPublic(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, str] = Field(default_factory=dict)
