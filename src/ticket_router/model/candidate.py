"""Models as storable artifacts, and retraining one on the shipped corpus plus an operator's labelled tickets.

`ticket-router learn` (issue 9) keeps versioned models in its database as `ModelArtifact`s: the bytes a model
needs except the shared, shipped encoder weights. `train_candidate` is called several times per `learn` run
(cross-validation folds and the final fit), so what does not change between calls is computed once and cached:
the corpus features under the shipped model's fitted vocabulary, and the corpus sentence embeddings. The cache
lives in memory for the process and on disk in the user cache dir, keyed by the corpus sha256 and the model.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from ticket_router.model.base import Classifier
from ticket_router.model.corpus import LabelledTicket, default_corpus_dir, load_corpus

log = logging.getLogger(__name__)


class ModelArtifact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str  # the registered model name, e.g. "minilm-tfidf-v1"
    version: str  # "1" for a shipped model; `learn` assigns its own versions
    payload: bytes  # everything the model needs except shared shipped weights (the encoder's ONNX file)
    meta: dict[str, Any]  # trained_at, corpus_sha256, extra examples, weights, seed…


def shipped_artifact(name: str | None = None) -> ModelArtifact:
    """The shipped default model (or the named one) as an artifact."""
    from ticket_router.model import registry

    name = name or registry.DEFAULT_MODEL
    path = registry.artifact_path(name)
    payload = path.read_bytes()
    return ModelArtifact(name=name, version="1", payload=payload, meta=header_of(payload))


def load_artifact(artifact: ModelArtifact) -> Classifier:
    """A ready classifier whose decisions record the artifact's name and version."""
    from ticket_router.model import registry

    return registry.family(artifact.name).from_payload(artifact.payload, artifact.name, artifact.version)


def train_candidate(
    extra: Sequence[LabelledTicket], weight: float = 5.0, *, name: str | None = None, seed: int = 13,
    corpus: Path | None = None, memory_strength: float | None = None,
) -> ModelArtifact:
    """The named (default) model retrained on the shipped corpus plus `extra`, each extra example weighted
    `weight`. A model with a memory (the ensemble) also keeps `extra` as its memory, at `memory_strength` (the
    family's default when None). Needs scikit-learn (imported here only)."""
    from ticket_router.model import registry

    base = shipped_artifact(name)
    examples, digest = corpus_examples(corpus or default_corpus_dir())
    family = registry.family(base.name)
    options = {} if memory_strength is None else {"memory_strength": memory_strength}
    payload, meta = family.retrain(base.payload, examples, digest, list(extra), weight, seed, **options)
    meta = {**meta, "base": base.name, "corpus_sha256": digest, "extra_examples": len(extra),
            "extra_weight": weight, "seed": seed}
    return ModelArtifact(name=base.name, version=base.version, payload=payload, meta=meta)


def header_of(payload: bytes) -> dict[str, Any]:
    with np.load(io.BytesIO(payload), allow_pickle=False) as data:
        return json.loads(str(data["header"]))


@lru_cache(maxsize=4)
def corpus_examples(directory: Path) -> tuple[list[LabelledTicket], str]:
    return load_corpus(directory)


_MEMORY: dict[str, dict[str, np.ndarray]] = {}


def cached_arrays(key: str, compute: Any) -> dict[str, np.ndarray]:
    """`compute()`'s arrays, kept in memory and in the user cache dir under `key`. A cache that cannot be read
    or written (read-only disk, Lambda) only costs the computation again."""
    if key in _MEMORY:
        return _MEMORY[key]
    path = cache_dir() / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.npz"
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except (OSError, ValueError):
        arrays = compute()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".tmp.npz")
            np.savez(temporary, **arrays)
            os.replace(temporary, path)
        except OSError as error:
            log.info("training cache not written: %s", type(error).__name__)
    _MEMORY[key] = arrays
    return arrays


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ticket-router"
