"""Everything that differs between dev, staging and prod, in one typed place (`-c stage=dev|staging|prod`).

Numbers only: the stack modules read these fields and never branch on the stage's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

StageName = Literal["dev", "staging", "prod"]
# CodeDeploy's predefined Lambda configurations (a published name, so a typo fails at synth, not at deploy).
DeploymentConfig = Literal["ALL_AT_ONCE", "CANARY_10_PERCENT_5_MINUTES", "CANARY_10_PERCENT_10_MINUTES",
                           "LINEAR_10_PERCENT_EVERY_1_MINUTE"]


class FunctionSettings(BaseModel):
    """One Lambda function's size and its cost cap. Timeouts and retry limits are in `ticket_router.aws.contract`,
    which the handlers read too."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    memory_mb: int = Field(ge=128, le=10240)
    # For the queue-fed functions this is also the event source mapping's maximum concurrency (at least 2), so SQS
    # pollers never hand a function more batches than it may run (throttled batches would count as receives).
    reserved_concurrency: int = Field(ge=2, description="caps cost and protects downstream systems")


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
    log_retention_days: int = Field(description="1, 3, 7, 14, 30, 90, 180 or 365 (CloudWatch's values)")
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


def _fn(memory_mb: int, reserved: int) -> FunctionSettings:
    return FunctionSettings(memory_mb=memory_mb, reserved_concurrency=reserved)


# The router holds the model in memory: 1,024 MB also buys a proportional CPU share (Lambda scales CPU with memory).
STAGES: dict[str, StageSettings] = {
    "dev": StageSettings(
        name="dev", ingest=_fn(256, 2), route=_fn(1024, 2), update=_fn(256, 2), api=_fn(256, 2),
        log_retention_days=7, api_rate_per_s=5, api_burst=10, api_quota_per_day=10_000,
        monthly_budget_usd=20, deployment="ALL_AT_ONCE", retain_data=False),
    "staging": StageSettings(
        name="staging", ingest=_fn(256, 5), route=_fn(1024, 5), update=_fn(256, 2),
        api=_fn(256, 5), log_retention_days=30, api_rate_per_s=20, api_burst=40,
        api_quota_per_day=100_000, monthly_budget_usd=50, deployment="CANARY_10_PERCENT_5_MINUTES",
        retain_data=True),
    "prod": StageSettings(
        name="prod", ingest=_fn(256, 50), route=_fn(1024, 50), update=_fn(256, 10),
        api=_fn(256, 20), log_retention_days=90, api_rate_per_s=200, api_burst=400,
        api_quota_per_day=12_000_000, monthly_budget_usd=500, deployment="CANARY_10_PERCENT_10_MINUTES",
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


def from_context(context: Callable[[str], Any]) -> StageSettings:
    """The stage named by the `stage` context key (default dev), with every other stage setting given as context
    (`-c engine=cascade`, `-c bedrock_models=id1,id2`) as an override. The CDK CLI passes `-c` values as strings."""
    overrides: dict[str, object] = {}
    for name in StageSettings.model_fields:
        value = context(name) if name != "name" else None
        if value is not None:
            is_list = name == "bedrock_models" and isinstance(value, str)
            overrides[name] = tuple(v.strip() for v in value.split(",") if v.strip()) if is_list else value
    return stage_settings(str(context("stage") or "dev"), overrides)


# Context keys that are not stage settings: the app's own, and those the CDK itself and cdk.json set.
APP_CONTEXT = frozenset({"stage", "code", "cli-telemetry"})
CDK_CONTEXT_PREFIXES = ("@", "aws:", "aws-cdk:", "cdk")


def unknown_context(keys: Iterable[str]) -> list[str]:
    """Context keys that name nothing: a misspelt `-c engnie=cascade` fails instead of being ignored."""
    known = APP_CONTEXT | set(StageSettings.model_fields)
    return sorted(k for k in keys if k not in known and not k.startswith(CDK_CONTEXT_PREFIXES))
