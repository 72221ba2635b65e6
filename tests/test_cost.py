"""The AWS cost estimate: from the price tables, scaling with volume, and the Bedrock prompt cache."""

from __future__ import annotations

import json

import pytest

from ticket_router.cost import DAYS_PER_MONTH, Workload, bedrock_per_call, estimate, load_prices
from ticket_router.llm.pricing import PriceTable, Usage


@pytest.fixture(scope="module")
def prices():
    return load_prices()


@pytest.fixture(scope="module")
def tokens():
    return PriceTable.load()


def line(result, service):
    return next(item.monthly_usd for item in result.lines if item.service == service)


def test_the_local_engine_costs_under_a_cent_a_ticket_at_1000_a_day(prices, tokens):
    result = estimate(1000, "local", prices, tokens)
    assert result.per_ticket_usd < 0.01
    assert line(result, "Bedrock") == 0
    assert result.monthly_usd == pytest.approx(sum(item.monthly_usd for item in result.lines))
    assert result.per_ticket_usd == pytest.approx(result.monthly_usd / (1000 * DAYS_PER_MONTH))


def test_the_llm_engines_cost_more_and_the_cascade_only_for_its_share(prices, tokens):
    local, cascade, agent = (estimate(100_000, e, prices, tokens) for e in ("local", "cascade", "agent"))
    assert local.per_ticket_usd < cascade.per_ticket_usd < agent.per_ticket_usd
    assert cascade.llm_share == Workload().cascade_share and agent.llm_share == 1.0
    # at this volume the cache stays warm: the Bedrock line is the share times the per-decision cost
    assert line(cascade, "Bedrock") == pytest.approx(
        100_000 * DAYS_PER_MONTH * cascade.llm_share * cascade.bedrock_per_llm_decision_usd)
    busier = estimate(100_000, "cascade", prices, tokens, llm_share=0.184)
    assert line(busier, "Bedrock") > line(cascade, "Bedrock")


def test_fixed_costs_are_shared_out_so_a_ticket_costs_less_at_volume(prices, tokens):
    per_ticket = [estimate(n, "local", prices, tokens).per_ticket_usd for n in (1_000, 100_000, 10_000_000)]
    assert per_ticket[0] > per_ticket[1] > per_ticket[2]


def test_every_line_follows_its_price(prices, tokens):
    base = estimate(10_000, "agent", prices, tokens)
    doubled = json.loads(json.dumps(prices))
    doubled["lambda"]["per_gb_second"] *= 2
    doubled["lambda"]["per_million_requests"] *= 2
    doubled["sqs"]["per_million_requests"] *= 2
    changed = estimate(10_000, "agent", doubled, tokens)
    assert line(changed, "Lambda") == pytest.approx(2 * line(base, "Lambda"))
    assert line(changed, "SQS") == pytest.approx(2 * line(base, "SQS"))
    assert line(changed, "DynamoDB (on-demand)") == line(base, "DynamoDB (on-demand)")


def test_a_call_writes_the_prompt_cache_when_calls_are_rare_and_reads_it_when_they_are_frequent(prices, tokens):
    decision = prices["bedrock_decision"]
    fixed, ticket, output = decision["fixed_input_tokens"], decision["ticket_input_tokens"], decision["output_tokens"]
    read = tokens.cost(decision["model"], Usage(ticket, output, cache_read_tokens=fixed))
    write = tokens.cost(decision["model"], Usage(ticket, output, cache_write_tokens=fixed))
    rare, rare_writes = bedrock_per_call(decision, tokens, calls_per_second=1 / 86_400)
    busy, busy_writes = bedrock_per_call(decision, tokens, calls_per_second=10.0)
    assert rare == pytest.approx(write, rel=0.01) and rare_writes > 0.99
    assert busy == pytest.approx(read) and busy_writes < 1e-9
    assert read < 0.003 < write  # Sonnet 4.5: about $0.002 read from the cache, about $0.009 writing it


def test_a_model_missing_from_the_token_prices_is_an_error_not_free(prices):
    with pytest.raises(ValueError, match="no token prices"):
        estimate(1000, "agent", prices, PriceTable({}))


def test_zero_tickets_and_a_share_for_another_engine_are_refused(prices, tokens):
    with pytest.raises(ValueError, match="at least 1"):
        estimate(0, "local", prices, tokens)
    with pytest.raises(ValueError, match="cascade engine only"):
        estimate(1000, "local", prices, tokens, llm_share=0.5)
