"""The default embedded model: TF-IDF word and character n-grams with a logistic regression, temperature-scaled
so that its confidence is calibrated. Small (a few MB), pure CPU, no PyTorch, cold start well under a second."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ticket_router.domain import Category, ModelInfo
from ticket_router.model.base import Prediction, clip

NAME = "tfidf-lr"
VERSION = "1"


class TfidfClassifier:
    def __init__(self, pipeline: Any, temperature: float, meta: dict[str, Any]) -> None:
        self.pipeline = pipeline
        self.temperature = temperature
        self.meta = meta
        self.info = ModelInfo(name=meta.get("name", NAME), version=meta.get("version", VERSION))
        self.categories = [Category(c) for c in pipeline.classes_]
        features = pipeline.named_steps["features"]
        self._words = dict(features.transformer_list)["words"]
        self._chars = dict(features.transformer_list)["chars"]
        self._word_names = self._words.get_feature_names_out()
        self._clf = pipeline.named_steps["clf"]
        self._coef = self._clf.coef_

    def _features(self, texts: Sequence[str]) -> tuple[Any, Any]:
        from scipy.sparse import hstack

        clipped = [clip(t) for t in texts]
        words = self._words.transform(clipped)
        both = hstack([words, self._chars.transform(clipped)]).tocsr()
        return words, both

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        return self._clf.decision_function(self._features(texts)[1])

    def predict(self, texts: Sequence[str], k: int = 4) -> list[Prediction]:
        """Probabilities (temperature-scaled) and evidence from one vectorising pass over the batch."""
        if not texts:
            return []
        words, both = self._features(texts)
        probabilities = softmax(self._clf.decision_function(both) / self.temperature)
        predictions = []
        for row, probs in enumerate(probabilities):
            top = int(probs.argmax())
            weights = self._coef[top, : len(self._word_names)]
            start, end = words.indptr[row], words.indptr[row + 1]
            contributions = words.data[start:end] * weights[words.indices[start:end]]
            order = np.argsort(-contributions)[:k]
            evidence = [str(self._word_names[words.indices[start + i]]) for i in order if contributions[i] > 0]
            predictions.append(Prediction(dict(zip(self.categories, map(float, probs))), evidence))
        return predictions

    def save(self, path: Path) -> None:
        import joblib

        path.parent.mkdir(parents=True, exist_ok=True)
        for vectorizer in (self._words, self._chars):
            # Only kept for introspection; sklearn documents it as safe to drop before pickling. It holds every
            # pruned n-gram and would triple the file and the load time.
            vectorizer.stop_words_ = None
        joblib.dump({"pipeline": self.pipeline, "temperature": self.temperature, "meta": self.meta}, path, compress=3)

    @classmethod
    def load(cls, path: Path) -> TfidfClassifier:
        import joblib

        bundle = joblib.load(path)
        return cls(bundle["pipeline"], bundle["temperature"], bundle["meta"])


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def build_pipeline(seed: int) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, lowercase=True,
                                      strip_accents="unicode", token_pattern=r"(?u)\b[a-z][a-z0-9'-]+\b")),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=3,
                                      lowercase=True, strip_accents="unicode", max_features=60000)),
        ]
    )
    clf = LogisticRegression(C=8.0, max_iter=3000, class_weight="balanced", random_state=seed)
    return Pipeline([("features", features), ("clf", clf)])
