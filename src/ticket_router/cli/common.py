"""Shared CLI plumbing: settings with command-line overrides, the stderr console, clean failures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from ticket_router.settings import Settings, get_settings

DbOption = Annotated[
    Path | None, typer.Option("--db", help="SQLite database file (default: $TICKET_ROUTER_DB or the user data dir).")
]

ModelOption = Annotated[
    str | None, typer.Option("--model", help="Registered model name (default: $TICKET_ROUTER_MODEL, else "
                             "minilm-tfidf-v1); tfidf-lr-v2 is the fastest.")
]


PolicyOption = Annotated[
    Path | None, typer.Option("--policy", help="Routing policy file, .toml or .yaml (default: $TICKET_ROUTER_POLICY, "
                              "else the built-in policy); see examples/policy.toml.")
]


def stderr() -> Console:
    return Console(stderr=True, highlight=False)


def settings_with(db: Path | None = None, **overrides: object) -> Settings:
    from ticket_router.model.registry import known

    model = overrides.get("model")
    if model is not None and model not in known():
        fail(f"unknown model {model!r}; known: {', '.join(known())}")
    settings = get_settings()
    update = {k: v for k, v in overrides.items() if v is not None}
    if db is not None:
        update.update(db=db, database_url=None)
    settings = settings.model_copy(update=update) if update else settings
    if settings.policy is not None:
        _check_policy(settings)
    return settings


def _check_policy(settings: Settings) -> None:
    """A policy file is read at start, so a bad one stops the command with its reason before any work."""
    from ticket_router.bootstrap import policy_for
    from ticket_router.policy_file import PolicyFileError

    try:
        policy_for(settings)
    except PolicyFileError as error:
        fail(str(error))


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """`1 outage`, `2 outages`."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def fail(message: str, code: int = 2) -> NoReturn:
    # The message is plain text: escaped, so an install hint's `[dashboard]` is not taken for markup and dropped.
    stderr().print(f"[red]error:[/red] {escape(message)}", markup=True, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def read_input(path: str) -> bytes:
    import sys

    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror or error}")
