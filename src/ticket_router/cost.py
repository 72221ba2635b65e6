"""The monthly and per-ticket cost of the serverless deployment (infrastructure/) at a given volume, from the price
table in `data/aws_prices.json`, Bedrock's token prices in `llm/prices.json`, and a `Workload` of per-ticket usage.

Pure: no AWS call, no clock. Free tiers are ignored, so the figures err high.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ticket_router.llm.pricing import PriceTable, Usage

Engine = Literal["local", "cascade", "agent"]
DAYS_PER_MONTH = 365 / 12
GB = 1e9


class Workload(BaseModel):
    """What one ticket uses, and what the stack costs before any ticket. Memory sizes are the prod stage's
    (infrastructure/ticket_router_cdk/stages.py; a test keeps them equal); durations are estimates of a warm
    invocation, dominated by DynamoDB and EventBridge round trips (routing itself takes about 1 ms: README)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    memory_mb: dict[str, int] = Field(default={"ingest": 256, "route": 1024, "update": 256, "api": 256})
    duration_ms: dict[str, float] = Field(default={"ingest": 60, "route": 80, "update": 120, "api": 40})
    # POST /tickets, then one GET of the decision (the ticketing system is also sent it by the update function)
    api_requests: float = 2.0
    events: float = 2.0  # TicketReceived, TicketRouted
    # per queue (route, update): EventBridge's send, the receive and the delete; batches would make this lower
    sqs_requests: float = 6.0
    # ticket put (+ its customer index), decision (+ 2 indexes), the ticket's latest_* update, 2 idempotency writes
    dynamodb_write_units: float = 20.0
    dynamodb_read_units: float = 6.0  # ticket, customer, outages, history, the GET
    stored_bytes: int = 8_000  # ticket, decision and index copies
    retention_days: int = 365
    log_bytes: int = 4_000  # three invocations: Lambda's START/END/REPORT, Powertools' JSON lines and EMF
    log_retention_days: int = 90
    llm_call_s: float = 2.0  # the router waits for one Bedrock round trip (README: Use an LLM)
    cascade_share: float = Field(default=0.023, ge=0, le=1,
                                 description="tickets the cascade sends to the LLM: 2.3% of the evaluation set "
                                             "(benchmarks/agent_benchmark.py); up to 18% during regional outages")
    # Fixed per month: the prod stack's alarms (a test counts them in the template), one dashboard, one key,
    # one secret; Powertools' EMF metrics (4 per decision, 4 teams, 4 priorities, a few counters); SQS long polls
    # of Lambda's pollers on the two queues while idle (5 pollers, one 20 s poll each); KMS data-key refreshes.
    alarms: int = 16
    dashboards: int = 1
    kms_keys: int = 1
    secrets: int = 1
    custom_metrics: int = 16
    idle_sqs_requests_per_month: float = 2 * 5 * 3 * 60 * 24 * DAYS_PER_MONTH
    kms_requests_per_month: float = 100_000
    secret_reads_per_month: float = 20_000  # the update function caches the token for 5 minutes per container


class CostLine(BaseModel):
    service: str
    monthly_usd: float
    detail: str


class CostEstimate(BaseModel):
    tickets_per_day: int
    engine: Engine
    llm_share: float
    lines: list[CostLine]
    monthly_usd: float
    per_ticket_usd: float
    bedrock_per_llm_decision_usd: float


def load_prices(path: Path | None = None) -> dict[str, Any]:
    raw = path.read_text(encoding="utf-8") if path else \
        resources.files("ticket_router").joinpath("data", "aws_prices.json").read_text(encoding="utf-8")
    return json.loads(raw)


