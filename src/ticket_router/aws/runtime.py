"""What a Lambda container builds once and reuses across invocations: settings, the store, the event bus, the
engines, the ticketing adapter. Built on the first invocation that needs each part, never at import; tests call
`reset()` after changing the environment."""

from __future__ import annotations

from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from ticket_router.settings import Settings, get_settings

if TYPE_CHECKING:
    from ticket_router.aws.events import EventBus
    from ticket_router.engines.base import Engine
    from ticket_router.outbox.adapters import HttpJsonAdapter
    from ticket_router.policy import RoutingPolicy
    from ticket_router.router import Router
    from ticket_router.store.dynamodb import DynamoStore

SECRET_MAX_AGE_S = 300  # a rotated ticketing token is picked up within five minutes


class MissingSetting(RuntimeError):
    pass


class Runtime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engines: dict[str, Engine] = {}
        self._adapter: tuple[str | None, HttpJsonAdapter] | None = None

    def _require(self, name: str) -> Any:
        value = getattr(self.settings, name)
        if not value:
            raise MissingSetting(f"TICKET_ROUTER_{name.upper()} is not set")
        return value

    @cached_property
    def store(self) -> DynamoStore:
        from ticket_router.store.dynamodb import DynamoStore

        return DynamoStore.from_url(self._require("database_url"))

    @cached_property
    def bus(self) -> EventBus:
        import boto3

        from ticket_router.aws.events import EventBus

        return EventBus(boto3.client("events"), self._require("event_bus"))

    @cached_property
    def sqs(self) -> Any:
        import boto3

        return boto3.client("sqs")

    @cached_property
    def policy(self) -> RoutingPolicy:
        """The routing policy alone (the API function checks feedback against it without loading a model)."""
        from ticket_router.bootstrap import policy_for

        return policy_for(self.settings)

    @cached_property
    def router(self) -> Router:
        from ticket_router.bootstrap import build_router

        return build_router(self.settings, self.store)

    def engine(self, name: str | None) -> Engine:
        """The engine `name` (default: TICKET_ROUTER_ENGINE) through the engine factory, so `cascade` and `agent`
        use Bedrock as configured and the default model is whatever the registry ships."""
        from ticket_router.engines.factory import engine_for

        key = name or self.settings.engine
        if key not in self._engines:
            self._engines[key] = engine_for(self.settings, self.router, key)
        return self._engines[key]

    def token(self) -> str | None:
        """The ticketing token: from Secrets Manager (cached for a few minutes), else from the settings."""
        if self.settings.ticketing_token_secret:
            from aws_lambda_powertools.utilities.parameters import get_secret

            return str(get_secret(self.settings.ticketing_token_secret, max_age=SECRET_MAX_AGE_S))
        return self.settings.ticketing_token.get_secret_value() if self.settings.ticketing_token else None

    def adapter(self) -> HttpJsonAdapter:
        """The ticketing adapter, made again only when the token changed (a rotation)."""
        from ticket_router.outbox.adapters import HttpJsonAdapter

        token = self.token()
        if self._adapter is None or self._adapter[0] != token:
            if self._adapter is not None:
                self._adapter[1].close()
            self._adapter = (token, HttpJsonAdapter(self._require("ticketing_url"), token,
                                                    timeout=self.settings.ticketing_timeout_s))
        return self._adapter[1]

    @cached_property
    def idempotency(self) -> Any:
        from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

        return DynamoDBPersistenceLayer(table_name=self._require("idempotency_table"))


@cache
def runtime() -> Runtime:
    return Runtime(get_settings())


def reset() -> None:
    """Forget everything built (tests: after changing the environment or the fake AWS)."""
    from ticket_router.aws import observability

    runtime.cache_clear()
    get_settings.cache_clear()
    observability.reset()
    try:
        from aws_lambda_powertools.utilities import parameters
    except ImportError:
        return
    parameters.clear_caches()  # the cached secret and the provider's client, made against another environment
    parameters.base.DEFAULT_PROVIDERS.clear()
