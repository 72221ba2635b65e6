from __future__ import annotations

import pytest
from pydantic import ValidationError
from ticket_router_cdk.stages import STAGES, from_context, stage_settings, unknown_context


def test_overrides_are_validated_like_the_rest():
    assert stage_settings("dev", {"engine": "cascade"}).engine == "cascade"
    with pytest.raises(ValidationError):
        stage_settings("dev", {"engnie": "cascade"})
    with pytest.raises(ValidationError):
        stage_settings("prod", {"deployment": "CANARY_50PERCENT"})
    with pytest.raises(ValueError, match="unknown stage"):
        stage_settings("qa")


def test_prod_is_at_least_as_safe_as_dev():
    dev, prod = STAGES["dev"], STAGES["prod"]
    assert prod.retain_data and not dev.retain_data
    assert prod.log_retention_days >= dev.log_retention_days
    assert prod.deployment.startswith("CANARY")


def test_context_values_arrive_as_strings_and_are_validated():
    context = {"stage": "prod", "engine": "cascade", "monthly_budget_usd": "900",
               "bedrock_models": "us.anthropic.claude-sonnet-4-5-20250929-v1:0, eu.anthropic.claude-haiku-4-5-v1:0"}
    stage = from_context(context.get)
    assert (stage.name, stage.engine, stage.monthly_budget_usd) == ("prod", "cascade", 900.0)
    assert stage.bedrock_models == ("us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                                    "eu.anthropic.claude-haiku-4-5-v1:0")
    assert from_context({}.get).name == "dev"
    with pytest.raises(ValidationError):
        from_context({"engine": "gpt"}.get)


def test_a_misspelt_context_key_is_named_and_the_cdks_own_are_not():
    assert unknown_context(["stage", "engnie", "code", "@aws-cdk/core:newStyleStackSynthesis",
                            "aws:cdk:enable-path-metadata", "cli-telemetry", "engine"]) == ["engnie"]
