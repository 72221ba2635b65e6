"""The vocabulary of the system: teams, categories, priorities, tickets, customers, outages, decisions.

Every stage returns one of these typed results; nothing downstream parses text written upstream.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import (BaseModel, ConfigDict, Field, GetCoreSchemaHandler, ValidationInfo, field_validator,
                      model_validator)
from pydantic_core import core_schema


# A team or category name: one line a person reads in a badge or a filter. The SQL store keeps decisions' and
# feedback's team and category in 50-character columns (store/schema.py), so a longer name would start and then
# fail at its first save on PostgreSQL.
MAX_NAME_CHARS = 50


class Name(str):
    """A team or category name from the routing policy: open names, since an operator's policy may add its own.

    Validated (pydantic) as a non-empty stripped line of at most `MAX_NAME_CHARS` with no control characters;
    serialised as a plain string. Whether a name is *in* the policy is the policy's check, not this type's.
    """

    __slots__ = ()

    @property
    def value(self) -> str:
        """The plain string (as an enum member's `.value` was)."""
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str.__repr__(self)})"

    @classmethod
    def checked(cls, value: Any) -> Any:
        if not isinstance(value, str):
            raise ValueError(f"a {cls.__name__.lower()} name must be a string")
        stripped = value.strip()
        if not stripped:
            raise ValueError(f"a {cls.__name__.lower()} name must not be blank")
        if len(stripped) > MAX_NAME_CHARS:
            raise ValueError(f"a {cls.__name__.lower()} name has at most {MAX_NAME_CHARS} characters")
        if CONTROL.search(stripped) or any(c in stripped for c in "\t\n\r\x0b\x0c"):
            raise ValueError(f"a {cls.__name__.lower()} name must not contain control characters")
        return cls(stripped)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            cls.checked, core_schema.str_schema(),
            serialization=core_schema.plain_serializer_function_ser_schema(str.__str__, when_used="always"),
        )


class Team(Name):
    """A team of the routing policy; the built-in policy's four are named here."""

    __slots__ = ()
    NETWORK_OPERATIONS: ClassVar[Team]
    BILLING_SUPPORT: ClassVar[Team]
    TECHNICAL_SUPPORT: ClassVar[Team]
    ACCOUNT_MANAGEMENT: ClassVar[Team]


Team.NETWORK_OPERATIONS = Team("Network Operations")
Team.BILLING_SUPPORT = Team("Billing Support")
Team.TECHNICAL_SUPPORT = Team("Technical Support")
Team.ACCOUNT_MANAGEMENT = Team("Account Management")


class Category(Name):
    """A category of the routing policy; the built-in four (the shipped corpus's labels) are named here."""

    __slots__ = ()
    NETWORK_OUTAGE: ClassVar[Category]
    BILLING_DISPUTE: ClassVar[Category]
    TECHNICAL_PROBLEM: ClassVar[Category]
    ACCOUNT_ACCESS: ClassVar[Category]


Category.NETWORK_OUTAGE = Category("Network Outage")
Category.BILLING_DISPUTE = Category("Billing Dispute")
Category.TECHNICAL_PROBLEM = Category("Technical Problem")
Category.ACCOUNT_ACCESS = Category("Account Access")
# The shipped corpus and models are labelled with these; every policy keeps them (each may go to any team).
BUILTIN_CATEGORIES: tuple[Category, ...] = (Category.NETWORK_OUTAGE, Category.BILLING_DISPUTE,
                                            Category.TECHNICAL_PROBLEM, Category.ACCOUNT_ACCESS)
BUILTIN_TEAMS: tuple[Team, ...] = (Team.NETWORK_OPERATIONS, Team.BILLING_SUPPORT, Team.TECHNICAL_SUPPORT,
                                   Team.ACCOUNT_MANAGEMENT)


class Priority(StrEnum):
    P0 = "P0"
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"

    @property
    def level(self) -> int:
        return int(self.value[1])

    @classmethod
    def from_level(cls, level: int) -> Priority:
        return cls(f"P{min(max(level, 0), 3)}")


class Service(StrEnum):
    INTERNET = "internet"
    MOBILE = "mobile"
    TV = "tv"
    VOICE = "voice"


class AccountType(StrEnum):
    CONSUMER = "consumer"
    BUSINESS = "business"
    ENTERPRISE = "enterprise"


