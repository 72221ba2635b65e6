"""Constants and builders shared by the API and outbox tests."""

from __future__ import annotations

from ticket_router.settings import Settings

KEY = "test-key-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {KEY}"}


def make_settings(**fields: object) -> Settings:
    return Settings(api_keys=KEY, **fields)  # type: ignore[arg-type]
