"""TEMPORARY SHIM of the `model` branch's contract (issue 8): replaced by that branch's module on merge.

Only the signatures matter here: an artefact is bytes plus metadata; a candidate is the default model retrained on
the corpus plus an operator's tickets, weighted.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from ticket_router.model.base import Classifier
from ticket_router.model.corpus import LabelledTicket, load_corpus


class ModelArtifact(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    version: str
    payload: bytes
    meta: dict[str, Any]


def _corpus_dir() -> Path:
    return Path(__file__).resolve().parents[3] / "data" / "training"


def shipped_artifact(name: str | None = None) -> ModelArtifact:
    from ticket_router.model import tfidf
    from ticket_router.model.train import default_model_path

    path = default_model_path()
    model = tfidf.TfidfClassifier.load(path)
    return ModelArtifact(name=model.info.name, version=model.info.version, payload=path.read_bytes(),
                         meta={k: v for k, v in model.meta.items() if k in ("corpus_sha256", "examples", "trained_at")})


def train_candidate(extra: Sequence[LabelledTicket], weight: float = 5.0, *, name: str | None = None,
                    seed: int = 13) -> ModelArtifact:
    from ticket_router.model import tfidf

    corpus, digest = load_corpus(_corpus_dir())
    texts = [e.text for e in corpus] + [e.text for e in extra]
    labels = [e.category.value for e in corpus] + [e.category.value for e in extra]
    weights = [1.0] * len(corpus) + [weight] * len(extra)
    pipeline = tfidf.build_pipeline(seed)
    pipeline.fit(texts, labels, clf__sample_weight=weights)
    shipped = tfidf.TfidfClassifier.load(Path(__file__).parent / "artifacts" / "tfidf-lr-v1.npz")
    meta = {"name": name or tfidf.NAME, "version": tfidf.VERSION, "corpus_sha256": digest, "examples": len(texts)}
    model = tfidf.TfidfClassifier.from_pipeline(pipeline, shipped.temperature, meta)
    buffer = io.BytesIO()
    path = Path("/tmp") / f"candidate-{id(buffer)}.npz"
    model.save(path)
    buffer.write(path.read_bytes())
    path.unlink()
    return ModelArtifact(name=meta["name"], version=meta["version"], payload=buffer.getvalue(), meta=meta)


def load_artifact(artifact: ModelArtifact) -> Classifier:
    import tempfile

    from ticket_router.model import tfidf

    with tempfile.NamedTemporaryFile(suffix=".npz") as handle:
        handle.write(artifact.payload)
        handle.flush()
        return tfidf.TfidfClassifier.load(Path(handle.name))
