"""One `Settings` object read from the environment (prefix `TICKET_ROUTER_`), built on first use only."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ticket-router"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TICKET_ROUTER_", extra="forbid", frozen=True, env_ignore_empty=True)

    db: Path | None = Field(default=None, description="SQLite database file (default: the user data dir)")
    database_url: str | None = Field(default=None, description="sqlite:///… or postgresql://…; wins over db")
    model: str = Field(default="tfidf-lr-v1", description="registered classifier name")
    model_path: Path | None = Field(default=None, description="model file to load instead of the shipped one")
    review_threshold: float = Field(default=0.70, ge=0.0, le=1.0)
    log_level: str = Field(default="WARNING")

    def database(self) -> tuple[str, bool]:
        """The database URL and whether it is the default location (which gets demo data on first use)."""
        if self.database_url:
            return self.database_url, False
        if self.db:
            return f"sqlite:///{self.db.expanduser()}", False
        return f"sqlite:///{default_data_dir() / 'ticket-router.db'}", True


class SettingsError(ValueError):
    pass


PREFIX = "TICKET_ROUTER_"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Settings from `environ` (default: the process environment). A `TICKET_ROUTER_*` variable that names no
    setting is a typo, and fails loudly rather than being ignored."""
    environ = dict(os.environ if environ is None else environ)
    unknown = sorted(k for k in environ if k.startswith(PREFIX) and k[len(PREFIX):].lower() not in Settings.model_fields)
    if unknown:
        raise SettingsError(f"unknown setting(s): {', '.join(unknown)}")
    return Settings(**{k[len(PREFIX):].lower(): v for k, v in environ.items() if k.startswith(PREFIX)})


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
