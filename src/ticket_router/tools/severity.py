"""How severe the issue in a ticket is: the 'issue severity' input of the priority score."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from ticket_router.domain import MAX_TOOL_CHARS, Category
from ticket_router.policy import RoutingPolicy

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
# Loss of service said in other words: "internet down", "internet's down", "no mobile signal", "lost my
# connection", "been without broadband", "can't get online". Whatever the wording, the same outage gets the same
# severity (tests/tools/test_severity.py goes through many phrasings).
_LOST = (r"signal|service|internet|connection|connectivity|network|coverage|dial tone|broadband|wi-?fi|"
         r"reception|mobile data|phone line|landline|tv signal|cable")
_SUBJECT = (r"internet|broadband|wi-?fi|fib(?:re|er)|network|service|connection|signal|lines?|landline|phone line|"
            r"mobile network|cell network|mobile data|data|tv|cable|dsl|4g|5g|lte|everything")
LOSS_OF_SERVICE = (
    rf"(?:{_SUBJECT})(?:'s|'re| is| are| was| were| has been| have been| been| went| goes| keeps going| still)?"
    r"(?: completely| totally| all| still)? (?:down|out|dead)",
    rf"no (?:mobile |phone |cell |cellular |home |internet |network |wi-?fi |broadband |tv )?(?:{_LOST})",
    rf"(?:lost|losing|lose) (?:all |my |our |the |any )?(?:mobile |phone |internet |home )?(?:{_LOST})",
    rf"without (?:any |an |a |my |our )?(?:{_LOST}|phone|tv)",
    rf"(?:{_SUBJECT}) (?:has |have )?(?:stopped working|died|gone (?:down|dead|out)|cut (?:out|off))",
    r"(?:can't|cannot|cant|can not|unable to|couldn't) (?:get online|go online|connect to (?:the )?(?:internet|network)|"
    r"get (?:a |any )?(?:signal|connection)|make (?:or receive )?(?:any )?calls)",
    r"(?:been|still|down) (?:down|again)",
)
_CRITICAL = re.compile(
    r"\b(?:" + "|".join([*(r"\s+".join(map(re.escape, c.split())) for c in CRITICAL_CUES),
                         *(p.replace(" ", r"\s+") for p in LOSS_OF_SERVICE)]) + r")\b",
    re.IGNORECASE)
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
    text = text[:MAX_TOOL_CHARS]
    critical_cues = list(dict.fromkeys(" ".join(m.group(0).lower().split()) for m in _CRITICAL.finditer(text)))
    inquiry = bool(_INQUIRY.search(text))
    critical = bool(critical_cues) and category in policy.service_categories
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
        service_affecting=category in policy.service_categories and not (inquiry and not critical_cues),
        general_inquiry=inquiry and not critical_cues,
        cues=critical_cues,
    )
