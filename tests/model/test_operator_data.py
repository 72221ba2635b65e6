"""The operator study files (`data/operators/`) that measure `learn`: every record reads as a labelled ticket,
and none of their texts of eight words or more is in the training corpus (they must stay unseen to measure
learning honestly; short texts such as "Refund", "No internet" or "how do i reset my voicemail pin" occur
everywhere, and do in both)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ticket_router.model.corpus import load_corpus
from ticket_router.model.learn import read_labelled
from ticket_router.policy import DEFAULT_POLICY

DATA = Path(__file__).parents[2] / "data"


@pytest.mark.parametrize("name", ["kestrel", "harbour"])
def test_an_operator_file_is_500_labelled_tickets_unseen_by_the_corpus(name):
    good, bad = read_labelled((DATA / "operators" / f"{name}.jsonl").read_bytes(), "jsonl", DEFAULT_POLICY)
    assert not bad and len(good) == 500
    assert set(Counter(e.team for e in good)) == set(DEFAULT_POLICY.teams)
    assert (DATA / "operators" / f"{name}_CARD.md").read_text().startswith("#")
    corpus, _ = load_corpus(DATA / "training")
    seen = {e.text.strip().lower() for e in corpus}
    assert not [e.text for e in good if len(e.text.split()) >= 8 and e.text.strip().lower() in seen]
