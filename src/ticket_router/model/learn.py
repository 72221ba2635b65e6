"""Learning an operator's routing from their labelled tickets: read and check the labels, cross-validate a
candidate (the default model retrained on the corpus plus these tickets) against the active model on the same
tickets, and decide whether it may be promoted.

Training is `model/candidate.py`'s; this module only chooses folds, compares, and reports.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from ticket_router.domain import Category, ModelInfo, Team
from ticket_router.ingest import Rejected, raw_records, to_ticket
from ticket_router.model.base import Classifier, Prediction
from ticket_router.model.candidate import ModelArtifact, load_artifact, train_candidate
from ticket_router.model.corpus import LabelledTicket
from ticket_router.model.memory import DEFAULT_MEMORY_STRENGTH, STRENGTHS
from ticket_router.model.metrics import Evaluation, evaluate_predictions
from ticket_router.policy import RoutingPolicy
from ticket_router.tools.routing import route_to_team

MIN_RECORDS = 20
MIN_TEAMS = 2
WARN_TEAM_BELOW = 10
MAX_FOLDS = 5


class LearnRefused(ValueError):
    """The labelled tickets cannot train a candidate (too few, one team)."""


class Comparison(BaseModel):
    model_config = ConfigDict(frozen=True)

    active: ModelInfo
    folds: int
    candidate_eval: Evaluation  # out of fold: each ticket scored by a candidate that never saw it
    active_eval: Evaluation
    not_worse: bool
    reasons: list[str]  # why the candidate is worse, when it is


class Learned(BaseModel):
    model_config = ConfigDict(frozen=True)

    artifact: ModelArtifact
    comparison: Comparison
    meta: dict[str, Any]  # what the stored version records


# reading labels -------------------------------------------------------------------------------------------------
def _category_for(team: Team, policy: RoutingPolicy) -> Category:
    return next(c for c, t in policy.category_team.items() if t == team)


def labelled_from_raw(raw: Any, line: int, policy: RoutingPolicy) -> LabelledTicket | Rejected:
    """One record of a `route` input with a gold `team` (and optional `category`) inside the policy."""
    parsed = to_ticket(raw, line)
    if isinstance(parsed, Rejected):
        return parsed
    teams = {t.value: t for t in policy.teams}
    categories = {c.value: c for c in policy.category_team}
    team = raw.get("team")
    if not isinstance(team, str) or not team.strip():
        return Rejected(line, "missing gold team")
    if team.strip() not in teams:
        return Rejected(line, f"team {team!r} is not in the policy ({', '.join(teams)})")
    gold = teams[team.strip()]
    category = raw.get("category")
    if isinstance(category, str) and category.strip():
        if category.strip() not in categories:
            return Rejected(line, f"category {category!r} is not in the policy ({', '.join(categories)})")
        chosen = categories[category.strip()]
        if policy.team_for(chosen) != gold:
            return Rejected(line, f"category {category!r} belongs to {policy.team_for(chosen).value}, not {team!r}")
    else:
        chosen = _category_for(gold, policy)
    ticket = parsed.record
    return LabelledTicket(subject=ticket.subject, description=ticket.description, category=chosen, team=gold,
                          style="operator")


def read_labelled(data: bytes, fmt: str, policy: RoutingPolicy) -> tuple[list[LabelledTicket], list[Rejected]]:
    good: list[LabelledTicket] = []
    bad: list[Rejected] = []
    for item in raw_records(data, fmt):
        result = item if isinstance(item, Rejected) else labelled_from_raw(item[1], item[0], policy)
        (bad if isinstance(result, Rejected) else good).append(result)  # type: ignore[arg-type]
    return good, bad


def check_examples(examples: Sequence[LabelledTicket]) -> list[str]:
    """Refuses (`LearnRefused`) what cannot train a candidate; returns warnings about what can but is thin."""
    counts = Counter(e.team.value for e in examples)
    if len(examples) < MIN_RECORDS:
        raise LearnRefused(f"{len(examples)} usable labelled tickets; at least {MIN_RECORDS} are needed")
    if len(counts) < MIN_TEAMS:
        raise LearnRefused(f"all usable tickets are labelled {next(iter(counts), 'nothing')}; "
                           f"at least {MIN_TEAMS} teams are needed")
    return [f"team {team!r} has only {n} examples (fewer than {WARN_TEAM_BELOW}); its figures are rough"
            for team, n in sorted(counts.items()) if n < WARN_TEAM_BELOW]


def training_summary(examples: Sequence[LabelledTicket], weight: float, source: str) -> dict[str, Any]:
    """What the stored version records about its data: a sha256 over the labelled texts, counts per team."""
    digest = hashlib.sha256()
    for example in examples:
        digest.update(json.dumps([example.subject, example.description, example.team.value,
                                  example.category.value]).encode("utf-8") + b"\n")
    return {"source": source, "sha256": digest.hexdigest(), "count": len(examples), "weight": weight,
            "per_team": dict(sorted(Counter(e.team.value for e in examples).items()))}


# cross-validation -----------------------------------------------------------------------------------------------
def assign_folds(examples: Sequence[LabelledTicket], seed: int) -> tuple[list[int], int]:
    """Stratified folds (each team dealt round-robin after a seeded shuffle): `MAX_FOLDS`, fewer for small sets,
    so every fold keeps about 10 tickets."""
    folds = max(2, min(MAX_FOLDS, len(examples) // 10))
    rng = random.Random(seed)
    assigned = [0] * len(examples)
    by_team: dict[Team, list[int]] = {}
    for index, example in enumerate(examples):
        by_team.setdefault(example.team, []).append(index)
    offset = 0
    for team in sorted(by_team):
        members = by_team[team]
        rng.shuffle(members)
        for position, index in enumerate(members):
            assigned[index] = (position + offset) % folds
        offset += len(members)  # spread each team's remainder over different folds
    return assigned, folds


def _scores(predictions: Sequence[Prediction], policy: RoutingPolicy) -> tuple[list[str], list[float]]:
    routed = [route_to_team(p.probabilities, policy) for p in predictions]
    return [r.team.value for r in routed], [r.confidence for r in routed]


def evaluate_classifier_predictions(gold: Sequence[str], predictions: Sequence[Prediction],
                                    policy: RoutingPolicy) -> Evaluation:
    teams, confidences = _scores(predictions, policy)
    return evaluate_predictions(gold, teams, confidences, [t.value for t in policy.teams], policy.review_threshold)


def compare(gold: Sequence[str], candidate: Sequence[Prediction], active: Sequence[Prediction],
            active_info: ModelInfo, folds: int, policy: RoutingPolicy) -> Comparison:
    """The candidate is "not worse" when neither its accuracy nor its macro-F1 is below the active model's."""
    candidate_eval = evaluate_classifier_predictions(gold, candidate, policy)
    active_eval = evaluate_classifier_predictions(gold, active, policy)
    reasons = []
    if candidate_eval.accuracy < active_eval.accuracy - 1e-9:
        reasons.append(f"accuracy {candidate_eval.accuracy:.3f} is below the active model's "
                       f"{active_eval.accuracy:.3f}")
    if candidate_eval.macro_f1 < active_eval.macro_f1 - 1e-9:
        reasons.append(f"macro-F1 {candidate_eval.macro_f1:.3f} is below the active model's "
                       f"{active_eval.macro_f1:.3f}")
    return Comparison(active=active_info, folds=folds, candidate_eval=candidate_eval, active_eval=active_eval,
                      not_worse=not reasons, reasons=reasons)


