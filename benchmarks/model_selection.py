"""How the default model's members, weights and calibration were chosen: on the realistic dev set (data/dev/),
never on data/eval (saturated) and never by training on dev.

    python benchmarks/model_selection.py          # needs the train extra (scikit-learn); about 5 minutes

1. Members: TF-IDF logistic regression (C) and a logistic regression on MiniLM embeddings (C, with or without
   subject-only copies of the corpus), each trained on the corpus only; accuracy / macro-F1 on dev titles and
   social posts; then the weighted average of the chosen two.
2. Calibration, cross-fitted: the calibrator fitted on corpus out-of-fold predictions + dev titles is checked on
   dev social, and the one fitted with dev social is checked on dev titles. Per set: accuracy, macro-F1, ECE,
   and the accuracy and share of the decisions not flagged for review (confidence >= 0.70).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ticket_router.domain import BUILTIN_CATEGORIES
from ticket_router.model.build import labelled_texts
from ticket_router.model.corpus import load_corpus
from ticket_router.model.encoder import OnnxEncoder
from ticket_router.model.metrics import evaluate_predictions
from ticket_router.model.tfidf import build_pipeline, softmax
from ticket_router.model.train import train_tfidf
from ticket_router.model.train_ensemble import corpus_embeddings, fit_head, subject_copies, train_ensemble

ROOT = Path(__file__).resolve().parents[1]
DEV = {name: labelled_texts(ROOT / "data" / "dev" / f"{name}.jsonl") for name in ("titles", "social")}
LABELS = [c.value for c in BUILTIN_CATEGORIES]


def scores(categories: list[str], probabilities: np.ndarray, gold: list[str], confidence: np.ndarray | None = None) -> str:
    predicted = [categories[i] for i in probabilities.argmax(axis=1)]
    confidence = probabilities.max(axis=1) if confidence is None else confidence
    r = evaluate_predictions(gold, predicted, list(confidence), LABELS, 0.70)
    return (f"{r.accuracy:.3f}/{r.macro_f1:.3f} ECE {r.ece:.3f} unflagged {r.accuracy_when_confident or 0:.3f}"
            f"@{1 - r.review_rate:.0%}")


def main() -> None:
    examples, digest = load_corpus(ROOT / "data" / "training")
    encoder = OnnxEncoder()
    texts, labels = [e.text for e in examples], [e.category.value for e in examples]
    copies = subject_copies(examples)
    vectors = corpus_embeddings(encoder, examples, digest)
    dev_vectors = {name: encoder.embed(t) for name, (t, _) in DEV.items()}
    print(f"corpus {len(examples)} examples (+{len(copies)} subject copies); dev titles {len(DEV['titles'][0])}, "
          f"social {len(DEV['social'][0])}\n\n1. members, trained on the corpus only (accuracy/macro-F1 ...)")
    tfidf_probs, head_probs = {}, {}
    for C in (4.0, 8.0, 16.0):
        pipeline = build_pipeline(13, C=C).fit(texts, labels)
        classes = list(pipeline.classes_)
        tfidf_probs[C] = {n: softmax(pipeline.decision_function(t) / 0.6) for n, (t, _) in DEV.items()}
        print(f"  tfidf C={C:<5}      " + "   ".join(f"{n} {scores(classes, tfidf_probs[C][n], DEV[n][1])}" for n in DEV))
    for C in (1.0, 4.0, 16.0):
        for with_copies in (False, True):
            rows = slice(None) if with_copies else slice(0, len(examples))
            head = fit_head(vectors[rows], (labels + [c.category.value for c in copies])[rows], None, 13, C=C)
            probs = {n: head.predict_proba(dev_vectors[n]) for n in DEV}
            head_probs[(C, with_copies)] = probs
            print(f"  MiniLM C={C:<4} copies={with_copies!s:<5} "
                  + "   ".join(f"{n} {scores(list(head.classes_), probs[n], DEV[n][1])}" for n in DEV))
    for weight in (0.4, 0.5, 0.6, 0.7):
        mixed = {n: weight * tfidf_probs[8.0][n] + (1 - weight) * head_probs[(4.0, True)][n] for n in DEV}
        print(f"  average, TF-IDF weight {weight}: "
              + "   ".join(f"{n} {scores(sorted(set(labels)), mixed[n], DEV[n][1])}" for n in DEV))

    print("\n2. calibration cross-fitted (fitted with one dev file, checked on the other)")
    trained = train_tfidf(examples, digest, seed=13)
    for fitted, checked in (("titles", "social"), ("social", "titles")):
        model = train_ensemble(examples, digest, trained.model, trained.out_of_fold, [DEV[fitted]], seed=13,
                               encoder=encoder)
        predictions = model.predict(DEV[checked][0])
        probs = np.array([[p.probabilities[c] for c in model.categories] for p in predictions])
        print(f"  fitted on corpus out-of-fold + {fitted}, checked on {checked}: "
              f"{scores([c.value for c in model.categories], probs, DEV[checked][1])}")


if __name__ == "__main__":
    main()
