"""The routing policy: every name and number the decision rules use, in one versioned object.

The rules themselves live in tested Python (tools/priority.py, tools/routing.py); this holds only data.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Any, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ticket_router.domain import BUILTIN_CATEGORIES, Category, Priority, Severity, Team

Unit = Annotated[float, Field(ge=0.0, le=1.0)]
Text = Annotated[str, Field(min_length=1, pattern=r"\S")]

DEFAULT_CATEGORY_TEAM: Mapping[Category, Team] = {
    Category.NETWORK_OUTAGE: Team.NETWORK_OPERATIONS,
    Category.BILLING_DISPUTE: Team.BILLING_SUPPORT,
    Category.TECHNICAL_PROBLEM: Team.TECHNICAL_SUPPORT,
    Category.ACCOUNT_ACCESS: Team.ACCOUNT_MANAGEMENT,
}

# The default `service_categories`: tickets about service the customer is not getting. They can be critical, and
# an outage matching the customer makes them P0 (tools/priority.py); the other categories are about money or the
# account.
DEFAULT_SERVICE_CATEGORIES: tuple[Category, ...] = (Category.NETWORK_OUTAGE, Category.TECHNICAL_PROBLEM)

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

    vip: Unit = 0.30
    severity: Unit = 0.40
    age: Unit = 0.20
    outage: Unit = 0.10

    @model_validator(mode="after")
    def _sum_to_one(self) -> PriorityWeights:
        # The score is a 0-100 scale only when the weights share out the whole of it.
        total = self.vip + self.severity + self.age + self.outage
        if abs(total - 1.0) > 0.001:
            raise ValueError(f"the weights must sum to 1.0 (within 0.001), not {total:g}")
        return self


# Fields keyed by the enum names of priorities and severities: an unknown name is refused, naming it. (Team and
# category names are the policy's own: `_consistent` checks them against `category_team`.)
NAMED_FIELDS: dict[str, type[StrEnum]] = {"score_thresholds": Priority, "outage_values": Severity}
KIND = {Priority: "priority", Severity: "severity"}


def _check_name(name: Any, kind: type[StrEnum], field: str) -> None:
    if not isinstance(name, kind) and name not in {member.value for member in kind}:
        raise PydanticCustomError("unknown_name", "unknown {kind} {name} in {field}; known: {known}",
                                  {"kind": KIND[kind], "name": repr(name), "field": field,
                                   "known": ", ".join(member.value for member in kind)})


def _listed(names: Iterable[str]) -> str:
    return ", ".join(repr(str(n)) for n in names)


class PolicyMismatch(ValueError):
    """A model predicts categories the routing policy lacks: it cannot route under this policy."""


class RoutingPolicy(BaseModel):
    """Names and numbers only: never expressions. A change of any value is a new `version`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Text = "policy-v2"
    # The categories are this map's keys, the teams its values (a team may own several categories).
    category_team: Mapping[Category, Team] = Field(default_factory=lambda: dict(DEFAULT_CATEGORY_TEAM))
    # Every team needs one; a built-in team left out gets its built-in description (`_builtin_descriptions`).
    team_descriptions: Mapping[Team, Text] = Field(default_factory=lambda: dict(TEAM_DESCRIPTIONS))
    guidance: tuple[Text, ...] = ROUTING_GUIDANCE
    review_threshold: float = Field(default=0.70, ge=0.0, le=1.0)
    # A category is secondary when the model gives it this probability, or the text has this many of its cues.
    secondary_category_threshold: float = Field(default=0.20, ge=0.0, le=1.0)
    secondary_min_cues: int = Field(default=2, ge=1)
    weights: PriorityWeights = PriorityWeights()
    # Score (0-100) at or above which a ticket reaches each level, before the explicit rules apply.
    score_thresholds: Mapping[Priority, Annotated[float, Field(ge=0.0, le=100.0)]] = Field(
        default_factory=lambda: {Priority.P0: 80.0, Priority.P1: 55.0, Priority.P2: 20.0}
    )
    # Value (0-1) of the outage factor for the most severe matching active outage.
    outage_values: Mapping[Severity, Unit] = Field(
        default_factory=lambda: {Severity.CRITICAL: 1.0, Severity.MAJOR: 0.7, Severity.MINOR: 0.4}
    )
    # Value (0-1) of the VIP factor per customer standing.
    vip_value: Unit = 1.0
    business_value: Unit = 0.4
    consumer_value: Unit = 0.0
    # Categories about service the customer is not getting: they can be critical, an active outage matching the
    # customer raises them, and the cascade engine does not second-guess them during an outage.
    service_categories: tuple[Category, ...] = DEFAULT_SERVICE_CATEGORIES
    # Base severity per category, before evidence in the text raises or lowers it.
    category_severity: Mapping[Category, Unit] = Field(
        default_factory=lambda: {
            Category.NETWORK_OUTAGE: 0.7,
            Category.TECHNICAL_PROBLEM: 0.5,
            Category.ACCOUNT_ACCESS: 0.4,
            Category.BILLING_DISPUTE: 0.35,
        }
    )
    escalate_after_hours: float = Field(default=24.0, gt=0.0, le=24.0 * 365)
    repeat_contact_days: int = Field(default=30, ge=1, le=365)
    repeat_contact_threshold: int = Field(default=2, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _builtin_descriptions(cls, data: Any) -> Any:
        # A built-in team keeps its description unless the policy gives one; only the map's teams get one, so a
        # policy that moves every category away from a built-in team does not have to mention that team at all.
        if isinstance(data, Mapping) and isinstance(data.get("category_team"), Mapping):
            given = data.get("team_descriptions")
            given = dict(given) if isinstance(given, Mapping) else {}
            teams = {str(t).strip() for t in data["category_team"].values() if isinstance(t, str)}
            builtin = {t: d for t, d in TEAM_DESCRIPTIONS.items() if t in teams and t not in given}
            data = {**data, "team_descriptions": {**builtin, **given}}
        return data

    @field_validator(*NAMED_FIELDS, mode="before")
    @classmethod
    def _known_names(cls, value: Any, info: ValidationInfo) -> Any:
        field = info.field_name or ""
        if isinstance(value, Mapping):
            for key in value:
                _check_name(key, NAMED_FIELDS[field], field)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> RoutingPolicy:
        # The categories are the map's keys and the teams its values; every other table must name only those,
        # so a misspelt team or category is caught here, naming it, and not by a lookup mid-routing.
        categories, teams = set(self.category_team), set(self.category_team.values())
        builtin_missing = [c for c in BUILTIN_CATEGORIES if c not in categories]
        if builtin_missing:
            raise ValueError(f"category_team lacks {_listed(builtin_missing)}: the shipped corpus and models are "
                             "labelled with the four built-in categories, so each must stay (it may map to any team)")
        for field, known, kind in (("category_severity", categories, "category"),
                                   ("team_descriptions", teams, "team"),
                                   ("service_categories", categories, "category")):
            unknown = [n for n in getattr(self, field) if n not in known]
            if unknown:
                raise ValueError(f"{field} names {kind} {_listed(unknown)}, not in category_team; known: "
                                 f"{_listed(sorted(known))}")
        undescribed = [t for t in self.teams if t not in self.team_descriptions]
        if undescribed:
            raise ValueError(f"team_descriptions lacks {_listed(undescribed)}: every team needs a description "
                             "(the LLM engines route by it)")
        return self

    @model_validator(mode="after")
    def _complete(self) -> RoutingPolicy:
        # The rules look these up for every category and level: a gap would fail mid-routing, not here.
        for field, kinds in (("category_severity", self.categories),
                             ("score_thresholds", [Priority.P0, Priority.P1, Priority.P2]),
                             ("outage_values", list(Severity))):
            missing = [k.value for k in kinds if k not in getattr(self, field)]
            if missing:
                raise ValueError(f"{field} lacks {', '.join(missing)}")
        if Priority.P3 in self.score_thresholds:
            raise ValueError("score_thresholds: P3 takes no threshold (it is every score below P2's)")
        levels = [self.score_thresholds[p] for p in (Priority.P0, Priority.P1, Priority.P2)]
        if not levels[0] > levels[1] > levels[2]:
            raise ValueError("score_thresholds must fall from P0 to P2 (P0 > P1 > P2)")
        return self

    def team_for(self, category: Category) -> Team:
        return self.category_team[category]

    @property
    def teams(self) -> list[Team]:
        """The policy's teams, in the order the map first names them."""
        return list(dict.fromkeys(self.category_team.values()))

    @property
    def categories(self) -> list[Category]:
        """The policy's categories, in the map's order."""
        return list(self.category_team)

    def categories_of(self, team: Team) -> list[Category]:
        return [c for c, t in self.category_team.items() if t == team]

    def check_model(self, categories: Iterable[str], model: str) -> None:
        """Refuses (`PolicyMismatch`) a model that predicts categories this policy lacks, naming them."""
        missing = [c for c in categories if c not in self.category_team]
        if missing:
            raise PolicyMismatch(
                f"model {model} predicts categories that policy {self.version!r} lacks: {_listed(missing)}; use a "
                "policy that maps them, or train a model for this policy with `ticket-router learn --policy …`")


DEFAULT_POLICY = RoutingPolicy()
