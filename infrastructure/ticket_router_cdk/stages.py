"""Everything that differs between dev, staging and prod, in one typed place (`-c stage=dev|staging|prod`).

Numbers only: the stack modules read these fields and never branch on the stage's name.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

StageName = Literal["dev", "staging", "prod"]
# CodeDeploy's predefined Lambda configurations (a published name, so a typo fails at synth, not at deploy).
DeploymentConfig = Literal["ALL_AT_ONCE", "CANARY_10PERCENT_5MINUTES", "CANARY_10PERCENT_10MINUTES",
                           "LINEAR_10PERCENT_EVERY_1MINUTE"]


class FunctionSettings(BaseModel):
    """One Lambda function's size and its cost cap."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    memory_mb: int = Field(ge=128, le=10240)
    timeout_s: int = Field(ge=1, le=900)
    reserved_concurrency: int = Field(ge=1, description="caps cost and protects downstream systems")


class StageSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: StageName
    engine: Literal["local", "cascade", "agent"] = "local"
    # Bedrock model (inference-profile) ids the router may invoke; IAM allows exactly these and nothing else.
    bedrock_models: tuple[str, ...] = ("us.anthropic.claude-sonnet-4-5-20250929-v1:0",)
    ingest: FunctionSettings
    route: FunctionSettings
    update: FunctionSettings
    api: FunctionSettings
    log_retention_days: int = Field(description="one of CloudWatch's allowed values (1, 3, 5, 7, 14, 30, 90, 365…)")
    route_batch_size: int = Field(default=10, ge=1, le=10)
    update_batch_size: int = Field(default=5, ge=1, le=10)
    max_receive_count: int = Field(ge=1, le=1000, description="deliveries before a message moves to its DLQ")
    dlq_retention_days: int = Field(default=14, ge=1, le=14)
    api_rate_per_s: float = Field(gt=0, description="usage plan steady rate")
    api_burst: int = Field(ge=1)
    api_quota_per_day: int = Field(ge=1)
    monthly_budget_usd: float = Field(gt=0)
    alarm_email: str | None = Field(default=None, description="subscribed to the alarm topic when set")
    deployment: DeploymentConfig
    latency_alarm_ms: int = Field(default=3000, description="the specification's 3 s per ticket")
    retain_data: bool = Field(description="keep tables and the key when the stack is deleted")
    ticketing_url: str | None = Field(default=None, description="the ticketing system's endpoint for decisions")


def _fn(memory_mb: int, timeout_s: int, reserved: int) -> FunctionSettings:
    return FunctionSettings(memory_mb=memory_mb, timeout_s=timeout_s, reserved_concurrency=reserved)


# The router holds the model in memory: 1,024 MB also buys a proportional CPU share (Lambda scales CPU with memory).
# Its timeout covers a batch of 10 through the cascade with the LLM's 8 s per-ticket budget at concurrency 4.
STAGES: dict[str, StageSettings] = {
    "dev": StageSettings(
        name="dev", ingest=_fn(256, 10, 2), route=_fn(1024, 60, 2), update=_fn(256, 60, 1), api=_fn(256, 10, 2),
        log_retention_days=7, max_receive_count=3, api_rate_per_s=5, api_burst=10, api_quota_per_day=10_000,
        monthly_budget_usd=20, deployment="ALL_AT_ONCE", retain_data=False),
    "staging": StageSettings(
        name="staging", ingest=_fn(256, 10, 5), route=_fn(1024, 60, 5), update=_fn(256, 60, 2),
        api=_fn(256, 10, 5), log_retention_days=30, max_receive_count=5, api_rate_per_s=20, api_burst=40,
        api_quota_per_day=100_000, monthly_budget_usd=50, deployment="CANARY_10PERCENT_5MINUTES",
        retain_data=True),
    "prod": StageSettings(
        name="prod", ingest=_fn(256, 10, 50), route=_fn(1024, 60, 50), update=_fn(256, 60, 10),
        api=_fn(256, 10, 20), log_retention_days=90, max_receive_count=5, api_rate_per_s=200, api_burst=400,
        api_quota_per_day=12_000_000, monthly_budget_usd=500, deployment="CANARY_10PERCENT_10MINUTES",
        retain_data=True),
}


def stage_settings(name: str, overrides: dict[str, object] | None = None) -> StageSettings:
    """The named stage's settings, with `-c key=value` overrides validated like the rest (a typo fails)."""
    if name not in STAGES:
        raise ValueError(f"unknown stage {name!r}: use one of {', '.join(STAGES)}")
    base = STAGES[name]
    if not overrides:
        return base
    return StageSettings.model_validate({**base.model_dump(), **overrides})
