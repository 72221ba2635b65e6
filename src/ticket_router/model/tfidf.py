"""The default embedded model: TF-IDF word and character n-grams with a logistic regression, temperature-scaled
so that its confidence is calibrated.

Training uses scikit-learn (`train.py`), with the two analyzers below passed to its vectorizers as callables,
so training and inference split text the same way by construction. Inference here uses only numpy, with the
fitted vocabularies, idf weights and coefficients exported from the sklearn pipeline into one `.npz` file.
Importing sklearn costs ~0.8 s (it pulls in scipy.stats) and ~165 MB of install, which a cold `route --text` and
a Lambda package should not pay. `tests/model/test_train.py` checks that these logits equal sklearn's.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ticket_router.domain import Category, ModelInfo
from ticket_router.model.base import Prediction, clip

NAME = "tfidf-lr"
VERSION = "1"

# The analyzers' settings. A model file records them and refuses to load under other ones.
WORD_PATTERN = r"(?u)\b[a-z][a-z0-9'-]+\b"
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)
STEMMER = "s-stemmer"
_WHITESPACE = re.compile(r"\s\s+")
_CHAR_CACHE_SIZE = 200_000  # distinct words; about 40 MB at most
# Common function words: they get weight in the model but explain nothing to a dispatcher ("to", "how do").
_STOP_WORDS = frozenset(
    "a about above after again all am an and any are as at be been before being below between both but by can "
    "could did do does doing down during each few for from further had has have having he her here hers him his "
    "how i if in into is it its just me more most my no nor not now of off on once only or other our out over "
    "own same she should so some such than that the their them then there these they this those through to too "
    "under until up very was we were what when where which while who whom why will with would you your".split()
)


def strip_accents(text: str) -> str:
    """sklearn's `strip_accents_unicode`: NFKD, then drop combining marks."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=100_000)
def s_stem(token: str) -> str:
    """Harman's S-stemmer: plurals to singular ("caps" → "cap", "charges" → "charge", "batteries" → "battery"),
    so a title like "Data caps" meets the training examples that say "data cap"."""
    if len(token) <= 3:
        return token
    if token.endswith("ies") and not token.endswith(("eies", "aies")):
        return token[:-3] + "y"
    if token.endswith("es") and not token.endswith(("aes", "ees", "oes")):
        return token[:-1]
    if token.endswith("s") and not token.endswith(("us", "ss", "is")):
        return token[:-1]
    return token


def word_ngrams(text: str) -> list[str]:
    """Word 1–2-grams: lowercase, unicode accents stripped, tokens by `WORD_PATTERN`, S-stemmed."""
    tokens = [s_stem(t) for t in re.findall(WORD_PATTERN, strip_accents(text.lower()))]
    low, high = WORD_NGRAMS
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), high + 1):
        grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return grams


def char_wb_ngrams(text: str) -> list[str]:
    """Character n-grams inside word boundaries, padded with spaces (sklearn's `char_wb`), lowercase, no accents."""
    grams: list[str] = []
    for word in char_words(text):
        grams.extend(word_char_grams(word))
    return grams


def char_words(text: str) -> list[str]:
    return _WHITESPACE.sub(" ", strip_accents(text.lower())).split()


def word_char_grams(word: str) -> list[str]:
    """The character n-grams of one word, padded with spaces; a word shorter than n gives one n-gram."""
    word = f" {word} "
    low, high = CHAR_NGRAMS
    grams: list[str] = []
    for n in range(low, high + 1):
        grams.extend(word[i:i + n] for i in range(max(len(word) - n + 1, 1)))
        if len(word) <= n:
            break
    return grams


