"""The contract `ticket-router learn` builds on: shipped models as artifacts, retraining with extra tickets."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from ticket_router.domain import Category, Team
from ticket_router.model.candidate import ModelArtifact, load_artifact, shipped_artifact, train_candidate
from ticket_router.model.corpus import LabelledTicket
from ticket_router.model.registry import UnknownModel, load_classifier

CORPUS = Path(__file__).parents[2] / "data" / "training"
TEXTS = ["Comcast data caps", "no signal since the storm", "router keeps rebooting", "cancel my contract"]


def small_corpus(tmp_path: Path, step: int = 8) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in sorted(CORPUS.glob("*.jsonl")):
        lines = path.read_text().splitlines()[::step]
        (folder / path.name).write_text("\n".join(lines) + "\n")
    return folder


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.mark.parametrize("name", ["minilm-tfidf-v1", "tfidf-lr-v2"])
def test_a_shipped_artifact_loads_as_the_registered_model(name):
    artifact = shipped_artifact(name)
    assert artifact.name == name and artifact.version == "1"
    assert artifact.meta["corpus_sha256"]
    loaded, registered = load_artifact(artifact), load_classifier(name)
    assert loaded.info.name == name and loaded.info.version == "1"
    for mine, theirs in zip(loaded.predict(TEXTS), registered.predict(TEXTS)):
        assert mine.probabilities == pytest.approx(theirs.probabilities)


def test_an_artifact_is_frozen_and_strict():
    artifact = shipped_artifact("tfidf-lr-v2")
    with pytest.raises(ValidationError):
        artifact.name = "other"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        ModelArtifact(name="x", version="1", payload=b"", meta={}, extra_field=1)  # type: ignore[call-arg]


def test_an_unknown_model_name_is_refused():
    with pytest.raises(UnknownModel, match="known:"):
        shipped_artifact("tfidf-lr-v9")


def test_the_default_is_the_ensemble():
    assert shipped_artifact().name == "minilm-tfidf-v1"


def test_extra_tickets_teach_the_ensemble_candidate(tiny_corpus):
    extra = [LabelledTicket(subject=f"zorblax gadget unresponsive {i}", category=Category.BILLING_DISPUTE,
                            team=Team.BILLING_SUPPORT) for i in range(20)]
    candidate = train_candidate(extra, weight=5.0, seed=3, corpus=tiny_corpus)
    assert candidate.name == "minilm-tfidf-v1" and candidate.meta["extra_examples"] == 20
    learned = load_artifact(candidate.model_copy(update={"version": "2"}))
    assert learned.info.name == "minilm-tfidf-v1" and learned.info.version == "2"
    prediction = learned.predict(["zorblax gadget unresponsive"])[0]
    assert max(prediction.probabilities, key=prediction.probabilities.__getitem__) == Category.BILLING_DISPUTE


def test_extra_tickets_teach_the_candidate_and_are_recorded(tmp_path):
    corpus = small_corpus(tmp_path)
    text = "zorblax gadget unresponsive"  # words the corpus never uses
    extra = [LabelledTicket(subject=f"zorblax gadget unresponsive {i}", category=Category.BILLING_DISPUTE,
                            team=Team.BILLING_SUPPORT) for i in range(30)]
    candidate = train_candidate(extra, weight=5.0, name="tfidf-lr-v2", seed=3, corpus=corpus)
    assert candidate.name == "tfidf-lr-v2"
    assert candidate.meta["extra_examples"] == 30 and candidate.meta["extra_weight"] == 5.0
    learned = load_artifact(candidate.model_copy(update={"version": "2"}))
    assert learned.info.version == "2"
    assert learned.predict([text])[0].probabilities[Category.BILLING_DISPUTE] > 0.9
    again = train_candidate(extra, weight=5.0, name="tfidf-lr-v2", seed=3, corpus=corpus)  # from the cache
    assert load_artifact(again).predict([text])[0].probabilities == pytest.approx(
        learned.predict([text])[0].probabilities)
    assert list((tmp_path / "cache" / "ticket-router").glob("*.npz"))


def test_without_extra_tickets_the_candidate_keeps_the_corpus_behaviour(tmp_path):
    candidate = load_artifact(train_candidate([], name="tfidf-lr-v2", corpus=small_corpus(tmp_path, step=4)))
    predicted = [max(p.probabilities, key=p.probabilities.__getitem__) for p in candidate.predict(TEXTS)]
    assert predicted == [Category.BILLING_DISPUTE, Category.NETWORK_OUTAGE, Category.TECHNICAL_PROBLEM,
                         Category.ACCOUNT_ACCESS]
