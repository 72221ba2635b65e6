"""Estimated cost of LLM calls from token counts and the price table in `prices.json` (data, not code)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

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
class Price:
    input_per_million: float
    output_per_million: float

    def cost(self, input_tokens: int, output_tokens: int) -> float:
        return (input_tokens * self.input_per_million + output_tokens * self.output_per_million) / 1_000_000


class PriceTable:
    def __init__(self, prices: dict[str, Price]) -> None:
        self.prices = prices

    @classmethod
    def load(cls, path: Path | None = None) -> PriceTable:
        raw = path.read_text(encoding="utf-8") if path else \
            resources.files("ticket_router.llm").joinpath("prices.json").read_text(encoding="utf-8")
        table = json.loads(raw)["per_million_tokens"]
        return cls({name: Price(float(p["input"]), float(p["output"])) for name, p in table.items()})

    def price(self, model_id: str) -> Price | None:
        return self.prices.get(canonical_model(model_id))

    def cost(self, model_id: str, input_tokens: int, output_tokens: int) -> float | None:
        """Estimated USD, or None when the model is not in the table (unknown is not free)."""
        price = self.price(model_id)
        return None if price is None else round(price.cost(input_tokens, output_tokens), 6)
