"""The labelled corpus: JSONL files of hand-written tickets with a gold category and team."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from ticket_router.domain import Category, Team


class LabelledTicket(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    subject: str = ""
    description: str = ""
    category: Category
    team: Team
    style: str = ""

    @property
    def text(self) -> str:
        return "\n".join(p for p in (self.subject.strip(), self.description.strip()) if p)


class CorpusError(ValueError):
    pass


def load_corpus(directory: Path) -> tuple[list[LabelledTicket], str]:
    """All `*.jsonl` files in `directory`, in name order, and a sha256 of their bytes for the model card."""
    files = sorted(directory.glob("*.jsonl"))
    if not files:
        raise CorpusError(f"no *.jsonl files in {directory}")
    digest = hashlib.sha256()
    examples: list[LabelledTicket] = []
    for path in files:
        raw = path.read_bytes()
        digest.update(raw)
        for number, line in enumerate(raw.decode("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                example = LabelledTicket.model_validate(json.loads(line))
            except (json.JSONDecodeError, ValidationError) as error:
                raise CorpusError(f"{path.name} line {number}: {error}") from None
            if example.text:
                examples.append(example)
    return examples, digest.hexdigest()


def default_corpus_dir() -> Path:
    """The shipped corpus: the copy inside an installed wheel, else the repository's `data/training`."""
    packaged = Path(__file__).parents[1] / "data" / "training"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "data" / "training"
