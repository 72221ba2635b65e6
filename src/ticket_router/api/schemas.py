"""Request and response schemas, split by role: `XCreate` (what a client sends) and `XPublic` (what it gets).

Ticket fields are checked by `ticket_router.ingest.to_ticket`, the same validation the CLI uses; the schemas
here only describe the shape for OpenAPI and reject what is not even the right JSON type.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ticket_router.domain import AccountType, Customer, Decision, Outage, Priority, Service, Severity, Team
from ticket_router.stats import Stats

EngineName = Literal["local", "agent", "cascade"]
MAX_BATCH = 1000


def text_problem(value: str) -> str | None:
    """Why storage would refuse this text (PostgreSQL takes no NUL; no database takes unpaired surrogates)."""
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode text"
    return None


def _clean(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


CleanStr = Annotated[str, AfterValidator(_clean)]


class _Create(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TicketCreate(BaseModel):
    """One ticket, the same fields the CLI reads. Unknown fields are ignored, as in the CLI's input files."""

    model_config = ConfigDict(extra="ignore")

    ticket_id: str = Field(min_length=1, max_length=200, examples=["T-1001"])
    subject: str | None = Field(default=None, examples=["No internet since this morning"])
    description: str | None = Field(default=None, examples=["Router shows a red light, whole street is down."])
    customer_id: str | None = Field(default=None, examples=["C-1001"])
    created_at: str | None = Field(default=None, description="ISO 8601 date-time; default: now",
                                   json_schema_extra={"format": "date-time"})
    channel: str | None = Field(default=None, examples=["email"])
    engine: EngineName = Field(default="local", description="routing engine; `local` is the embedded router")

    def ticket_fields(self) -> dict[str, Any]:
        return self.model_dump(exclude={"engine"}, exclude_none=True)


class BatchCreate(_Create):
    tickets: list[Any] = Field(max_length=MAX_BATCH, description=f"up to {MAX_BATCH} ticket objects; invalid items "
                                                                  "are reported by index, valid ones are routed")
    engine: EngineName = "local"


class RerouteCreate(_Create):
    engine: EngineName = "local"


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
    outage_id: CleanStr = Field(min_length=1, max_length=100, pattern=r"\S")
    service: Service
    region: CleanStr = Field(min_length=1, max_length=100, pattern=r"\S")
    severity: Severity
    started_at: datetime | None = Field(default=None, description="default: now")
    ended_at: datetime | None = None
    description: CleanStr = ""


class OutageResolve(_Create):
    ended_at: datetime | None = Field(default=None, description="default: now")


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
