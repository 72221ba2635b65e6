"""How severe the issue in a ticket is: the 'issue severity' input of the priority score."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from ticket_router.domain import Category
from ticket_router.policy import SERVICE_CATEGORIES, RoutingPolicy

CRITICAL_CUES = (
    "no service", "no signal", "no internet", "no dial tone", "completely down", "totally down", "is down",
    "are down", "went down", "outage", "offline", "not working at all", "nothing works", "dead",
    "cannot make calls", "can't make calls", "cant make calls", "cannot call", "emergency", "911", "999",
    "business is down", "entire office", "whole office", "whole area", "whole street", "neighbourhood",
    "neighborhood", "all services", "circuit down", "hospital", "medical", "life support", "losing money",
    "lost connection", "unusable",
)
INQUIRY_CUES = (
    "how do i", "how can i", "how to", "question about", "quick question", "just wondering", "i was wondering",
    "would like to know", "information about", "info on", "can you tell me", "is it possible", "enquiry",
    "inquiry", "just wanted to ask", "what are the", "do you offer", "curious",
)
_CRITICAL = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in CRITICAL_CUES) + r")\b", re.IGNORECASE)
_INQUIRY = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in INQUIRY_CUES) + r")\b", re.IGNORECASE)


class IssueSeverity(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float
    critical: bool
    service_affecting: bool
    general_inquiry: bool
    cues: list[str]

    def describe(self) -> str:
        if self.critical:
            return "critical service problem (" + ", ".join(f'"{c}"' for c in self.cues[:3]) + ")"
        if self.general_inquiry:
            return "general inquiry"
        return "service-affecting issue" if self.service_affecting else "standard issue"


def assess_severity(text: str, category: Category, policy: RoutingPolicy) -> IssueSeverity:
    """Severity from the category's base level and the words of the ticket: loss of service is critical,
    a question is an inquiry. Critical means service is lost, not merely that a customer is unhappy."""
    critical_cues = list(dict.fromkeys(m.group(0).lower() for m in _CRITICAL.finditer(text)))
    inquiry = bool(_INQUIRY.search(text))
    critical = bool(critical_cues) and category in SERVICE_CATEGORIES
    base = policy.category_severity[category]
    if critical:
        value = 1.0
    elif inquiry and not critical_cues:
        value = min(base, 0.15)
    else:
        value = base
    return IssueSeverity(
        value=value,
        critical=critical,
        service_affecting=category in SERVICE_CATEGORIES and not (inquiry and not critical_cues),
        general_inquiry=inquiry and not critical_cues,
        cues=critical_cues,
    )
