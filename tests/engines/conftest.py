"""Fixtures for the engine tests: a scripted model stands in for the remote LLM; AWS is never reachable."""

from __future__ import annotations

from pathlib import Path

import pytest

from llm.aws_env import no_aws


@pytest.fixture(autouse=True)
def _no_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    no_aws(monkeypatch, tmp_path)
