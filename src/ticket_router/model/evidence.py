"""Cue words a dispatcher can read: the ticket's own words and phrases that pushed it towards its category.

The TF-IDF model scores stemmed 1–2-grams ("cap", "month and", "me back"). Shown as they are, those read as
fragments. Here each scored n-gram is mapped back to the words the ticket wrote ("caps", "data caps"), and a
phrase is shown only when every word in it carries meaning: no function words ("and", "me"), and none of the
words that appear in tickets of every team ("call", "region", "service", "internet", an operator's name).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ticket_router.model.tfidf import _STOP_WORDS, WORD_PATTERN, s_stem, strip_accents

# Words that occur in tickets for every team: the model may lean on them, but they explain nothing to a person.
GENERIC_WORDS = frozenset(
    "again already anyone anything app area back bad call called calling calls can't cannot care company "
    "contact contacted customer customers day days did didn't does doesn't don't fix fixed get getting "
    "give good got hello help helpful hey hi home hour hours house how i'm i've internet issue issues it's keep "
    "know last line local month months need needed new nobody nothing now number ok okay one people phone "
    "please problem problems region regions still put really said say says service services since someone "
    "something sort tell than thank thanks time times today told try tried trying two use used want wanted "
    "week weeks went what's why won't work yesterday year years yet monday tuesday wednesday thursday friday "
    "saturday sunday morning night evening tonight weekend working works"
    .split()
)
# Operator names recur in every team's tickets ("Comcast data caps", "Comcast outage").
OPERATOR_NAMES = frozenset(
    "airtel att at&t bsnl bt centurylink charter comcast cox frontier jio mtn optus rogers safaricom sky spectrum "
    "telkom telstra tmobile t-mobile verizon virgin vodafone vodacom xfinity ee three o2 telus bell shaw"
    .split()
)
_QUIET = _STOP_WORDS | GENERIC_WORDS | OPERATOR_NAMES
# A negation makes the next word, even a generic one, a phrase of its own: "no signal", "no show", "no internet".
NEGATIONS = frozenset({"no", "not", "never", "without"})
HANDLES = re.compile(r"(?:[@#]\w+|https?://\S+|www\.\S+)")  # @handles, #tags and links are not the ticket's words


def surface_forms(text: str) -> dict[str, str]:
    """Each word 1–2-gram feature of `text`, as the model names it (stemmed), mapped to the words as written."""
    words = re.findall(WORD_PATTERN, strip_accents(HANDLES.sub(" ", text.lower())))
    stems = [s_stem(word) for word in words]
    forms: dict[str, str] = {}
    for i, stem in enumerate(stems):
        forms.setdefault(stem, words[i])
        if i + 1 < len(stems):
            forms.setdefault(f"{stem} {stems[i + 1]}", f"{words[i]} {words[i + 1]}")
    return forms


def readable(phrase: str) -> bool:
    """A phrase worth showing: every word means something on its own."""
    words = phrase.split()
    if len(words) == 2 and words[0] in NEGATIONS:  # "no internet", "no service": the absence is the problem
        return words[1] not in _STOP_WORDS and words[1] not in OPERATOR_NAMES and len(words[1]) > 1
    return all(len(word) > 1 and word not in _QUIET and s_stem(word) not in _QUIET for word in words)


def cue_words(text: str, terms: Sequence[str], limit: int = 4) -> list[str]:
    """From `terms` (the model's n-grams for this text, strongest first), up to `limit` readable phrases as the
    ticket wrote them; a word already shown inside a longer phrase is not repeated."""
    forms = surface_forms(text)
    shown: list[str] = []
    covered: set[str] = set()
    for term in terms:
        phrase = forms.get(term)
        if phrase is None or not readable(phrase):
            continue
        words = set(phrase.split())
        if words <= covered:
            continue
        shown = [p for p in shown if not set(p.split()) <= words]  # "data caps" replaces an earlier "caps"
        shown.append(phrase)
        covered |= words
        if len(shown) == limit:
            break
    return shown
