"""Constants and builders shared by the API and outbox tests."""

from __future__ import annotations

from ticket_router.settings import Settings

KEY = "test-key-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {KEY}"}
# An administrator key from the environment (`TICKET_ROUTER_ADMIN_API_KEYS`): it may also change the routing model.
ADMIN_KEY = "admin-key-0123456789abcdef"
ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN_KEY}"}
# Requests that ask for the LLM engines reach an OpenAI-compatible endpoint on a loopback port where nothing
# listens: they fail at once, offline, and the ticket falls back to the embedded model, flagged for review.
NO_LLM = {"llm_provider": "openai", "llm_base_url": "http://127.0.0.1:9/v1", "llm_model": "llama3.1",
          "llm_specialist_model": "llama3.1", "llm_api_key": "test-llm-key-0123456789"}


def make_settings(**fields: object) -> Settings:
    return Settings(**{"api_keys": KEY, **NO_LLM, **fields})  # type: ignore[arg-type]
