"""`--help` that reads the way click's own help does: a flag takes no value, so it shows none (typer would print
`--json <bool>`), and an argument is `FILE` / `[INPUT]` in the usage line (typer would print `{file}`)."""

from __future__ import annotations

from types import MethodType
from typing import Any

import typer
from typer.core import TyperArgument, TyperOption


def _usage_name(argument: TyperArgument) -> str:
    name = (argument.metavar or argument.name or "arg").upper()
    name = name if argument.required else f"[{name}]"
    return name + ("..." if argument.nargs != 1 else "")


def plain_metavars(command: Any) -> Any:
    """Adjust the help of a typer-built command and of every subcommand in place; returns it."""
    for param in command.get_params(typer.Context(command)):
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""
        elif isinstance(param, TyperArgument):
            usage = _usage_name(param)
            param.get_usage_pieces = MethodType(lambda self, ctx, usage=usage: [usage], param)  # type: ignore[method-assign]
    for sub in getattr(command, "commands", {}).values():
        plain_metavars(sub)
    return command
