"""The sentence encoder at run time: all-MiniLM-L6-v2, int8 ONNX, through onnxruntime and tokenizers (no PyTorch).

Mean pooling over the attention mask and L2 normalisation, as sentence-transformers does for this model. The
ONNX file and tokenizer are shipped in `artifacts/` and made by `export_encoder.py` (`train --export-encoder`).

Speed: texts are deduplicated, sorted by token count and run in batches of similar length, so a batch of short
titles is not padded to the length of one long email; at most `max_tokens` tokens are read per text (64:
the TF-IDF member reads the whole text, and 128 tokens cost 30% more time for no accuracy on long tickets).
Batching matters: one text per call took 6 ms per title, batches of 8–16 about 1 ms.

Dynamic int8 quantization computes each activation scale over the whole batch, so a text's vector moves
slightly with its batch-mates (cosine ~0.99 between batched and alone): a near-tie may route differently
in another batch. The calibrated confidence of such a ticket is low anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ARTIFACTS = Path(__file__).parent / "artifacts"
DIMENSIONS = 384
CACHE_SIZE = 20_000  # texts (about 30 MB of vectors)


@dataclass(frozen=True)
class EncoderFiles:
    onnx: Path
    tokenizer: Path


DEFAULT_ENCODER = EncoderFiles(onnx=ARTIFACTS / "minilm-l6-v2-int8.onnx",
                               tokenizer=ARTIFACTS / "minilm-l6-v2-tokenizer.json")


class OnnxEncoder:
    """Texts to unit-length 384-dimension vectors."""

    def __init__(self, files: EncoderFiles = DEFAULT_ENCODER, max_tokens: int = 64, batch_size: int = 16,
                 threads: int = 0) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.max_tokens = max_tokens
        self.batch_size = batch_size
        self._tokenizer = Tokenizer.from_file(str(files.tokenizer))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer.no_padding()
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads  # 0: one per core
        options.inter_op_num_threads = 1
        # Idle threads sleep instead of spinning: spinning doubled the CPU time per text here and starves
        # whatever else runs on the machine, for no gain in wall time.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # no warnings about unused initializers on stderr
        self._session = onnxruntime.InferenceSession(str(files.onnx), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._cache: dict[str, np.ndarray] = {}  # recent texts: repeats across batches are encoded once

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, in order; identical texts are encoded once."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        cache = self._cache
        unique = [t for t in dict.fromkeys(texts) if t not in cache]
        if unique:
            encodings = self._tokenizer.encode_batch(unique)
            order = sorted(range(len(unique)), key=lambda i: len(encodings[i].ids))
            vectors = np.zeros((len(unique), DIMENSIONS), dtype=np.float32)
            for start in range(0, len(order), self.batch_size):
                batch = order[start:start + self.batch_size]
                vectors[batch] = self._run([encodings[i].ids for i in batch])
            if len(cache) + len(unique) > CACHE_SIZE:
                cache.clear()
            cache.update(zip(unique, vectors))
            found = dict(zip(unique, vectors))
        else:
            found = {}
        for row, text in enumerate(texts):
            out[row] = found[text] if text in found else cache[text]
        return out

    def _run(self, ids: list[list[int]]) -> np.ndarray:
        width = max(len(row) for row in ids)
        input_ids = np.zeros((len(ids), width), dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for row, tokens in enumerate(ids):
            input_ids[row, :len(tokens)] = tokens
            mask[row, :len(tokens)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        tokens = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
        return mean_pool(tokens, mask)


def mean_pool(token_embeddings: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of the token vectors the mask keeps, then L2-normalised (sentence-transformers' pooling)."""
    weights = mask[..., None].astype(np.float32)
    summed = (token_embeddings * weights).sum(axis=1)
    pooled = summed / np.clip(weights.sum(axis=1), 1e-9, None)
    return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
