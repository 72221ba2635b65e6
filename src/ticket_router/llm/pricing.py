"""Estimated cost of LLM calls from token counts and the price table in `prices.json` (data, not code)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

_REGION_PREFIX = re.compile(r"^(?:us|eu|apac|ap|global|us-gov|ca|jp|au)\.")
_VENDOR_PREFIX = re.compile(r"^anthropic\.")
_VERSION_SUFFIX = re.compile(r"-v\d+(?::\d+)?$")
_DATE_SUFFIX = re.compile(r"-\d{8}$")


def canonical_model(model_id: str) -> str:
    """`us.anthropic.claude-sonnet-4-5-20250929-v1:0` and `claude-sonnet-4-5-20250929` → `claude-sonnet-4-5`."""
    name = model_id.strip().lower().replace("@", "-")
    name = _VENDOR_PREFIX.sub("", _REGION_PREFIX.sub("", name))
    name = _DATE_SUFFIX.sub("", _VERSION_SUFFIX.sub("", name))
    return name.removesuffix("-latest")


@dataclass(frozen=True)
class Usage:
    """Tokens of one ticket's model calls. `input_tokens` excludes the prompt-cache reads and writes, as Bedrock and
    the Anthropic API report them."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    @classmethod
    def from_strands(cls, usage: Mapping[str, Any]) -> Usage:
        """From a Strands usage mapping (`inputTokens`, `outputTokens`, `cacheReadInputTokens`, …)."""
        return cls(int(usage.get("inputTokens", 0)), int(usage.get("outputTokens", 0)),
                   int(usage.get("cacheReadInputTokens", 0)), int(usage.get("cacheWriteInputTokens", 0)))


@dataclass(frozen=True)
class Price:
    input_per_million: float
    output_per_million: float
    cache_read_per_million: float
    cache_write_per_million: float

    def cost(self, usage: Usage) -> float:
        return (usage.input_tokens * self.input_per_million + usage.output_tokens * self.output_per_million
                + usage.cache_read_tokens * self.cache_read_per_million
                + usage.cache_write_tokens * self.cache_write_per_million) / 1_000_000


class PriceTable:
    def __init__(self, prices: dict[str, Price]) -> None:
        self.prices = prices

    @classmethod
    def load(cls, path: Path | None = None) -> PriceTable:
        """The shipped table, or the one at `path` (same shape). A model without cache prices pays its input
        price for cached tokens: an estimate errs high rather than low."""
        raw = path.read_text(encoding="utf-8") if path else \
            resources.files("ticket_router.llm").joinpath("prices.json").read_text(encoding="utf-8")
        table = json.loads(raw)["per_million_tokens"]
        return cls({name: Price(float(p["input"]), float(p["output"]), float(p.get("cache_read", p["input"])),
                                float(p.get("cache_write", p["input"]))) for name, p in table.items()})

    def price(self, model_id: str) -> Price | None:
        return self.prices.get(canonical_model(model_id))

    def cost(self, model_id: str, usage: Usage) -> float | None:
        """Estimated USD, or None when the model is not in the table (unknown is not free)."""
        price = self.price(model_id)
        return None if price is None else round(price.cost(usage), 6)
