"""The HTTP API (FastAPI). Needs the `service` extra; import `create_app` only when serving."""

from ticket_router.api.app import create_app

__all__ = ["create_app"]