def estimate(tickets_per_day: int, engine: Engine, prices: dict[str, Any], token_prices: PriceTable,
             workload: Workload | None = None, llm_share: float | None = None) -> CostEstimate:
    """The cost at `tickets_per_day`. The LLM decides no ticket with `local`, every ticket with `agent`, and with
    `cascade` the share `llm_share` (default: the workload's measured cascade share)."""
    if tickets_per_day < 1:
        raise ValueError("tickets_per_day must be at least 1")
    if llm_share is not None and engine != "cascade":
        raise ValueError("an LLM share applies to the cascade engine only")
    w = workload or Workload()
    share = {"local": 0.0, "agent": 1.0, "cascade": w.cascade_share if llm_share is None else llm_share}[engine]
    tickets = tickets_per_day * DAYS_PER_MONTH
    llm_calls = tickets * share
    p = prices
    lines: list[CostLine] = []

    def add(service: str, usd: float, detail: str) -> None:
        lines.append(CostLine(service=service, monthly_usd=usd, detail=detail))

    gb_seconds = sum(w.memory_mb[f] / 1024 * w.duration_ms[f] / 1000 for f in w.memory_mb) * tickets
    gb_seconds += w.memory_mb["route"] / 1024 * w.llm_call_s * llm_calls
    invocations = len(w.memory_mb) * tickets
    add("Lambda", gb_seconds * p["lambda"]["per_gb_second"]
        + invocations / 1e6 * p["lambda"]["per_million_requests"],
        f"{gb_seconds:,.0f} GB-s, {invocations:,.0f} invocations")
    add("API Gateway (REST)", w.api_requests * tickets / 1e6 * p["api_gateway_rest"]["per_million_requests"],
        f"{w.api_requests * tickets:,.0f} requests")
    add("EventBridge", w.events * tickets / 1e6 * p["eventbridge"]["per_million_custom_events"],
        f"{w.events * tickets:,.0f} events")
    sqs_requests = w.sqs_requests * tickets + w.idle_sqs_requests_per_month
    add("SQS", sqs_requests / 1e6 * p["sqs"]["per_million_requests"], f"{sqs_requests:,.0f} requests (with polls)")
    stored_gb = tickets_per_day * w.retention_days * w.stored_bytes / GB
    ddb = p["dynamodb_on_demand"]
    add("DynamoDB (on-demand)", w.dynamodb_write_units * tickets / 1e6 * ddb["per_million_write_units"]
        + w.dynamodb_read_units * tickets / 1e6 * ddb["per_million_read_units"]
        + stored_gb * (ddb["storage_per_gb_month"] + ddb["pitr_per_gb_month"]),
        f"{w.dynamodb_write_units * tickets:,.0f} WRU, {w.dynamodb_read_units * tickets:,.0f} RRU, "
        f"{stored_gb:,.1f} GB kept {w.retention_days} days, with PITR")
    sm = p["secrets_manager"]
    add("Secrets Manager",
        w.secrets * sm["per_secret_month"] + w.secret_reads_per_month / 1e4 * sm["per_10k_api_calls"],
        f"{w.secrets} secret, {w.secret_reads_per_month:,.0f} reads")
    cw = p["cloudwatch"]
    log_gb = w.log_bytes * tickets / GB
    add("CloudWatch", log_gb * cw["logs_ingest_per_gb"]
        + log_gb * w.log_retention_days / DAYS_PER_MONTH * cw["logs_storage_per_gb_month"]
        + w.custom_metrics * cw["per_metric_month"] + w.alarms * cw["per_alarm_month"]
        + w.dashboards * cw["per_dashboard_month"],
        f"{log_gb:,.2f} GB logs, {w.custom_metrics} metrics, {w.alarms} alarms, {w.dashboards} dashboard")
    add("KMS", w.kms_keys * p["kms"]["per_key_month"] + w.kms_requests_per_month / 1e4 * p["kms"]["per_10k_requests"],
        f"{w.kms_keys} key, {w.kms_requests_per_month:,.0f} requests")
    per_call, writes = bedrock_per_call(p["bedrock_decision"], token_prices, llm_calls / (DAYS_PER_MONTH * 86400))
    add("Bedrock", llm_calls * per_call,
        f"{llm_calls:,.0f} LLM decisions ({share:.1%}), {writes:.0%} of them writing the prompt cache"
        if llm_calls else "no LLM decisions")
    monthly = sum(line.monthly_usd for line in lines)
    return CostEstimate(tickets_per_day=tickets_per_day, engine=engine, llm_share=share, lines=lines,
                        monthly_usd=monthly, per_ticket_usd=monthly / tickets, bedrock_per_llm_decision_usd=per_call)


def bedrock_per_call(decision: dict[str, Any], token_prices: PriceTable,
                     calls_per_second: float) -> tuple[float, float]:
    """The expected cost of one LLM decision, and the share of calls that write the prompt cache: with calls
    arriving at random, a call writes the cache when the one before it came more than the cache's lifetime ago."""
    model = decision["model"]
    write_share = math.exp(-calls_per_second * decision["cache_ttl_s"]) if calls_per_second > 0 else 1.0
    fixed, ticket, output = decision["fixed_input_tokens"], decision["ticket_input_tokens"], decision["output_tokens"]
    read = token_prices.cost(model, Usage(ticket, output, cache_read_tokens=fixed))
    write = token_prices.cost(model, Usage(ticket, output, cache_write_tokens=fixed))
    if read is None or write is None:
        raise ValueError(f"no token prices for {model!r} in the LLM price table")
    return write_share * write + (1 - write_share) * read, write_share
