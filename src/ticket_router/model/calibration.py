"""Honest confidence: the probability that the ensemble's top category is right, from signals beyond its own
probability, and the rules that keep it low where the model cannot know.

Signals per text (`Signals`): the ensemble's top probability; whether the two members agree; the weaker
member's probability for the chosen category; how many meaningful words the text has that the corpus knows;
the share of its words the corpus knows (low for another language); and how close its embedding comes to the
corpus (low for text about something else). A logistic regression over these, fitted on out-of-fold corpus
predictions and realistic dev tickets (see `train_ensemble.py`), gives the confidence. Four rules then cap it
below the review threshold, because no fitted curve has seen enough such text to learn it:
- the two members pick different categories (on the dev set the ensemble is then right only 71–79% of times);
- no meaningful word at all ("hello", "please call me back");
- mostly words the corpus has never seen (another language);
- an embedding far from every corpus ticket (a question about something else).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ticket_router.model.evidence import HANDLES, OPERATOR_NAMES
from ticket_router.model.tfidf import _STOP_WORDS, s_stem, strip_accents

FEATURES = ("top_logit", "agree", "weaker_logit", "content_words", "known_share", "similarity")
_LETTERS = re.compile(r"[^\W\d_]+")
# Words that name no problem: greetings, politeness, asking to be contacted, operator names. A ticket made only
# of these (and function words) gives the model nothing to route on.
FILLER_WORDS = frozenset(
    "hello hi hey hiya dear good morning afternoon evening thanks thank please pls plz kindly help urgent urgently "
    "asap call callback calling phone ring contact contacted reach someone anyone somebody back soon question "
    "query issue issues problem problems complaint complain team sir madam regards cheers yes yeah okay ok "
    "customer care support agent person human speak talk today tomorrow now".split()
) | OPERATOR_NAMES


@dataclass(frozen=True)
class Signals:
    top: np.ndarray  # ensemble probability of the chosen category
    agree: np.ndarray  # 1.0 when both members pick the same category
    weaker: np.ndarray  # the lower of the two members' probabilities for the chosen category
    content_words: np.ndarray  # distinct words that are neither function words nor filler (known or not)
    known_share: np.ndarray  # share of the text's words the corpus vocabulary knows
    similarity: np.ndarray  # cosine to the nearest corpus prototype

    def matrix(self) -> np.ndarray:
        def logit(p: np.ndarray) -> np.ndarray:
            p = np.clip(p, 1e-4, 1 - 1e-4)
            return np.log(p / (1 - p))

        return np.column_stack([logit(self.top), self.agree, logit(self.weaker), np.log1p(self.content_words),
                                self.known_share, self.similarity])


def word_signals(text: str, vocabulary: dict[str, int]) -> tuple[int, float]:
    """(distinct words that could name a problem, share of words the corpus knows) of one text; @handles,
    #tags and links are left out."""
    words = _LETTERS.findall(strip_accents(HANDLES.sub(" ", text.lower())))
    if not words:
        return 0, 0.0
    known = [w for w in words if w in _STOP_WORDS or s_stem(w) in vocabulary]
    content = {s_stem(w) for w in words if len(w) > 2 and w not in _STOP_WORDS and w not in FILLER_WORDS}
    return len(content), len(known) / len(words)


@dataclass(frozen=True)
class Calibrator:
    coef: np.ndarray  # one weight per FEATURES entry
    intercept: float
    content_free_cap: float = 0.45
    foreign_share: float = 0.5  # below this share of known words (and 6+ letters), the text is foreign
    foreign_cap: float = 0.5
    unlike_similarity: float = 0.30  # below this cosine to every corpus prototype, the text is out of domain
    unlike_cap: float = 0.5
    disagree_cap: float = 0.65  # when the members pick different categories (right ~75% of the time on dev)

    def confidence(self, signals: Signals, letters: np.ndarray) -> tuple[np.ndarray, list[list[str]]]:
        """The calibrated confidence per text, and for each the reasons it was capped. `letters` is each text's
        count of letters (the foreign-language rule needs a few to judge)."""
        raw = 1.0 / (1.0 + np.exp(-(signals.matrix() @ self.coef + self.intercept)))
        # Never surer than the ensemble itself: the curve is fitted on corpus and dev tickets, which are easier
        # than real traffic, so it may only lower a confidence, never raise one.
        confidence = np.minimum(raw, signals.top)
        reasons: list[list[str]] = [[] for _ in range(len(raw))]
        for i in range(len(raw)):
            caps = []
            if signals.content_words[i] == 0:
                caps.append((self.content_free_cap, "too little to go on: no words that name a problem"))
            if letters[i] >= 6 and signals.known_share[i] < self.foreign_share:
                caps.append((self.foreign_cap, "mostly words the model does not know (another language?)"))
            if signals.similarity[i] < self.unlike_similarity:
                caps.append((self.unlike_cap, "unlike any ticket the model was trained on"))
            if not signals.agree[i]:
                caps.append((self.disagree_cap, "the model's two members disagree"))
            for cap, reason in caps:
                confidence[i] = min(confidence[i], cap)
                reasons[i].append(reason)
        return confidence, reasons

    def arrays(self, prefix: str = "") -> dict[str, np.ndarray]:
        values = [self.intercept, self.content_free_cap, self.foreign_share, self.foreign_cap,
                  self.unlike_similarity, self.unlike_cap, self.disagree_cap]
        return {prefix + "coef": self.coef, prefix + "settings": np.array(values, dtype=float)}

    @classmethod
    def from_arrays(cls, data: object, prefix: str = "") -> Calibrator:
        settings = data[prefix + "settings"]  # type: ignore[index]
        return cls(np.asarray(data[prefix + "coef"]), *map(float, settings))  # type: ignore[index]


def reshape(probabilities: np.ndarray, confidence: np.ndarray) -> np.ndarray:
    """The distributions with each top probability set to its confidence and the others rescaled to fill 1,
    flattened towards uniform where needed so that the top category stays on top."""
    count = probabilities.shape[1]
    out = np.empty_like(probabilities)
    for i, row in enumerate(probabilities):
        top = int(row.argmax())
        conf = float(np.clip(confidence[i], 1.0 / count + 0.03, 1.0))
        others = np.delete(row, top)
        share = others / others.sum() if others.sum() > 1e-12 else np.full(count - 1, 1.0 / (count - 1))
        uniform = 1.0 / (count - 1)
        ceiling = 0.9 * conf  # the runner-up stays visibly below the chosen category
        if (1 - conf) * share.max() > ceiling:  # mix with uniform just enough to keep the order
            mix = max((ceiling / (1 - conf) - uniform) / (share.max() - uniform), 0.0)
            share = mix * share + (1 - mix) * uniform
        out[i] = np.insert((1 - conf) * share, top, conf)
    return out
