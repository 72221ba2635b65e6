"""The default ensemble: members, calibrated confidence that drops when it should, and its file."""

from __future__ import annotations

import numpy as np
import pytest

from ticket_router.domain import Category
from ticket_router.model.calibration import Calibrator, Signals, reshape, word_signals
from ticket_router.model.ensemble import EnsembleClassifier
from ticket_router.policy import RoutingPolicy
from ticket_router.tools.classify import classify_issue

THRESHOLD = RoutingPolicy().review_threshold


def top(prediction) -> tuple[Category, float]:  # type: ignore[no-untyped-def]
    category = max(prediction.probabilities, key=prediction.probabilities.__getitem__)
    return category, prediction.probabilities[category]


@pytest.mark.parametrize(("text", "category"), [
    ("Comcast data caps", Category.BILLING_DISPUTE), ("Internet too expensive", Category.BILLING_DISPUTE),
    ("Internet too slow", Category.NETWORK_OUTAGE), ("Xfinity no show for installation appointment",
                                                      Category.TECHNICAL_PROBLEM),
    ("Cancelled my service but they keep billing me, want the cancellation done", Category.ACCOUNT_ACCESS),
])
def test_clear_tickets_are_routed_with_confidence(ensemble, text, category):
    predicted, confidence = top(ensemble.predict([text])[0])
    assert predicted == category and confidence >= THRESHOLD


@pytest.mark.parametrize(("text", "doubt"), [
    ("hello", "too little"), ("Please call me back", "too little"), ("Hi, can someone contact me asap?", "too little"),
    ("Mein Internet funktioniert seit gestern nicht mehr", "another language"),
    ("我的网络从昨天开始就断了", "another language"),
    ("What is the capital of France?", "unlike any ticket"), ("Recipe for chocolate cake with almonds", "unlike"),
])
def test_content_free_foreign_and_out_of_domain_text_is_flagged_with_the_reason(ensemble, text, doubt):
    prediction = ensemble.predict([text])[0]
    assert top(prediction)[1] < THRESHOLD
    assert any(doubt in reason for reason in prediction.doubts)


def test_the_review_reasons_say_why_the_model_was_unsure(ensemble):
    result = classify_issue("hello", ensemble, RoutingPolicy())
    assert any("too little" in doubt for doubt in result.doubts)


def signals(**changes: float) -> Signals:
    base = dict(top=0.9, agree=1.0, weaker=0.85, content_words=4.0, known_share=1.0, similarity=0.7)
    base.update(changes)
    return Signals(**{k: np.array([v]) for k, v in base.items()})


def test_disagreeing_members_send_the_ticket_to_review(ensemble):
    calibrator = ensemble.calibrator
    agreed = calibrator.confidence(signals(), np.array([30]))[0][0]
    split = calibrator.confidence(signals(agree=0.0, weaker=0.3), np.array([30]))
    assert agreed >= THRESHOLD > split[0][0]
    assert "the model's two members disagree" in split[1][0]


def test_the_fitted_curve_can_lower_a_confidence_but_never_raise_it():
    doubtful = Calibrator(coef=np.zeros(6), intercept=-1.0)  # says 0.27 whatever the signals
    assert doubtful.confidence(signals(top=0.9), np.array([30]))[0][0] == pytest.approx(1 / (1 + np.e))
    assert Calibrator(coef=np.zeros(6), intercept=5.0).confidence(signals(top=0.8), np.array([30]))[0][0] == 0.8


def test_caps_apply_whatever_the_fitted_curve_says():
    sure = Calibrator(coef=np.zeros(6), intercept=10.0)  # a curve that always says 0.99995
    assert sure.confidence(signals(top=1.0), np.array([30]))[0][0] > 0.99
    assert sure.confidence(signals(top=1.0, content_words=0.0), np.array([30]))[0][0] == sure.content_free_cap
    assert sure.confidence(signals(top=1.0, known_share=0.2), np.array([30]))[0][0] == sure.foreign_cap
    assert sure.confidence(signals(top=1.0, known_share=0.2), np.array([4]))[0][0] > 0.99  # too short to judge
    assert sure.confidence(signals(top=1.0, similarity=0.1), np.array([30]))[0][0] == sure.unlike_cap


def test_word_signals_leave_out_handles_links_and_filler():
    assert word_signals("hello, please call me back", {})[0] == 0
    content, share = word_signals("@comcastcares #fail my bill doubled https://x.co/abc", {"bill": 0, "doubled": 1})
    assert content == 2 and share == 1.0


@pytest.mark.parametrize("confidence", [0.28, 0.45, 0.69, 0.95])
def test_reshaped_distributions_keep_the_top_category_and_sum_to_one(confidence):
    probabilities = np.array([[0.05, 0.55, 0.38, 0.02], [0.97, 0.01, 0.01, 0.01]])
    out = reshape(probabilities, np.array([confidence, confidence]))
    assert np.allclose(out.sum(axis=1), 1.0)
    assert list(out.argmax(axis=1)) == [1, 0]
    assert np.allclose(out.max(axis=1), confidence)
    assert (np.sort(out, axis=1)[:, -2] <= 0.9 * confidence + 1e-9).all()


def test_the_ensemble_file_round_trips(ensemble):
    again = EnsembleClassifier.from_bytes(ensemble.to_bytes(), ensemble.encoder)
    texts = ["refund please", "no signal", "router broken", "locked out"]
    for mine, theirs in zip(again.predict(texts), ensemble.predict(texts)):
        assert mine.probabilities == pytest.approx(theirs.probabilities)
