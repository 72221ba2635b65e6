"""Tool 5: calculate_priority — a weighted score (VIP 30%, severity 40%, age 20%, outage 10%) plus the rules.

Rules, in order:
1. P0 for a VIP customer with a service-affecting issue during a matching outage, or for a service-affecting
   issue during a matching critical (widespread) outage.
2. P1 at least for VIP customers and for critical service problems.
3. P3 for general inquiries; other standard issues are P2, or P1 when the score reaches the P1 threshold.
4. Repeat contact about the same kind of issue raises a P2/P3 ticket one level.
5. A ticket older than the escalation age (24 h) escalates one level.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from ticket_router.domain import AccountType, Priority, PriorityFactor, Severity
from ticket_router.policy import RoutingPolicy
from ticket_router.tools.customer import CustomerContext
from ticket_router.tools.history import History
from ticket_router.tools.service_status import ServiceStatus
from ticket_router.tools.severity import IssueSeverity


class PriorityAssessment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    priority: Priority
    score: float
    factors: dict[str, PriorityFactor]
    rules: list[str]


def _factor(weight: float, value: float, detail: str) -> PriorityFactor:
    value = min(max(value, 0.0), 1.0)
    return PriorityFactor(weight=weight, value=round(value, 3), points=round(weight * value * 100, 1), detail=detail)


def score_level(score: float, policy: RoutingPolicy) -> Priority:
    for priority in (Priority.P0, Priority.P1, Priority.P2):
        if score >= policy.score_thresholds[priority]:
            return priority
    return Priority.P3


def calculate_priority(
    severity: IssueSeverity,
    customer: CustomerContext,
    status: ServiceStatus,
    age_hours: float,
    history: History,
    policy: RoutingPolicy,
    same_category_before: int = 0,
) -> PriorityAssessment:
    """Weighted score and P0–P3 level for one ticket; every factor is named with its points."""
    weights = policy.weights
    if customer.vip:
        vip_value, vip_detail = policy.vip_value, "VIP customer"
    elif customer.account_type in (AccountType.BUSINESS, AccountType.ENTERPRISE):
        vip_value, vip_detail = policy.business_value, f"{customer.account_type.value} customer, not VIP"
    else:
        vip_value, vip_detail = policy.consumer_value, "standard customer" if customer.known else "unknown customer"
    worst = status.worst
    outage_value = policy.outage_values[worst.severity] if worst else 0.0
    factors = {
        "vip_status": _factor(weights.vip, vip_value, vip_detail),
        "issue_severity": _factor(weights.severity, severity.value, severity.describe()),
        "ticket_age": _factor(
            weights.age, age_hours / policy.escalate_after_hours, f"{age_hours:.1f} h since the ticket was opened"
        ),
        "outage_status": _factor(
            weights.outage,
            outage_value,
            f"{worst.severity.value} outage {worst.outage_id} on {worst.service.value} in {worst.region}"
            if worst else "no matching active outage",
        ),
    }
    score = round(sum(f.points for f in factors.values()), 1)
    level = score_level(score, policy).level
    rules: list[str] = []
    if severity.service_affecting and status.in_outage and (customer.vip or worst.severity == Severity.CRITICAL):
        level = 0
        rules.append("P0: VIP service-affecting issue during an outage" if customer.vip
                     else "P0: service-affecting issue during a critical outage")
    elif customer.vip or severity.critical:
        level = min(level, 1)
        rules.append("P1 floor: VIP customer" if customer.vip else "P1 floor: critical service problem")
    elif severity.general_inquiry:
        level = 3
        rules.append("P3: general inquiry")
    else:
        level = min(max(level, 1), 2)
    if same_category_before >= policy.repeat_contact_threshold and level >= 2:
        level -= 1
        rules.append(f"+1 level: repeat contact ({same_category_before} similar tickets in {history.window_days} days)")
    if age_hours > policy.escalate_after_hours and level > 0:
        level -= 1
        rules.append(f"+1 level: older than {policy.escalate_after_hours:g} h")
    return PriorityAssessment(priority=Priority.from_level(level), score=score, factors=factors, rules=rules)
