import pytest

from ticket_router.model.metrics import evaluate_predictions, expected_calibration_error

LABELS = ["A", "B"]


def test_perfect_predictions():
    result = evaluate_predictions(["A", "B", "A"], ["A", "B", "A"], [0.9, 0.8, 0.95], LABELS, 0.7)
    assert result.accuracy == 1.0 and result.macro_f1 == 1.0
    assert result.confusion == [[2, 0], [0, 1]]


def test_precision_recall_and_confusion():
    result = evaluate_predictions(["A", "A", "B", "B"], ["A", "B", "B", "B"], [1, 1, 1, 1], LABELS, 0.7)
    assert result.per_team["A"].precision == 1.0 and result.per_team["A"].recall == 0.5
    assert result.per_team["B"].precision == pytest.approx(2 / 3) and result.per_team["B"].recall == 1.0
    assert result.confusion == [[1, 1], [0, 2]]
    assert result.accuracy == 0.75


def test_ece_is_zero_when_confidence_matches_accuracy_and_large_when_overconfident():
    assert expected_calibration_error([0.75] * 4, [True, True, True, False]) == pytest.approx(0.0)
    assert expected_calibration_error([1.0] * 4, [False] * 4) == pytest.approx(1.0)


def test_review_rate_and_confident_accuracy():
    result = evaluate_predictions(["A", "B"], ["A", "A"], [0.9, 0.5], LABELS, 0.7)
    assert result.review_rate == 0.5 and result.accuracy_when_confident == 1.0
