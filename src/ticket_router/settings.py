"""One `Settings` object read from the environment (prefix `TICKET_ROUTER_`), built on first use only."""

from __future__ import annotations

import ipaddress
import os
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ticket-router"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TICKET_ROUTER_", extra="forbid", frozen=True, env_ignore_empty=True,
                                      hide_input_in_errors=True)  # a rejected secret is never echoed

    db: Path | None = Field(default=None, description="SQLite database file (default: the user data dir)")
    database_url: str | None = Field(default=None, description="sqlite:///… or postgresql://…; wins over db")
    model: str = Field(default="minilm-tfidf-v1", description="registered classifier name (model/registry.py)")
    model_path: Path | None = Field(default=None, description="model file to load instead of the shipped one")
    review_threshold: float = Field(default=0.70, ge=0.0, le=1.0,
                                    description="below this confidence a decision is flagged; set, it wins over --policy")
    policy: Path | None = Field(default=None, description="routing policy file (.toml, .yaml, .yml); unset: built-in")
    model_poll_s: float = Field(default=30.0, ge=1.0, le=60.0,
                                description="how often a running service checks the store for a promoted model")
    log_level: str = Field(default="WARNING")
    # the HTTP service and delivery to the ticketing system
    api_keys: SecretStr | None = Field(default=None, description="comma-separated API keys accepted by /v1 routes")
    admin_api_keys: SecretStr | None = Field(
        default=None, description="comma-separated administrator API keys: every /v1 route, and changing the model")
    ticketing_url: str | None = Field(default=None, description="where every decision is POSTed (unset: no outbox)")
    ticketing_token: SecretStr | None = Field(default=None, description="bearer token for the ticketing endpoint")
    ticketing_adapter: str = Field(default="http-json-v1", description="registered ticketing adapter name")
    ticketing_timeout_s: float = Field(default=5.0, gt=0.0, le=120.0, description="per delivery attempt")
    # the AWS deployment (ticket_router.aws; names in aws/contract.py)
    event_bus: str | None = Field(default=None, description="EventBridge bus the Lambda functions put events on")
    idempotency_table: str | None = Field(default=None, description="DynamoDB table of Powertools' idempotency")
    ticketing_token_secret: str | None = Field(default=None,
                                               description="Secrets Manager id of the ticketing token (AWS)")
    # the LLM engines
    engine: Literal["local", "agent", "cascade"] = Field(default="local", description="routing engine")
    llm_provider: Literal["bedrock", "anthropic", "openai"] = Field(default="bedrock")
    llm_model: str = Field(default="us.anthropic.claude-sonnet-4-5-20250929-v1:0", min_length=1,
                           description="orchestrator model id (Bedrock form; translated for the Anthropic API)")
    llm_specialist_model: str = Field(default="us.anthropic.claude-haiku-4-5-20251001-v1:0", min_length=1,
                                      description="model id of the specialist agents behind two tools")
    llm_specialists: bool = Field(default=False, description="back classify_issue/extract_entities with specialists")
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint (Ollama, vLLM, …)")
    llm_api_key: SecretStr | None = Field(default=None, description="API key (else the provider's usual variable)")
    llm_timeout_s: float = Field(default=8.0, gt=0.0, le=300.0, description="total LLM time budget per ticket")
    llm_redact: bool = Field(default=True, description="redact phones, emails, accounts, cards, IMEIs first")
    cascade_threshold: float = Field(default=0.70, ge=0.0, le=1.0, description="below this, cascade asks the LLM")
    llm_concurrency: int = Field(default=4, ge=1, le=64, description="tickets of one batch sent to the LLM at once")
    llm_prices: Path | None = Field(default=None, description="price table (JSON) replacing the shipped prices.json")
    llm_cache: bool = Field(default=True, description="prompt caching of the fixed prompt (bedrock, anthropic)")
    bedrock_region: str | None = Field(default=None, validation_alias=AliasChoices("BEDROCK_REGION", "bedrock_region"))
    # a deployed AWS stage, for `ticket-router aws smoke` and tests_integ/ (the stack's ApiUrl output and an API key)
    stage_url: str | None = Field(default=None, description="a deployed stage's API URL")
    stage_key: SecretStr | None = Field(default=None, description="an API key of that stage's usage plan")

    @model_validator(mode="after")
    def _no_placeholder_llm_key(self) -> Settings:
        # A local OpenAI-compatible server (Ollama, vLLM, llama.cpp) takes any key, `ollama` included: nothing
        # secret leaves the machine. Anywhere else a placeholder means a key was never set.
        key = self.llm_api_key
        local = self.llm_provider == "openai" and is_loopback_url(self.llm_base_url)
        if key is not None and not local and is_placeholder(key.get_secret_value().strip()):
            raise ValueError("llm_api_key: a placeholder or too-short API key (only a loopback "
                             "TICKET_ROUTER_LLM_BASE_URL of the openai provider may take a dummy key)")
        return self

    @field_validator("api_keys", "admin_api_keys", "ticketing_token", "stage_key")
    @classmethod
    def _no_placeholder_secrets(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        for part in value.get_secret_value().split(","):
            if is_placeholder(part.strip()):
                raise ValueError("a placeholder or too-short secret (use a random value of 16+ characters)")
        return value

    @field_validator("ticketing_url", "stage_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.strip().lower().startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.strip() if value is not None else None

    def api_key_list(self) -> list[str]:
        return _split(self.api_keys)

    def admin_api_key_list(self) -> list[str]:
        return _split(self.admin_api_keys)

    def database(self) -> tuple[str, bool]:
        """The database URL and whether it is the default location (which gets demo data on first use)."""
        if self.database_url:
            return self.database_url, False
        if self.db:
            return f"sqlite:///{self.db.expanduser()}", False
        return f"sqlite:///{default_data_dir() / 'ticket-router.db'}", True

    def database_label(self) -> str:
        """The database URL for people to read: any password hidden."""
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        url, _ = self.database()
        try:
            return make_url(url).render_as_string(hide_password=True)
        except ArgumentError:  # not a URL SQLAlchemy can parse: keep only what follows any credentials
            return url.rsplit("@", 1)[-1]


def _split(value: SecretStr | None) -> list[str]:
    if value is None:
        return []
    return [k.strip() for k in value.get_secret_value().split(",") if k.strip()]


PLACEHOLDERS = frozenset({"changeme", "change-me", "change_me", "secret", "password", "token", "apikey", "api-key",
                          "placeholder", "todo", "example", "test", "none", "null", "default", "your-api-key",
                          "your-token", "replace-me", "replaceme"})


def is_loopback_url(url: str | None) -> bool:
    """True for an http(s) URL on this machine: localhost, 127.0.0.0/8 or ::1."""
    if not url:
        return False
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return False
    if host is None:
        return False
    if host.lower().rstrip(".") == "localhost" or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_placeholder(secret: str) -> bool:
    """An obvious placeholder or a value too short to be a real secret: `changeme`, `xxx`, `<token>`, `****`."""
    lowered = secret.lower().strip("<>{}[]")
    return len(secret) < 16 or lowered in PLACEHOLDERS or len(set(lowered)) <= 2 or "changeme" in lowered


class SettingsError(ValueError):
    pass


PREFIX = "TICKET_ROUTER_"
# Settings read under their usual, unprefixed names.
UNPREFIXED = ("BEDROCK_REGION",)


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Settings from `environ` (default: the process environment). A `TICKET_ROUTER_*` variable that names no
    setting is a typo, and fails loudly rather than being ignored."""
    environ = dict(os.environ if environ is None else environ)
    unknown = sorted(k for k in environ if k.startswith(PREFIX) and k[len(PREFIX):].lower() not in Settings.model_fields)
    if unknown:
        raise SettingsError(f"unknown setting(s): {', '.join(unknown)}")
    values = {k[len(PREFIX):].lower(): v for k, v in environ.items() if k.startswith(PREFIX)}
    values.update({k: environ[k] for k in UNPREFIXED if environ.get(k)})
    return Settings(**values)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
