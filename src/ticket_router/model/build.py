"""`ticket-router train`: every shipped model artefact rebuilt from the corpus, reproducibly.

Sorted corpus files and a fixed seed give the same models; each records the corpus sha256 (a test fails when a
shipped model was not trained on the current corpus). The TF-IDF model is both `tfidf-lr-v2` and the ensemble's
TF-IDF member. The encoder export needs PyTorch and is a separate step (`--export-encoder`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from ticket_router.model.corpus import load_corpus
from ticket_router.model.registry import ARTIFACTS


def labelled_texts(path: Path) -> tuple[list[str], list[str]]:
    """(texts, gold categories) of a JSONL file of labelled tickets (`subject`, `description`, `category`)."""
    texts, gold = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            texts.append("\n".join(p for p in (row.get("subject", "").strip(), row.get("description", "").strip()) if p))
            gold.append(row["category"])
    return texts, gold


def build_all(corpus: Path, calibration: list[Path], seed: int = 13, out: Path = ARTIFACTS,
              say: Callable[[str], None] = print) -> None:
    from ticket_router.model.train import train_tfidf
    from ticket_router.model.train_ensemble import train_ensemble

    examples, digest = load_corpus(corpus)
    say(f"training on {len(examples)} examples from {corpus} (sha256 {digest[:12]}…)")
    trained = train_tfidf(examples, digest, seed=seed, name="tfidf-lr-v2")
    trained.model.save(out / "tfidf-lr-v2.npz")
    say(f"saved tfidf-lr-v2: 5-fold CV accuracy {trained.model.meta['cv_accuracy']:.3f}, "
        f"temperature {trained.model.temperature:.2f}")
    dev = [labelled_texts(path) for path in calibration]
    ensemble = train_ensemble(examples, digest, trained.model, trained.out_of_fold, dev, seed=seed)
    ensemble.meta["calibration"]["files"] = [path.name for path in calibration]
    (out / "minilm-tfidf-v1.npz").write_bytes(ensemble.to_bytes())
    say(f"saved minilm-tfidf-v1: head temperature {ensemble.head_temperature:.2f}, calibrated on corpus "
        f"out-of-fold + {', '.join(p.name for p in calibration) or 'nothing else'}")
