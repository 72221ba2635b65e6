"""Reading an operator's routing policy file (TOML, or YAML when PyYAML is installed) into a `RoutingPolicy`.

The file holds names and numbers only, under the `RoutingPolicy` field names; every key it leaves out keeps the
built-in policy's value (a table such as `category_team` is merged entry by entry). Anything unknown or out of
range is refused when the file is read, naming it, so a typo stops the program at start and not mid-routing.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ticket_router.policy import DEFAULT_POLICY, RoutingPolicy

SUFFIXES = (".toml", ".yaml", ".yml")
# Tables merged entry by entry over the built-in policy's, so a file can change one team of the map or add a
# category. (`team_descriptions` is not merged: a built-in team of the map keeps its built-in description unless
# the file gives one, and a new team must have one; see `RoutingPolicy`.)
MERGED = ("category_team", "score_thresholds", "outage_values", "category_severity", "weights")


class PolicyFileError(ValueError):
    """A policy file that cannot be used; the message is `policy FILE: reason`."""


def load_policy(path: Path) -> RoutingPolicy:
    try:
        return policy_from_data(_read(path))
    except PolicyFileError as error:
        raise PolicyFileError(f"policy {path}: {error}") from None


def policy_from_data(data: Any) -> RoutingPolicy:
    if not isinstance(data, Mapping):
        raise PolicyFileError("the file must hold a table of settings (key = value)")
    version = data.get("version")
    if version is None:
        raise PolicyFileError("`version` is required: a name for this policy, recorded in every decision")
    if version == DEFAULT_POLICY.version:
        raise PolicyFileError(f"`version` must differ from the built-in policy's {DEFAULT_POLICY.version!r}")
    base = DEFAULT_POLICY.model_dump(exclude={"team_descriptions"})
    merged = {**base, **data}
    for key in MERGED:
        if isinstance(data.get(key), Mapping):
            merged[key] = {**base[key], **data[key]}
    try:
        return RoutingPolicy.model_validate(merged)
    except ValidationError as error:
        raise PolicyFileError("; ".join(_reason(e) for e in error.errors())) from None


def _read(path: Path) -> Any:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise PolicyFileError(f"unsupported file type {suffix or '(none)'!r}; use {', '.join(SUFFIXES)}")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyFileError(f"cannot read it: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise PolicyFileError("not UTF-8 text") from None
    if suffix == ".toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise PolicyFileError(f"not valid TOML: {error}") from None
    try:
        import yaml
    except ImportError:
        raise PolicyFileError("a YAML policy needs PyYAML (pip install pyyaml); or write it as .toml") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise PolicyFileError(f"not valid YAML: {' '.join(str(error).split())}") from None


def _reason(error: Any) -> str:
    where = ".".join(str(part) for part in error["loc"] if part != "[key]")
    if error["type"] == "extra_forbidden":
        return f"unknown key {where!r}"
    message = str(error["ctx"]["error"]) if error["type"] == "value_error" else str(error["msg"])
    return message if error["type"] == "unknown_name" or not where else f"{where}: {message}"
