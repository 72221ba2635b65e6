"""`ticket-router serve`, `keys`, `outbox` and `db`: running the HTTP service and looking after it.

FastAPI, uvicorn and httpx are imported only inside the commands that need them (the `service` extra).
"""

from __future__ import annotations

import sys
from contextlib import closing
from typing import Annotated, cast

import typer

from ticket_router.cli.common import DbOption, PolicyOption, fail, settings_with
from ticket_router.domain import utcnow
from ticket_router.settings import Settings
from ticket_router.store.service import ServiceStore

keys_app = typer.Typer(help="API keys for the HTTP service (stored as hashes).", no_args_is_help=True)
outbox_app = typer.Typer(help="Messages to the ticketing system: deliver, inspect, re-send.", no_args_is_help=True)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)


def _need_service_extra() -> None:
    try:
        import fastapi  # noqa: F401
        import httpx  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        fail("the service needs the 'service' extra: pip install 'ticket-router[service]'")


def _store(settings: Settings) -> ServiceStore:
    from ticket_router.bootstrap import open_configured_store

    return cast(ServiceStore, open_configured_store(settings))


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    db: DbOption = None,
    policy: PolicyOption = None,
) -> None:
    """Run the HTTP API (one process; the ticketing-system delivery worker runs inside it)."""
    _need_service_extra()
    import uvicorn

    from ticket_router.api import create_app
    from ticket_router.api.logs import configure_json_logging

    settings = settings_with(db, policy=policy)  # a bad policy file stops it here, before it listens
    # A service logs what it does: INFO (JSON lines, no customer text) unless TICKET_ROUTER_LOG_LEVEL says otherwise.
    configure_json_logging(settings.log_level if "log_level" in settings.model_fields_set else "INFO")
    app = create_app(settings)
    if not (settings.api_key_list() or settings.admin_api_key_list()) and not app.state.services.store.list_api_keys():
        sys.stderr.write("warning: no API keys yet: set TICKET_ROUTER_API_KEYS or run `ticket-router keys create`;"
                         " every /v1 request will get 401\n")
    uvicorn.run(app, host=host, port=port, workers=1, access_log=False, log_config=None,
                timeout_graceful_shutdown=10)


# keys ------------------------------------------------------------------------------------------------------
@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="Who or what uses the key.")] = "",
    admin: Annotated[bool, typer.Option("--admin", help="An administrator key: it may also change the routing "
                                        "model through /v1/models (promote, rollback, shadow).")] = False,
    db: DbOption = None,
) -> None:
    """Create a key. It is printed once, here, and stored only as a hash."""
    from ticket_router.apikeys import create_key

    with closing(_store(settings_with(db))) as store:
        record, key = create_key(store, name, admin=admin)
    kind = "administrator key" if admin else "key"
    sys.stderr.write(f"created {kind} {record.key_id}{f' ({name})' if name else ''}; it is shown only once:\n")
    sys.stdout.write(key + "\n")


@keys_app.command("list")
def keys_list(db: DbOption = None) -> None:
    """List keys: id, created, state, role (admin or standard), name. The keys themselves are not stored."""
    with closing(_store(settings_with(db))) as store:
        records = store.list_api_keys()
    for record in records:
        state = f"revoked {record.revoked_at:%Y-%m-%d %H:%M}" if record.revoked_at else "active"
        role = "admin" if record.admin else "standard"
        sys.stdout.write(f"{record.key_id}\t{record.created_at:%Y-%m-%d %H:%M}\t{state}\t{role}\t{record.name}\n")
    if not records:
        sys.stderr.write("no keys\n")


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key id shown by `keys list`.")],
                db: DbOption = None) -> None:
    """Revoke a key: requests with it get 401 from now on."""
    with closing(_store(settings_with(db))) as store:
        revoked = store.revoke_api_key(key_id, utcnow())
    if not revoked:
        fail(f"no active key {key_id}", code=1)
    sys.stderr.write(f"revoked {key_id}\n")


# outbox ----------------------------------------------------------------------------------------------------
@outbox_app.command("deliver")
def outbox_deliver(db: DbOption = None) -> None:
    """Send every message that is due now, once (one-shot; the server's worker does this continuously)."""
    _need_service_extra()
    from ticket_router.outbox import DeliveryWorker, build_adapter

    settings = settings_with(db)
    adapter = build_adapter(settings)
    if adapter is None:
        fail("TICKET_ROUTER_TICKETING_URL is not set")
    store = _store(settings)
    worker = DeliveryWorker(store, adapter)
    try:
        report = worker.drain()
        counts = store.outbox_counts()
    finally:
        worker.stop()
        adapter.close()
        store.close()
    sys.stdout.write(f"delivered {report.delivered}, failed {report.failed} (will retry), "
                     f"dead-lettered {report.dead}; pending {counts.pending}, dead letters {counts.dead}\n")
    if report.failed or report.dead:
        raise typer.Exit(1)


@outbox_app.command("list")
def outbox_list(
    dead: Annotated[bool, typer.Option("--dead", help="List dead letters instead of pending messages.")] = False,
    limit: Annotated[int, typer.Option(min=1)] = 100,
    db: DbOption = None,
) -> None:
    """Pending messages (or, with --dead, the dead-letter table)."""
    with closing(_store(settings_with(db))) as store:
        if dead:
            for item in store.list_dead_letters(limit):
                sys.stdout.write(f"{item.decision_id}\t{item.ticket_id}\tattempts={item.attempts}\t"
                                 f"dead {item.dead_at:%Y-%m-%d %H:%M:%S}\t{item.last_error or ''}\n")
        else:
            for message in store.list_outbox(limit=limit):
                sys.stdout.write(f"{message.decision_id}\t{message.ticket_id}\tattempts={message.attempts}\t"
                                 f"next {message.next_attempt_at:%Y-%m-%d %H:%M:%S}\t{message.last_error or ''}\n")
        counts = store.outbox_counts()
    sys.stderr.write(f"pending {counts.pending}, delivered {counts.delivered}, dead letters {counts.dead}\n")


@outbox_app.command("retry")
def outbox_retry(
    decision_ids: Annotated[list[str] | None, typer.Argument(help="Dead letters to re-send (default: all).")] = None,
    db: DbOption = None,
) -> None:
    """Move dead letters back to the outbox, with a fresh set of attempts."""
    with closing(_store(settings_with(db))) as store:
        moved = store.retry_dead_letters(decision_ids or None, utcnow())
    sys.stderr.write(f"{moved} message(s) queued for delivery\n")
    if decision_ids and moved < len(decision_ids):
        raise typer.Exit(1)


# db --------------------------------------------------------------------------------------------------------
@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Apply pending schema migrations (the server also does this when it starts)."""
    from ticket_router.store.migrate import upgrade_database

    url, _ = settings_with(db).database()
    applied, version = upgrade_database(url)
    sys.stderr.write(f"applied {', '.join(map(str, applied)) or 'nothing'}; schema version {version}\n")
