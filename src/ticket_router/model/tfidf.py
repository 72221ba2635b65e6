"""The default embedded model: TF-IDF word and character n-grams with a logistic regression, temperature-scaled
so that its confidence is calibrated. Small (a few MB), pure CPU, no PyTorch, cold start well under a second."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ticket_router.domain import Category, ModelInfo
from ticket_router.model.base import clip

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
        self._word_names = self._words.get_feature_names_out()
        self._coef = pipeline.named_steps["clf"].coef_

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        return self.pipeline.decision_function([clip(t) for t in texts])

    def predict_proba(self, texts: Sequence[str]) -> list[dict[Category, float]]:
        if not texts:
            return []
        probabilities = softmax(self.logits(texts) / self.temperature)
        return [dict(zip(self.categories, map(float, row))) for row in probabilities]

    def evidence(self, text: str, category: Category, k: int = 4) -> list[str]:
        row = self._words.transform([clip(text)])
        weights = self._coef[self.categories.index(category), : len(self._word_names)]
        contributions = row.multiply(weights).tocsr()
        order = np.argsort(-contributions.data)
        return [str(self._word_names[contributions.indices[i]]) for i in order[:k] if contributions.data[i] > 0]

    def save(self, path: Path) -> None:
        import joblib

        path.parent.mkdir(parents=True, exist_ok=True)
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
