"""The model's final answer as a validated type, and how it becomes a `Classification`.

The answer holds only the policy's names (`answer_model` builds it per policy) and quoted evidence: it has no
field for a priority or a confidence, and `extra="forbid"` rejects any it tries to add. Priority and confidence
are computed in code from validated parts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from ticket_router.domain import Category, ModelInfo, Name, Team
from ticket_router.policy import RoutingPolicy
from ticket_router.tools.classify import Classification

MAX_EVIDENCE = 5
MAX_EVIDENCE_CHARS = 120
# Weight of the model's vote when blended with the embedded classifier's probabilities (see `blend`).
LLM_VOTE_WEIGHT = 0.6


class AnswerBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    category: Category = Field(description="The one category that best describes what the customer needs.")
    team: Team = Field(description="The team the routing policy assigns to that category.")
    evidence: list[str] = Field(
        default_factory=list,
        description=f"Up to {MAX_EVIDENCE} short phrases copied verbatim from the ticket text that support the "
        "category. Quotes only: no commentary.",
    )
    secondary_categories: list[Category] = Field(
        default_factory=list, description="Other categories the ticket also raises, if any (at most 2)."
    )

    @field_validator("evidence")
    @classmethod
    def _trim_evidence(cls, value: list[str]) -> list[str]:
        trimmed = [" ".join(item.split())[:MAX_EVIDENCE_CHARS] for item in value]
        return [item for item in dict.fromkeys(trimmed) if item][:MAX_EVIDENCE]

    @field_validator("secondary_categories")
    @classmethod
    def _secondary_differs(cls, value: list[Category], info: ValidationInfo) -> list[Category]:
        return [c for c in dict.fromkeys(value) if c != info.data.get("category")][:2]


def policy_names(kind: type[Name], names: Sequence[str]) -> Any:
    """A field type accepting only `names` (an `enum` in the JSON schema a model is shown), validated into `kind`:
    the model can name only the policy's own teams and categories."""
    return Annotated[Literal[tuple(names)], AfterValidator(kind)]


@lru_cache(maxsize=8)
def _answer_model(mapping: tuple[tuple[Category, Team], ...]) -> type[AnswerBase]:
    table = dict(mapping)
    listed = "; ".join(f"{c.value} -> {t.value}" for c, t in mapping)
    category_name = policy_names(Category, [c.value for c in table])
    team_name = policy_names(Team, list(dict.fromkeys(t.value for t in table.values())))
    fields = AnswerBase.model_fields

    class RoutingAnswer(AnswerBase):
        __doc__ = (
            "The final routing answer for this ticket. Call this exactly once, as the last step. "
            f"Category to team: {listed}."
        )
        category: category_name = Field(description=fields["category"].description)  # type: ignore[valid-type]
        team: team_name = Field(description=fields["team"].description)  # type: ignore[valid-type]
        secondary_categories: list[category_name] = Field(  # type: ignore[valid-type]
            default_factory=list, description=fields["secondary_categories"].description)

        @model_validator(mode="after")
        def _team_matches_policy(self) -> RoutingAnswer:
            if table[self.category] != self.team:
                raise ValueError(
                    f"team {self.team.value!r} does not match category {self.category.value!r}: "
                    f"the policy routes it to {table[self.category].value!r}"
                )
            return self

    return RoutingAnswer


def answer_model(policy: RoutingPolicy) -> type[AnswerBase]:
    """The answer type for `policy`: only its categories and teams, and the team must be the one the policy maps
    the category to."""
    return _answer_model(tuple(policy.category_team.items()))


def quoted_evidence(evidence: list[str], source: str) -> list[str]:
    """Only the items that really are quotes of `source` (case and spacing aside): the model's evidence is shown
    to people, so nothing it did not copy from the ticket is kept."""
    haystack = " ".join(source.split()).casefold()
    kept = []
    for item in evidence:
        needle = " ".join(item.split()).casefold().strip(" \"'.,;:")
        if len(needle) >= 3 and re.search(r"\w", needle) and needle in haystack:
            kept.append(item.strip(" \"'"))
    return kept


def blend(local: Classification, answer: AnswerBase, model: ModelInfo, policy: RoutingPolicy,
          evidence: list[str]) -> Classification:
    """The classification a decision is assembled from when the LLM answered.

    Rule: `p(c) = w * [c == llm_category] + (1 - w) * p_local(c)` with `w = LLM_VOTE_WEIGHT` (0.6). The model's
    category is therefore always the top one (0.6 beats at most 0.4), and its probability is
    `0.6 + 0.4 * p_local(llm_category)`: it clears the default 0.70 review threshold only when the embedded model
    gives that category at least 25%. So confidence is never a number the model asserts, and a model that
    contradicts a confident embedded model gets its ticket reviewed.
    """
    w = LLM_VOTE_WEIGHT
    probabilities = {c: (1 - w) * local.probabilities.get(c, 0.0) + (w if c == answer.category else 0.0)
                     for c in policy.categories}
    ranked = sorted(probabilities, key=lambda c: -probabilities[c])
    secondary = [c for c in ranked[1:] if probabilities[c] >= policy.secondary_category_threshold]
    secondary += [c for c in answer.secondary_categories if c not in secondary and c != answer.category]
    secondary += [c for c in local.mentions if c not in secondary and c != answer.category]
    return Classification(
        category=answer.category,
        probabilities={c: round(probabilities[c], 4) for c in ranked},
        secondary=secondary,
        evidence=evidence,
        mentions={c: cues for c, cues in local.mentions.items() if c in secondary},
        model=model,
    )
