"""The HTTP API (FastAPI). Needs the `service` extra; import `create_app` only when serving. The schemas and input
checks (`api.schemas`, `api.validation`) need no FastAPI: the Lambda handlers validate with them too."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ticket_router.api.app import create_app


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from ticket_router.api.app import create_app

        return create_app
    raise AttributeError(name)


__all__ = ["create_app"]
