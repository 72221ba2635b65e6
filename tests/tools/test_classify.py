"""classify_issue with the shipped model: a probability per category, evidence, and secondary categories."""

import pytest

from ticket_router.domain import Category
from ticket_router.model.keywords import KeywordClassifier
from ticket_router.policy import RoutingPolicy
from ticket_router.tools.classify import classify_issue


def test_every_category_gets_a_probability_and_they_sum_to_one(classifier):
    result = classify_issue("I was charged twice for my October bill", classifier, RoutingPolicy())
    assert result.category == Category.BILLING_DISPUTE
    assert set(result.probabilities) == set(RoutingPolicy().categories)
    assert sum(result.probabilities.values()) == pytest.approx(1.0, abs=1e-3)
    assert result.evidence and all(word in "i was charged twice for my october bill" for word in result.evidence[:1])
    assert result.model.name == "tfidf-lr"


def test_a_ticket_mixing_issues_names_its_secondary_category(classifier):
    text = ("My internet has been down for three days and I also want a refund for the days without service, "
            "the bill still charged me the full $80.")
    result = classify_issue(text, classifier, RoutingPolicy())
    assert result.category == Category.BILLING_DISPUTE  # the main ask is the refund
    assert result.secondary == [Category.NETWORK_OUTAGE]
    assert result.mentions == {Category.NETWORK_OUTAGE: ["been down", "without service"]}


def test_a_category_the_model_is_unsure_about_is_secondary_without_cues(classifier):
    policy = RoutingPolicy(secondary_category_threshold=0.0, secondary_min_cues=99)
    result = classify_issue("Forgot my password", classifier, policy)
    assert len(result.secondary) == 3 and result.mentions == {}


def test_a_clear_ticket_has_no_secondary_category(classifier):
    result = classify_issue("Forgot my password and my online account is locked", classifier, RoutingPolicy())
    assert result.category == Category.ACCOUNT_ACCESS and result.secondary == []


def test_the_keyword_fallback_is_uniform_without_any_cue():
    result = classify_issue("hello there", KeywordClassifier(), RoutingPolicy())
    assert max(result.probabilities.values()) == pytest.approx(0.25)
