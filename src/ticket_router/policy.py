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
    Team.NETWORK_OPERATIONS: "The operator's network does not deliver the service: outages, no service, intermittent "
    "drops, slow speeds against the plan, latency, packet loss, throttling, blocked ports, area-wide DNS failures, no "
    "signal or coverage, dropped calls, mobile data not working, outage ETAs, and addresses the operator does not "
    "serve or has not built out to.",
    Team.BILLING_SUPPORT: "Money: bills, charges, fees, overcharges, unauthorized or fraudulent charges, refunds, "
    "credits, deposits to return, payments and autopay, late fees, collections, shut-off for non-payment, price "
    "rises, 'too expensive' and price comparisons, deals and promised prices, data caps and overage (a cap is a "
    "pricing policy), charges for equipment or technician visits, top-up and mobile-money transactions.",
    Team.TECHNICAL_SUPPORT: "The customer's equipment, software and field service: modem, router, gateway, home "
    "Wi-Fi, hotspot, set-top box, DVR, remote, handset and unlocking, SIM and eSIM, voicemail, the operator's email "
    "service, apps and streaming apps on devices, device configuration, installation, technician appointments and "
    "no-shows, one device that cannot connect while others can.",
    Team.ACCOUNT_MANAGEMENT: "The relationship and the contract: cancellation, termination or disconnection, "
    "contracts and terms, plan or service changes without consent, upgrades and plan changes, porting a number, "
    "moving service, credit checks and deposits to open an account, ownership, login and passwords, locked "
    "accounts, personal data and privacy, identity theft and account takeover, orders never placed.",
}

# How to decide the cases the team descriptions leave open (shown to an LLM with the descriptions).
ROUTING_GUIDANCE: tuple[str, ...] = (
    "Route to the team that must act for the customer's problem to be resolved; a mixed ticket goes by its main "
    "issue.",
    "A complaint about customer service goes to the team for the underlying problem (billing and customer service "
    "is Billing Support; awful service about a connection is Network Operations); with no other problem it is "
    "Account Management.",
    "Money from an account action: Billing Support when the customer disputes the money (refund, collections, a "
    "fee); Account Management when they dispute the action itself (cancellation not done, service added without "
    "consent).",
    "'Internet' is not a network word by itself: 'Internet too expensive', 'Internet deals' and 'Internet data "
    "cap' are Billing Support; 'Internet installation' is Technical Support; 'Internet service termination' is "
    "Account Management.",
    "One device or one home with faulty equipment is Technical Support; no service at all, or a whole area, is "
    "Network Operations.",
)



class PriorityWeights(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    vip: float = 0.30
    severity: float = 0.40
    age: float = 0.20
    outage: float = 0.10


class RoutingPolicy(BaseModel):
    """Names and numbers only: never expressions. A change of any value is a new `version`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str = "policy-v2"
    category_team: Mapping[Category, Team] = Field(default_factory=lambda: dict(DEFAULT_CATEGORY_TEAM))
    team_descriptions: Mapping[Team, str] = Field(default_factory=lambda: dict(TEAM_DESCRIPTIONS))
    guidance: tuple[str, ...] = ROUTING_GUIDANCE
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
