"""Training is reproducible and the shipped model is the one the corpus builds."""

from pathlib import Path

import numpy as np
import pytest

from ticket_router.model.candidate import shipped_artifact
from ticket_router.model.corpus import load_corpus
from ticket_router.model.registry import TRAINED
from ticket_router.model.tfidf import TfidfClassifier
from ticket_router.model.train import default_model_path, fit_temperature, train_tfidf

CORPUS = Path(__file__).parents[2] / "data" / "training"


def small_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in sorted(CORPUS.glob("*.jsonl")):
        lines = path.read_text().splitlines()[::25]  # about 400 examples: seconds, not a minute
        (folder / path.name).write_text("\n".join(lines) + "\n")
    return folder


def test_same_corpus_and_seed_give_the_same_model(tmp_path):
    examples, digest = load_corpus(small_corpus(tmp_path))
    first = train_tfidf(examples, digest, seed=3).model
    second = train_tfidf(examples, digest, seed=3).model
    texts = ["refund please", "no signal", "router broken", "locked out"]
    assert np.allclose(first.logits(texts), second.logits(texts))
    first.save(tmp_path / "m.npz")
    loaded = TfidfClassifier.load(tmp_path / "m.npz")
    assert np.allclose(loaded.logits(texts), first.logits(texts))
    assert loaded.meta["corpus_sha256"] == digest


@pytest.mark.parametrize("name", TRAINED)
def test_shipped_model_was_trained_on_the_current_corpus(name):
    _, digest = load_corpus(CORPUS)
    shipped = shipped_artifact(name)
    assert shipped.meta["corpus_sha256"] == digest, "run `ticket-router train` and commit the model"


def test_temperature_softens_overconfident_logits():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 400)
    logits = np.where(labels[:, None] == np.arange(2), 10.0, 0.0)
    flip = rng.random(400) < 0.3  # 30% of the confident predictions are wrong
    logits[flip] = logits[flip][:, ::-1]
    assert fit_temperature(logits, labels) > 1.0


def test_numpy_inference_matches_the_sklearn_pipeline(tmp_path):
    """Inference re-implements sklearn's analyzers in numpy; the logits must be the ones sklearn computes."""
    examples, digest = load_corpus(small_corpus(tmp_path))
    model, pipeline, _ = train_tfidf(examples, digest, seed=3)
    texts = [
        "Refund please, I was charged twice on invoice INV-2026-0042!",
        "No signal at all in Leeds since Monday; calls keep dropping.",
        "Café wifi: routeur ne marche pas, erreur 651 — naïve résumé",
        "x", "   spaces   between    words  ", "ALL CAPS LOCKED OUT OF MY ACCOUNT",
        "emoji 📶 and tabs\tand\nnewlines", "a" * 300,
    ]
    assert np.allclose(model.logits(texts), pipeline.decision_function(texts), atol=1e-9)


def test_a_model_built_with_other_analyzer_settings_is_refused(tmp_path, monkeypatch):
    from ticket_router.model import tfidf

    shipped = TfidfClassifier.load(default_model_path())
    shipped.save(tmp_path / "m.npz")
    monkeypatch.setattr(tfidf, "CHAR_NGRAMS", (1, 4))
    try:
        TfidfClassifier.load(tmp_path / "m.npz")
    except ValueError as error:
        assert "retrain" in str(error)
    else:
        raise AssertionError("a model with other analyzer settings loaded")


@pytest.mark.parametrize(
    ("token", "stem"),
    [("caps", "cap"), ("charges", "charge"), ("batteries", "battery"), ("speeds", "speed"), ("access", "access"),
     ("status", "status"), ("this", "this"), ("bus", "bus"), ("does", "doe"), ("gas", "gas"), ("cap", "cap")],
)
def test_s_stemmer_folds_plurals_only(token, stem):
    from ticket_router.model.tfidf import s_stem

    assert s_stem(token) == stem


def test_a_refit_adds_the_categories_only_the_operator_s_tickets_have_and_starts_them_from_zero():
    from ticket_router.domain import BUILTIN_CATEGORIES, Category
    from ticket_router.model.corpus import LabelledTicket
    from ticket_router.model.train import class_set, widened

    base = sorted(BUILTIN_CATEGORIES, key=str)
    fraud = LabelledTicket(subject="", description="SIM swap fraud", category=Category("Fraud"),
                           team="Fraud & Security", style="operator")
    billing = fraud.model_copy(update={"category": Category.BILLING_DISPUTE, "team": "Billing Support"})
    assert class_set(base, [billing]) is base  # nothing added: the base model's classes, as they were
    wider = class_set(base, [fraud, billing])
    assert [c.value for c in wider] == ["Account Access", "Billing Dispute", "Fraud", "Network Outage",
                                        "Technical Problem"]  # sorted as scikit-learn sorts its classes
    coef, intercept = np.arange(8.0).reshape(4, 2), np.arange(4.0)
    categories, wide_coef, wide_intercept = widened(base, coef, intercept, wider)
    assert categories == wider and wide_coef[2].tolist() == [0.0, 0.0] and wide_intercept[2] == 0.0
    assert wide_coef[3].tolist() == coef[2].tolist() and wide_intercept[3] == intercept[2]  # Network Outage
