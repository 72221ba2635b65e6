"""Estimated cost from token counts and the price table (data in prices.json, replaceable by a file)."""

from __future__ import annotations

import json

import pytest

from ticket_router.llm.pricing import PriceTable, Usage, canonical_model

SONNET = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"


@pytest.mark.parametrize("model_id, name", [
    (SONNET, "claude-sonnet-4-5"),
    ("global.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5"),
    ("anthropic.claude-3-5-haiku-20241022-v1:0", "claude-3-5-haiku"),
    ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
    ("claude-haiku-4-5@20251001", "claude-haiku-4-5"),
    ("gpt-4o-mini", "gpt-4o-mini"),
])
def test_canonical_names(model_id, name):
    assert canonical_model(model_id) == name


def test_cost_of_a_typical_sonnet_ticket():
    prices = PriceTable.load()
    assert prices.cost(SONNET, Usage(1500, 100)) == pytest.approx((1500 * 3.0 + 100 * 15.0) / 1e6)
    assert prices.cost("us.anthropic.claude-haiku-4-5-20251001-v1:0", Usage(1000, 100)) == pytest.approx(0.0015)


def test_cached_prompt_tokens_are_billed_at_the_cache_prices():
    prices = PriceTable.load()
    cached = Usage(input_tokens=100, output_tokens=60, cache_read_tokens=2300)
    assert prices.cost(SONNET, cached) == pytest.approx((100 * 3.0 + 60 * 15.0 + 2300 * 0.30) / 1e6)
    assert prices.cost(SONNET, Usage(100, 60, cache_write_tokens=2300)) == \
        pytest.approx((100 * 3.0 + 60 * 15.0 + 2300 * 3.75) / 1e6)
    assert prices.cost(SONNET, cached) < prices.cost(SONNET, Usage(2400, 60))


def test_an_unknown_model_has_no_cost_rather_than_a_zero_cost():
    assert PriceTable.load().cost("llama3.1", Usage(1000, 100)) is None


def test_a_table_from_a_file_replaces_the_shipped_one(tmp_path):
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"per_million_tokens": {"llama3.1": {"input": 0, "output": 0},
                                                       "claude-sonnet-4-5": {"input": 6, "output": 30}}}))
    prices = PriceTable.load(path)
    assert prices.cost("llama3.1", Usage(1000, 100)) == 0.0
    assert prices.cost(SONNET, Usage(1_000_000, 0)) == 6.0
    assert prices.cost(SONNET, Usage(0, 0, cache_read_tokens=1_000_000)) == 6.0  # no cache price: the input price


def test_usage_from_strands_counts():
    usage = Usage.from_strands({"inputTokens": 12, "outputTokens": 3, "totalTokens": 15, "cacheReadInputTokens": 7})
    assert usage == Usage(12, 3, 7, 0)
