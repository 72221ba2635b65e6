"""The vocabulary of the system: teams, categories, priorities, tickets, customers, outages, decisions.

Every stage returns one of these typed results; nothing downstream parses text written upstream.
"""

from __future__ import annotations

from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Team(StrEnum):
    NETWORK_OPERATIONS = "Network Operations"
    BILLING_SUPPORT = "Billing Support"
    TECHNICAL_SUPPORT = "Technical Support"
    ACCOUNT_MANAGEMENT = "Account Management"


class Category(StrEnum):
    NETWORK_OUTAGE = "Network Outage"
    BILLING_DISPUTE = "Billing Dispute"
    TECHNICAL_PROBLEM = "Technical Problem"
    ACCOUNT_ACCESS = "Account Access"


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
    def _id_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @field_validator("customer_id", "channel")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @field_validator("created_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)

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


class Outage(Strict):
    outage_id: str
    service: Service
    region: str
    severity: Severity
    started_at: datetime
    ended_at: datetime | None = None
    description: str = ""

    @field_validator("started_at", "ended_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value) if value is not None else None

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