class Severity(StrEnum):
    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: datetime) -> datetime:
    """Naive datetimes are taken as UTC so comparisons never mix naive and aware values."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


# Input rules shared by every entry point (CLI files, the HTTP API, the dashboard), so each refuses the same
# records with the same words.
# Control characters other than the whitespace ones (tab, newlines, form feed): PostgreSQL refuses NUL outright and
# none of them is text a person typed.
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# A ticket's `created_at` may run ahead of our clock by clock skew and time zones, not by more than this.
FUTURE_TOLERANCE = timedelta(days=1)
# The tools, the classifier included (model/base.py), read at most this much of a ticket's text: hundreds of KB
# of pasted logs add no signal, and reading them would let one ticket hold up the others.
MAX_TOOL_CHARS = 20_000
# A ticket id is a single URL path segment (`/v1/tickets/{ticket_id}`): no `/`, and not `.` or `..`.
RESERVED_IDS = frozenset({".", ".."})


def text_problem(value: str) -> str | None:
    """Why no entry point accepts this text, or None when it is fine."""
    if "\x00" in value:
        return "contains a NUL character"
    control = CONTROL.search(value)
    if control:
        return f"contains a control character (U+{ord(control.group(0)):04X})"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode text"
    return None


def checked_text(value: str | None) -> str | None:
    problem = text_problem(value) if value is not None else None
    if problem:
        raise ValueError(problem)
    return value


def ticket_id_problem(value: str) -> str | None:
    """Why `value` (stripped) cannot be a ticket id, or None."""
    if not value:
        return "must not be blank"
    if "/" in value:
        return "must not contain '/' (a ticket id is one URL path segment)"
    if value in RESERVED_IDS:
        return "must not be '.' or '..'"
    return text_problem(value)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Ticket(Strict):
    """One incoming ticket, validated at the edge."""

    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=False)

    ticket_id: str = Field(max_length=200)
    subject: str = ""
    description: str = ""
    customer_id: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    channel: str | None = None

    @field_validator("ticket_id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        problem = ticket_id_problem(value.strip())
        if problem:
            raise ValueError(problem)
        return value.strip()

    @field_validator("subject", "description")
    @classmethod
    def _clean_text(cls, value: str) -> str:
        return checked_text(value)  # type: ignore[return-value]

    @field_validator("customer_id", "channel")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return checked_text(value.strip()) or None if value is not None else None

    @field_validator("created_at")
    @classmethod
    def _utc_not_future(cls, value: datetime, info: ValidationInfo) -> datetime:
        value = as_utc(value)
        stored = bool(info.context and info.context.get("stored"))  # a stored ticket was checked when it came in
        if not stored and value > utcnow() + FUTURE_TOLERANCE:
            raise ValueError(f"more than {FUTURE_TOLERANCE.days} day in the future")
        return value

    @model_validator(mode="after")
    def _has_text(self) -> Ticket:
        if not (self.subject.strip() or self.description.strip()):
            raise ValueError("subject and description are both blank")
        return self

    @property
    def text(self) -> str:
        """Subject and description as one text, the unit the classifier and extractor read."""
        return "\n".join(part for part in (self.subject.strip(), self.description.strip()) if part)


class Customer(Strict):
    customer_id: str
    name: str = ""
    vip: bool = False
    account_type: AccountType = AccountType.CONSUMER
    plan: str = ""
    region: str = ""

    @field_validator("customer_id", "name", "plan", "region")
    @classmethod
    def _clean_text(cls, value: str) -> str:
        return checked_text(value)  # type: ignore[return-value]


class Outage(Strict):
    outage_id: str
    service: Service
    region: str
    severity: Severity
    started_at: datetime
    ended_at: datetime | None = None
    description: str = ""

    @field_validator("outage_id", "region", "description")
    @classmethod
    def _clean_text(cls, value: str) -> str:
        return checked_text(value)  # type: ignore[return-value]

    @field_validator("started_at", "ended_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value) if value is not None else None

    @model_validator(mode="after")
    def _ends_after_start(self) -> Outage:
        if self.ended_at is not None and self.ended_at < self.started_at:
            raise ValueError("ended_at is before started_at")
        return self

    def is_active(self, at: datetime) -> bool:
        return self.started_at <= at and (self.ended_at is None or self.ended_at > at)


# The `engine` of decisions that came in with imported past tickets (they were made elsewhere, never timed here).
IMPORTED_ENGINE = "import"


class ModelInfo(Strict):
    name: str
    version: str


class Alternative(Strict):
    team: Team
    confidence: float = Field(ge=0.0, le=1.0)


class PriorityFactor(Strict):
    """One weighted factor of the priority score: `points = weight * value * 100`."""

    weight: float
    value: float = Field(ge=0.0, le=1.0)
    points: float
    detail: str


class Decision(Strict):
    """The routing decision for one ticket: the output contract of every engine and every edge."""

    decision_id: str
    ticket_id: str
    customer_id: str | None = None
    team: Team
    category: Category
    priority: Priority
    confidence: float = Field(ge=0.0, le=1.0)
    needs_review: bool
    review_reasons: list[str] = Field(default_factory=list)
    alternatives: list[Alternative]
    secondary_categories: list[Category] = Field(default_factory=list)
    reasoning: str
    entities: dict[str, Any]
    priority_factors: dict[str, PriorityFactor]
    priority_score: float
    vip: bool = False
    active_outages: list[str] = Field(default_factory=list)
    prior_tickets: int = 0
    engine: str = "local"
    model: ModelInfo
    policy_version: str
    processing_ms: float
    decided_at: datetime
    llm: dict[str, Any] | None = None


class Feedback(Strict):
    """What a ticket really needed, as an agent recorded it: the production measure of accuracy."""

    ticket_id: str = Field(min_length=1)
    team: Team
    priority: Priority | None = None
    agent: str = ""
    created_at: datetime = Field(default_factory=utcnow)

    @field_validator("created_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)
