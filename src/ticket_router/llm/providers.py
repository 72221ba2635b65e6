"""The Strands model object for the configured provider, built on demand (every import is inside a function).

Providers: `bedrock` (default; region from BEDROCK_REGION, credentials the standard AWS way), `anthropic` (the
Anthropic API) and `openai` (any OpenAI-compatible endpoint: OpenAI, Ollama, vLLM, LM Studio). Every client is
built with its own retries off and a timeout no longer than the ticket budget, so the budget-aware retry in
budget.py is the only retry and the total time per ticket is bounded.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from ticket_router.settings import Settings, is_loopback_url

MAX_TOKENS = 1024
PROVIDERS = ("bedrock", "anthropic", "openai")


class ProviderConfigError(ValueError):
    """The provider cannot be built from the settings; the message says what to set."""


@dataclass(frozen=True)
class ProviderInfo:
    provider: str
    model_id: str
    where: str  # region or endpoint, for messages; never a secret


def anthropic_model_id(model_id: str) -> str:
    """Bedrock ids name Claude models differently from the Anthropic API:
    `us.anthropic.claude-sonnet-4-5-20250929-v1:0` → `claude-sonnet-4-5-20250929`. Other ids pass through."""
    match = re.fullmatch(r"(?:[a-z-]+\.)?anthropic\.(claude-[a-z0-9.-]+?)(?:-v\d+(?::\d+)?)?", model_id.strip())
    return match.group(1) if match else model_id.strip()


def _api_key(settings: Settings, *env_names: str) -> str | None:
    if settings.llm_api_key is not None:
        return settings.llm_api_key.get_secret_value()
    return next((os.environ[name] for name in env_names if os.environ.get(name)), None)


def _client_args(settings: Settings, key: str, timeout: float) -> dict[str, Any]:
    """Arguments of the Anthropic and OpenAI SDK clients: their own retries off, the ticket budget as timeout."""
    client_args: dict[str, Any] = {"api_key": key, "timeout": timeout, "max_retries": 0}
    if settings.llm_base_url:
        client_args["base_url"] = settings.llm_base_url
    return client_args


def describe(settings: Settings, model_id: str | None = None) -> ProviderInfo:
    model_id = model_id or settings.llm_model
    if settings.llm_provider == "bedrock":
        region = settings.bedrock_region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        return ProviderInfo("bedrock", model_id, f"region {region or 'unset (boto3 default, else us-west-2)'}")
    if settings.llm_provider == "anthropic":
        return ProviderInfo("anthropic", anthropic_model_id(model_id), settings.llm_base_url or "api.anthropic.com")
    return ProviderInfo("openai", model_id, settings.llm_base_url or "api.openai.com")


def build_model(settings: Settings, model_id: str | None = None, *, timeout_s: float | None = None,
                max_tokens: int = MAX_TOKENS) -> Any:
    """A `strands.models.Model` for the configured provider. Raises ProviderConfigError with a fix-it message."""
    builders = {"bedrock": _bedrock, "anthropic": _anthropic, "openai": _openai}
    timeout = timeout_s if timeout_s is not None else settings.llm_timeout_s
    return builders[settings.llm_provider](settings, model_id or settings.llm_model, timeout, max_tokens)


def _bedrock(settings: Settings, model_id: str, timeout: float, max_tokens: int) -> Any:
    from botocore.config import Config
    from strands.models.bedrock import BedrockModel

    # total_max_attempts counts the first call: 1 turns botocore's own retries off (its `max_attempts` counts
    # retries only, so `max_attempts: 1` would still retry once, outside the ticket's budget).
    config = Config(connect_timeout=min(timeout, 5.0), read_timeout=timeout,
                    retries={"total_max_attempts": 1, "mode": "standard"})
    return BedrockModel(
        region_name=settings.bedrock_region, boto_client_config=config, api_key=_api_key(settings),
        model_id=model_id, max_tokens=max_tokens, temperature=0.0, streaming=False,
    )


def _anthropic(settings: Settings, model_id: str, timeout: float, max_tokens: int) -> Any:
    from strands.models.anthropic import AnthropicModel

    key = _api_key(settings, "ANTHROPIC_API_KEY")
    if not key:
        raise ProviderConfigError("no Anthropic API key: set TICKET_ROUTER_LLM_API_KEY or ANTHROPIC_API_KEY")
    return AnthropicModel(client_args=_client_args(settings, key, timeout), model_id=anthropic_model_id(model_id),
                          max_tokens=max_tokens, params={"temperature": 0.0})


def _openai(settings: Settings, model_id: str, timeout: float, max_tokens: int) -> Any:
    from strands.models.openai import OpenAIModel

    if "anthropic." in model_id:
        raise ProviderConfigError(
            f"model {model_id!r} is a Bedrock id: set TICKET_ROUTER_LLM_MODEL (and TICKET_ROUTER_LLM_SPECIALIST_MODEL "
            "when specialists are on) to a model the OpenAI-compatible endpoint serves, e.g. llama3.1 for Ollama")
    key = _api_key(settings, "OPENAI_API_KEY")
    if not key and not is_loopback_url(settings.llm_base_url):
        raise ProviderConfigError("no OpenAI API key: set TICKET_ROUTER_LLM_API_KEY or OPENAI_API_KEY, or point "
                                  "TICKET_ROUTER_LLM_BASE_URL at a local endpoint (Ollama, vLLM, LM Studio on "
                                  "localhost, 127.0.0.1 or ::1), which needs none")
    return OpenAIModel(client_args=_client_args(settings, key or "not-needed", timeout), model_id=model_id,
                       stream=False, params={"temperature": 0.0, "max_tokens": max_tokens})
