"""Tool 6: route_to_team — the team, its confidence, the top-2 alternatives and whether a person must review."""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, ConfigDict, Field

from ticket_router.domain import Alternative, Category, Team
from ticket_router.policy import RoutingPolicy


class Routing(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    team: Team
    confidence: float = Field(ge=0.0, le=1.0)
    alternatives: list[Alternative]
    needs_review: bool
    review_reasons: list[str] = Field(default_factory=list)


def route_to_team(
    probabilities: dict[Category, float], policy: RoutingPolicy, extra_review_reasons: list[str] | None = None,
    doubts: list[str] | None = None,
) -> Routing:
    """Sum category probabilities per team via the policy; flag for review below the policy threshold, saying
    why the model was unsure (`doubts`) when it gave them."""
    per_team: dict[Team, float] = defaultdict(float)
    for category, probability in probabilities.items():
        per_team[policy.team_for(category)] += probability
    for team in policy.teams:
        per_team.setdefault(team, 0.0)
    ranked = sorted(per_team.items(), key=lambda item: (-item[1], policy.teams.index(item[0])))
    team, confidence = ranked[0]
    confidence = round(min(max(confidence, 0.0), 1.0), 4)
    reasons = list(extra_review_reasons or [])
    if confidence < policy.review_threshold:
        shown = f"{confidence:.2f}"
        if float(shown) >= policy.review_threshold:  # 0.996 below 1.00 must not read "1.00 is below 1.00"
            shown = f"{confidence:.4f}"
        reasons[:0] = [f"confidence {shown} is below {policy.review_threshold:.2f}", *(doubts or [])]
    return Routing(
        team=team,
        confidence=confidence,
        alternatives=[Alternative(team=t, confidence=round(min(max(c, 0.0), 1.0), 4)) for t, c in ranked[1:3]],
        needs_review=bool(reasons),
        review_reasons=reasons,
    )
