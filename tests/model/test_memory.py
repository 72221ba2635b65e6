"""The operator memory (`model/memory.py`): an operator's labelled tickets vote on tickets like them, with a
strength `learn` chooses by cross-validation, and leave unlike tickets alone."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest

from ticket_router.domain import Category, ModelInfo, Team
from ticket_router.model.candidate import load_artifact, shipped_artifact, train_candidate
from ticket_router.model.corpus import LabelledTicket
from ticket_router.model.learn import learn
from ticket_router.model.memory import CEILING, FLOOR, STRENGTHS, OperatorMemory
from ticket_router.policy import DEFAULT_POLICY

CATEGORIES = ["Network Outage", "Billing Dispute"]


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_the_nearest_labelled_tickets_vote_with_a_weight_that_grows_with_similarity():
    memory = OperatorMemory(vectors=np.stack([unit(1, 0, 0), unit(1, 0.05, 0), unit(0, 1, 0)]),
                            labels=["Billing Dispute", "Billing Dispute", "Network Outage"], strength=0.8)
    same, halfway, unlike = unit(1, 0.02, 0), unit(1, 0, 0.9), unit(0, 0, 1)
    votes, weights, backing = memory.vote(np.stack([same, halfway, unlike]), CATEGORIES)
    assert votes[0] == pytest.approx([0.0, 1.0]) and weights[0] == pytest.approx(0.8)
    assert list(backing) == [2, 2, 0]  # both billing tickets are close to the first two texts
    assert 0 < weights[1] < 0.8 and votes[1].sum() == pytest.approx(1.0)
    assert FLOOR < float(halfway @ unit(1, 0, 0)) < CEILING
    assert weights[2] == 0 and votes[2].sum() == 0  # nothing close: the model's own view stands
    blended = memory.blend(np.array([[0.9, 0.1]] * 3), votes, weights)
    assert blended[0] == pytest.approx([0.18, 0.82]) and blended[2] == pytest.approx([0.9, 0.1])
    assert blended.sum(axis=1) == pytest.approx([1.0, 1.0, 1.0])


def test_strength_zero_labels_outside_the_model_and_an_empty_memory_change_nothing():
    vectors = np.stack([unit(1, 0, 0)])
    for memory in (OperatorMemory(vectors, ["Billing Dispute"], 0.0), OperatorMemory(vectors, ["Sales"], 0.9),
                   OperatorMemory(np.zeros((0, 3), dtype=np.float32), [], 0.9)):
        votes, weights, backing = memory.vote(np.stack([unit(1, 0, 0)]), CATEGORIES)
        assert not weights.any() and not votes.any() and not backing.any()


SIM = ["Need a replacement SIM card, mine is damaged", "SIM swap please, my old SIM stopped working",
       "Please replace my SIM, phone says no SIM inserted", "My SIM card is broken, I need a new one same number",
       "Request for a new SIM card after mine snapped", "SIM not detected by the phone, need a replacement SIM",
       "Lost my SIM card, please issue a new one", "Can I get a new SIM for my number, this one is faulty",
       "SIM card replacement needed urgently", "Phone shows invalid SIM, please swap it",
       "My SIM is damaged after water got in, replace it", "Need a nano SIM instead of my micro SIM"]
BILLS = ["I was charged twice this month", "Refund the late fee please", "Why is my bill higher than usual",
         "Autopay took the wrong amount", "Overage charges I never agreed to", "Price went up without notice",
         "Charged for a device I returned", "Credit promised by the agent is missing",
         "Billed after I paid in full", "Wrong amount on my invoice"]


@pytest.fixture(scope="module")
def sim_operator() -> list[LabelledTicket]:
    """An operator whose account team handles SIM replacements (our policy: Technical Support)."""
    return ([LabelledTicket(subject=t, category=Category.ACCOUNT_ACCESS, team=Team.ACCOUNT_MANAGEMENT) for t in SIM]
            + [LabelledTicket(subject=t, category=Category.BILLING_DISPUTE, team=Team.BILLING_SUPPORT)
               for t in BILLS])


def test_the_candidate_remembers_the_operators_tickets_and_keeps_its_strength(tiny_corpus, sim_operator):
    strong = load_artifact(train_candidate(sim_operator, 0.05, seed=3, corpus=tiny_corpus, memory_strength=0.9))
    off = load_artifact(train_candidate(sim_operator, 0.05, seed=3, corpus=tiny_corpus, memory_strength=0.0))
    assert strong.memory is not None and strong.memory.strength == 0.9 and len(strong.memory.labels) == 22
    paraphrase, unrelated = "my sim card is damaged and needs replacing", "no signal in the whole town since the storm"
    with_memory, without = strong.predict([paraphrase, unrelated]), off.predict([paraphrase, unrelated])
    assert (with_memory[0].probabilities[Category.ACCOUNT_ACCESS]
            > without[0].probabilities[Category.ACCOUNT_ACCESS] + 0.2)
    assert max(with_memory[0].probabilities, key=with_memory[0].probabilities.__getitem__) == Category.ACCOUNT_ACCESS
    assert with_memory[1].probabilities == pytest.approx(without[1].probabilities, abs=0.02)
    # the dispatcher reads why: the operator's own tickets, counted
    assert with_memory[0].precedents and with_memory[0].precedents[0].endswith("of the operator's own labelled tickets")
    assert not with_memory[1].precedents and not without[0].precedents


def test_learn_chooses_the_memory_strength_out_of_fold_and_records_it(tiny_corpus, sim_operator):
    active = load_artifact(shipped_artifact())
    learned = learn(sim_operator, active, DEFAULT_POLICY, weight=0.05, seed=3,
                    train=partial(train_candidate, corpus=tiny_corpus))
    cv = learned.meta["cv"]
    assert set(cv["accuracy_by_memory_strength"]) == {str(s) for s in STRENGTHS}
    best = max(cv["accuracy_by_memory_strength"].values())
    assert cv["accuracy_by_memory_strength"][str(cv["memory_strength"])] == best
    assert cv["candidate"]["accuracy"] == best  # the figures shown are the chosen strength's
    assert cv["memory_strength"] > 0  # on SIM tickets the corpus routes elsewhere, remembering them helps
    candidate = load_artifact(learned.artifact)
    assert candidate.memory.strength == cv["memory_strength"]
    assert learned.comparison.active == ModelInfo(name="minilm-tfidf-v1", version="1")
