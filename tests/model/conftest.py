"""Fixtures shared by the model tests: the shipped ensemble and a small corpus, each built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from ticket_router.model.registry import load_classifier

CORPUS = Path(__file__).parents[2] / "data" / "training"


@pytest.fixture(scope="session")
def ensemble():  # type: ignore[no-untyped-def]
    return load_classifier("minilm-tfidf-v1")


@pytest.fixture(scope="session")
def tiny_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every 20th line of each corpus file: enough to fit every model in a few seconds."""
    folder = tmp_path_factory.mktemp("tiny-corpus")
    for path in sorted(CORPUS.glob("*.jsonl")):
        (folder / path.name).write_text("\n".join(path.read_text().splitlines()[::20]) + "\n")
    return folder
