"""The routing policy: every name and number the decision rules use, in one versioned object.

The rules themselves live in tested Python (tools/priority.py, tools/routing.py); this holds only data.
"""

from __future__ import annotations

from typing import Mapping

from pydantic import BaseModel, ConfigDict, Field

from ticket_router.domain import Category, Priority, Severity, Team

DEFAULT_CATEGORY_TEAM: Mapping[Category, Team] = {
    Category.NETWORK_OUTAGE: Team.NETWORK_OPERATIONS,
    Category.BILLING_DISPUTE: Team.BILLING_SUPPORT,
    Category.TECHNICAL_PROBLEM: Team.TECHNICAL_SUPPORT,
    Category.ACCOUNT_ACCESS: Team.ACCOUNT_MANAGEMENT,
}

# Categories whose tickets are about service the customer is not getting: they can be critical, and an outage
# matching the customer makes them P0 (tools/priority.py); the other categories are about money or the account.
SERVICE_CATEGORIES = frozenset({Category.NETWORK_OUTAGE, Category.TECHNICAL_PROBLEM})

TEAM_DESCRIPTIONS: Mapping[Team, str] = {
    Team.NETWORK_OPERATIONS: "Outages, no signal or coverage, dropped calls, slow or unstable speeds, "
    "throttling, area-wide and line faults.",
    Team.BILLING_SUPPORT: "Bills, charges, fees, refunds, credits, payments, price rises, promotions, "
    "data-cap overage charges.",
    Team.TECHNICAL_SUPPORT: "Customer devices and configuration: modem/router, Wi-Fi setup, TV box, "
    "handset, SIM/eSIM, voicemail, email, apps, installations.",
    Team.ACCOUNT_MANAGEMENT: "The account itself: login, passwords, locked accounts, personal details, "
    "plan changes, contracts, cancellation, moving, fraud, customer-service complaints.",
}


class PriorityWeights(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    vip: float = 0.30
    severity: float = 0.40
    age: float = 0.20
    outage: float = 0.10


class RoutingPolicy(BaseModel):
    """Names and numbers only: never expressions. A change of any value is a new `version`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str = "policy-v1"
    category_team: Mapping[Category, Team] = Field(default_factory=lambda: dict(DEFAULT_CATEGORY_TEAM))
    team_descriptions: Mapping[Team, str] = Field(default_factory=lambda: dict(TEAM_DESCRIPTIONS))
    review_threshold: float = Field(default=0.70, ge=0.0, le=1.0)
    # A category is secondary when the model gives it this probability, or the text has this many of its cues.
    secondary_category_threshold: float = Field(default=0.20, ge=0.0, le=1.0)
    secondary_min_cues: int = Field(default=2, ge=1)
    weights: PriorityWeights = PriorityWeights()
    # Score (0-100) at or above which a ticket reaches each level, before the explicit rules apply.
    score_thresholds: Mapping[Priority, float] = Field(
        default_factory=lambda: {Priority.P0: 80.0, Priority.P1: 55.0, Priority.P2: 20.0}
    )
    # Value (0-1) of the outage factor for the most severe matching active outage.
    outage_values: Mapping[Severity, float] = Field(
        default_factory=lambda: {Severity.CRITICAL: 1.0, Severity.MAJOR: 0.7, Severity.MINOR: 0.4}
    )
    # Value (0-1) of the VIP factor per customer standing.
    vip_value: float = 1.0
    business_value: float = 0.4
    consumer_value: float = 0.0
    # Base severity per category, before evidence in the text raises or lowers it.
    category_severity: Mapping[Category, float] = Field(
        default_factory=lambda: {
            Category.NETWORK_OUTAGE: 0.7,
            Category.TECHNICAL_PROBLEM: 0.5,
            Category.ACCOUNT_ACCESS: 0.4,
            Category.BILLING_DISPUTE: 0.35,
        }
    )
    escalate_after_hours: float = 24.0
    repeat_contact_days: int = 30
    repeat_contact_threshold: int = 2

    def team_for(self, category: Category) -> Team:
        return self.category_team[category]

    @property
    def teams(self) -> list[Team]:
        return list(dict.fromkeys(self.category_team.values()))


DEFAULT_POLICY = RoutingPolicy()