Trainer = Callable[..., ModelArtifact]


def learn(examples: Sequence[LabelledTicket], active: Classifier, policy: RoutingPolicy, *, weight: float = 5.0,
          seed: int = 13, source: str = "file", train: Trainer = train_candidate,
          load: Callable[[ModelArtifact], Classifier] = load_artifact,
          progress: Callable[[str], None] = lambda message: None) -> Learned:
    """Cross-validate, then train the candidate on every example. `check_examples` first.

    A model with a memory of the operator's tickets (`memory.py`) is scored out of fold at each of
    `STRENGTHS`; the strength with the best accuracy (then macro-F1; then the default strength, then the weaker
    memory) is the candidate's."""
    check_examples(examples)
    assigned, folds = assign_folds(examples, seed)
    texts = [e.text for e in examples]
    gold = [e.team.value for e in examples]
    out_of_fold: dict[float | None, list[Prediction | None]] = {}
    for fold in range(folds):
        progress(f"fold {fold + 1} of {folds}")
        held = [i for i, f in enumerate(assigned) if f == fold]
        model = load(train([e for e, f in zip(examples, assigned) if f != fold], weight, seed=seed))
        memory = getattr(model, "memory", None)
        for strength in STRENGTHS if memory is not None else (None,):
            if memory is not None:
                memory.strength = strength
            column = out_of_fold.setdefault(strength, [None] * len(examples))
            for index, prediction in zip(held, model.predict([texts[i] for i in held])):
                column[index] = prediction
    scored = {strength: evaluate_classifier_predictions(gold, [p for p in column if p is not None], policy)
              for strength, column in out_of_fold.items()}
    # The default strength stands unless another scores better out of fold: on a few dozen tickets a tie says
    # nothing, and on real operators' tickets remembering them helps more often than not.
    strength = max(scored, key=lambda s: (round(scored[s].accuracy, 9), round(scored[s].macro_f1, 9),
                                          s == DEFAULT_MEMORY_STRENGTH, -(s or 0.0)))
    progress("the candidate, on every ticket")
    options = {} if strength is None else {"memory_strength": strength}
    artifact = train(list(examples), weight, seed=seed, **options)
    comparison = compare(gold, [p for p in out_of_fold[strength] if p is not None], active.predict(texts),
                         active.info, folds, policy)
    meta = {
        "training": training_summary(examples, weight, source),
        "cv": {"folds": folds, "active": f"{active.info.name}/{active.info.version}",
               "candidate": figures(comparison.candidate_eval), "active_model": figures(comparison.active_eval),
               **({} if strength is None else
                  {"memory_strength": strength,
                   "accuracy_by_memory_strength": {str(s): round(e.accuracy, 4) for s, e in scored.items()}})},
        "seed": seed,
    }
    return Learned(artifact=artifact, comparison=comparison, meta=meta)


def figures(evaluation: Evaluation) -> dict[str, Any]:
    return {"accuracy": round(evaluation.accuracy, 4), "macro_f1": round(evaluation.macro_f1, 4),
            "review_rate": round(evaluation.review_rate, 4), "count": evaluation.count,
            "per_team_f1": {team: round(s.f1, 4) for team, s in evaluation.per_team.items() if s.support}}


def labelled_from_feedback(feedback: Iterable[Any], tickets: Callable[[str], Any],
                           policy: RoutingPolicy) -> list[LabelledTicket]:
    """Agents' latest confirmation or correction per ticket, with the ticket's text, as labels."""
    latest: dict[str, Team] = {}
    for item in feedback:  # oldest first: the last one per ticket wins
        latest[item.ticket_id] = item.team
    examples = []
    for ticket_id, team in latest.items():
        ticket = tickets(ticket_id)
        if ticket is not None and team in policy.teams:
            examples.append(LabelledTicket(subject=ticket.subject, description=ticket.description, team=team,
                                           category=_category_for(team, policy), style="feedback"))
    return examples
