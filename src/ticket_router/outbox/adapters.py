"""Ticketing-system adapters, picked by name (`TICKET_ROUTER_TICKETING_ADAPTER`). One today: JSON over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from ticket_router.settings import Settings
from ticket_router.store.service import PendingMessage

if TYPE_CHECKING:
    import httpx


class DeliveryError(Exception):
    """The ticketing system did not take the message; it will be retried."""


class TicketingAdapter(Protocol):
    name: str

    def deliver(self, message: PendingMessage) -> None:
        """Send one message; return when the receiver accepted it, raise `DeliveryError` otherwise."""
        ...

    def close(self) -> None: ...


class HttpJsonAdapter:
    """POSTs the message JSON with `Authorization: Bearer <token>` and `Idempotency-Key: <decision id>`, so the
    receiver can drop a message it already has (a retry after a lost response sends it twice)."""

    name = "http-json-v1"

    def __init__(self, url: str, token: str | None = None, timeout: float = 5.0,
                 client: httpx.Client | None = None) -> None:
        import httpx

        self.url = url
        self._headers = {"Content-Type": "application/json", "User-Agent": "ticket-router"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self._client = client or httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False)

    def deliver(self, message: PendingMessage) -> None:
        import httpx

        headers = {**self._headers, "Idempotency-Key": message.decision_id}
        try:
            response = self._client.post(self.url, content=message.payload.encode("utf-8"), headers=headers)
        except httpx.TimeoutException:
            raise DeliveryError("timed out") from None
        except httpx.HTTPError as error:
            raise DeliveryError(f"connection failed ({type(error).__name__})") from None
        if not 200 <= response.status_code < 300:
            raise DeliveryError(f"HTTP {response.status_code}")

    def close(self) -> None:
        self._client.close()


def _http_json(settings: Settings) -> TicketingAdapter:
    assert settings.ticketing_url is not None
    token = settings.ticketing_token.get_secret_value() if settings.ticketing_token else None
    return HttpJsonAdapter(settings.ticketing_url, token, timeout=settings.ticketing_timeout_s)


ADAPTERS: dict[str, Callable[[Settings], TicketingAdapter]] = {
    "http-json-v1": _http_json,
}


class UnknownAdapter(ValueError):
    pass


def build_adapter(settings: Settings) -> TicketingAdapter | None:
    """The configured adapter, or None when no ticketing URL is set (then no outbox messages are written)."""
    if not settings.ticketing_url:
        return None
    try:
        factory = ADAPTERS[settings.ticketing_adapter]
    except KeyError:
        raise UnknownAdapter(f"unknown ticketing adapter {settings.ticketing_adapter!r}; "
                             f"known: {', '.join(sorted(ADAPTERS))}") from None
    return factory(settings)
