"""`ticket-router train` end to end on a tiny corpus: both models written, reproducible, the corpus recorded."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ticket_router.domain import ModelInfo
from ticket_router.model.build import build_all, labelled_texts
from ticket_router.model.corpus import load_corpus
from ticket_router.model.ensemble import EnsembleClassifier
from ticket_router.model.registry import shared_encoder
from ticket_router.model.tfidf import TfidfClassifier

CORPUS = Path(__file__).parents[2] / "data" / "training"
TEXTS = ["refund please", "no signal since the storm", "router keeps rebooting", "cancel my contract", "hello"]


def test_train_builds_every_model_reproducibly(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(CORPUS.glob("*.jsonl")):
        (corpus / path.name).write_text("\n".join(path.read_text().splitlines()[::50]) + "\n")
    calibration = tmp_path / "calibration.jsonl"
    calibration.write_text("\n".join((CORPUS / "billing_support.jsonl").read_text().splitlines()[1::40]) + "\n")
    _, digest = load_corpus(corpus)
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        out.mkdir()
        build_all(corpus, [calibration], seed=5, out=out, say=lambda line: None)
        outputs.append(out)
    models = [EnsembleClassifier.from_bytes((out / "minilm-tfidf-v1.npz").read_bytes(), shared_encoder(),
                                            ModelInfo(name="minilm-tfidf-v1", version="1")) for out in outputs]
    first, second = ([list(p.probabilities.values()) for p in m.predict(TEXTS)] for m in models)
    assert np.allclose(first, second)
    assert models[0].meta["corpus_sha256"] == digest
    assert models[0].meta["calibration"]["files"] == ["calibration.jsonl"]
    assert TfidfClassifier.load(outputs[0] / "tfidf-lr-v2.npz").meta["corpus_sha256"] == digest
    assert len(labelled_texts(calibration)[0]) == len(calibration.read_text().splitlines())