def _tfidf(counts: Counter[int], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sublinear TF × IDF, L2-normalised: the sparse row of feature counts as (indices, values)."""
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    indices = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    values = (1.0 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))) * idf[indices]
    return indices, values / np.linalg.norm(values)


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


class TfidfClassifier:
    def __init__(
        self,
        word_vocabulary: list[str],
        word_idf: np.ndarray,
        char_vocabulary: list[str],
        char_idf: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
        categories: list[Category],
        temperature: float,
        meta: dict[str, Any],
    ) -> None:
        self.word_names = word_vocabulary
        self._words = {term: i for i, term in enumerate(word_vocabulary)}
        self._chars = {term: i for i, term in enumerate(char_vocabulary)}
        self.char_names = char_vocabulary
        self.word_idf, self.char_idf = word_idf, char_idf
        self.coef, self.intercept = coef, intercept
        self.categories = categories
        self.temperature = temperature
        self.meta = meta
        self.info = ModelInfo(name=meta.get("name", NAME), version=meta.get("version", VERSION))
        self._word_coef = coef[:, : len(word_vocabulary)]
        self._char_coef = coef[:, len(word_vocabulary):]
        self._char_cache: dict[str, tuple[int, ...]] = {}
        stop_stems = {s_stem(word) for word in _STOP_WORDS}
        self._explains = np.array([not set(term.split()) <= stop_stems for term in word_vocabulary], dtype=bool)

    # inference -------------------------------------------------------------------------------------------
    def _char_counts(self, text: str) -> Counter[int]:
        """Character n-gram counts, with each distinct word's n-grams looked up once and then cached: most words
        recur across tickets, and generating their n-grams is most of the cost of a prediction."""
        cache = self._char_cache
        ids: list[int] = []
        for word in char_words(text):
            found = cache.get(word)
            if found is None:
                found = tuple(self._chars[g] for g in word_char_grams(word) if g in self._chars)
                if len(cache) >= _CHAR_CACHE_SIZE:
                    cache.clear()
                cache[word] = found
            ids.extend(found)
        return Counter(ids)

    def _rows(self, text: str) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
        text = clip(text)
        words = _tfidf(Counter(self._words[g] for g in word_ngrams(text) if g in self._words), self.word_idf)
        chars = _tfidf(self._char_counts(text), self.char_idf)
        logits = self._word_coef[:, words[0]] @ words[1] + self._char_coef[:, chars[0]] @ chars[1] + self.intercept
        return words, logits

    def feature_rows(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The TF-IDF features of `texts` as CSR parts (indptr, indices, values), words then characters in the
        order of `coef`'s columns: retraining on new examples reuses this fitted vocabulary and IDF."""
        indptr, indices, values = [0], [], []
        offset = len(self.word_names)
        for text in texts:
            text = clip(text)
            words = _tfidf(Counter(self._words[g] for g in word_ngrams(text) if g in self._words), self.word_idf)
            chars = _tfidf(self._char_counts(text), self.char_idf)
            indices.extend((words[0], chars[0] + offset))
            values.extend((words[1], chars[1]))
            indptr.append(indptr[-1] + len(words[0]) + len(chars[0]))
        return (np.array(indptr, dtype=np.int64), np.concatenate(indices) if indices else np.zeros(0, np.int64),
                np.concatenate(values) if values else np.zeros(0))

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([self._rows(t)[1] for t in texts]).reshape(len(texts), len(self.categories))

    def predict(self, texts: Sequence[str], k: int = 4) -> list[Prediction]:
        """Temperature-scaled probabilities and the words that pushed each text towards its top category."""
        predictions = []
        for text in texts:
            (indices, values), logits = self._rows(text)
            probabilities = softmax(logits / self.temperature)
            top = int(probabilities.argmax())
            evidence = self.evidence(text, indices, values, top, k)
            predictions.append(Prediction(dict(zip(self.categories, map(float, probabilities))), evidence))
        return predictions

    def evidence(self, text: str, indices: np.ndarray, values: np.ndarray, category: int, k: int = 4) -> list[str]:
        """Up to `k` of the ticket's own words and phrases that pushed it towards `category` (see evidence.py)."""
        from ticket_router.model.evidence import cue_words

        contributions = values * self._word_coef[category, indices] * self._explains[indices]
        candidates = min(len(contributions), 6 * k)
        strongest = np.argpartition(-contributions, candidates - 1)[:candidates] if candidates else indices[:0]
        order = strongest[np.argsort(-contributions[strongest])]
        return cue_words(text, [self.word_names[indices[i]] for i in order if contributions[i] > 0], k)

    def word_rows(self, text: str) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
        """The text's word features (indices, values) and its logits: for another model to ask for evidence."""
        return self._rows(text)

    # files -----------------------------------------------------------------------------------------------
    def arrays(self, prefix: str = "") -> dict[str, np.ndarray]:
        """The model as named arrays (one JSON header among them), for an `.npz` file of its own or inside
        another model's file under `prefix`."""
        header = {**self.meta, "categories": [c.value for c in self.categories], "temperature": self.temperature,
                  "word_pattern": WORD_PATTERN, "word_ngrams": WORD_NGRAMS, "char_ngrams": CHAR_NGRAMS,
                  "stemmer": STEMMER}
        arrays = {"header": np.array(json.dumps(header)), "word_vocabulary": np.array(self.word_names),
                  "char_vocabulary": np.array(self.char_names), "word_idf": self.word_idf,
                  "char_idf": self.char_idf, "coef": self.coef, "intercept": self.intercept}
        return {prefix + key: value for key, value in arrays.items()}

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(npz_bytes(self.arrays()))

    def to_bytes(self) -> bytes:
        return npz_bytes(self.arrays())

    @classmethod
    def load(cls, path: Path) -> TfidfClassifier:
        return cls.from_bytes(path.read_bytes(), label=path.name)

    @classmethod
    def from_bytes(cls, payload: bytes, label: str = "model") -> TfidfClassifier:
        with np.load(io.BytesIO(payload), allow_pickle=False) as data:
            return cls.from_arrays(data, label=label)

    @classmethod
    def from_arrays(cls, data: Any, prefix: str = "", label: str = "model") -> TfidfClassifier:
        header = json.loads(str(data[prefix + "header"]))
        analyzers = (header["word_pattern"], tuple(header["word_ngrams"]), tuple(header["char_ngrams"]),
                     header.get("stemmer"))
        if analyzers != (WORD_PATTERN, WORD_NGRAMS, CHAR_NGRAMS, STEMMER):
            raise ValueError(f"{label} was built with other analyzer settings; retrain it")
        return cls(
            word_vocabulary=data[prefix + "word_vocabulary"].tolist(), word_idf=data[prefix + "word_idf"],
            char_vocabulary=data[prefix + "char_vocabulary"].tolist(), char_idf=data[prefix + "char_idf"],
            coef=data[prefix + "coef"], intercept=data[prefix + "intercept"],
            categories=[Category(c) for c in header["categories"]], temperature=float(header["temperature"]),
            meta=header,
        )

    @classmethod
    def from_pipeline(cls, pipeline: Any, temperature: float, meta: dict[str, Any]) -> TfidfClassifier:
        """Export a fitted `build_pipeline()` pipeline (training side; needs scikit-learn)."""
        vectorizers = dict(pipeline.named_steps["features"].transformer_list)
        words, chars = vectorizers["words"], vectorizers["chars"]
        clf = pipeline.named_steps["clf"]
        return cls(
            word_vocabulary=words.get_feature_names_out().tolist(), word_idf=words.idf_,
            char_vocabulary=chars.get_feature_names_out().tolist(), char_idf=chars.idf_,
            coef=clf.coef_, intercept=clf.intercept_, categories=[Category(c) for c in clf.classes_],
            temperature=temperature, meta=meta,
        )


def build_pipeline(seed: int, C: float = 8.0) -> Any:
    """The scikit-learn pipeline `train.py` fits, with this module's analyzers."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(analyzer=word_ngrams, sublinear_tf=True, min_df=2)),
            ("chars", TfidfVectorizer(analyzer=char_wb_ngrams, sublinear_tf=True, min_df=3, max_features=60000)),
        ]
    )
    clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=seed)
    return Pipeline([("features", features), ("clf", clf)])
