"""The `ticket-router` command line: parse, call the router, render. No traceback reaches the user."""

from __future__ import annotations

import logging
import sys

import typer

from ticket_router.cli import agent, aws, cost, dashboard, data, models, route, service
from ticket_router.cli.help import plain_metavars

app = typer.Typer(
    help="Route telecom support tickets to the right team, offline.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command()(route.route)
app.command()(route.demo)
app.command()(data.train)
app.command()(data.evaluate)
app.add_typer(data.import_app, name="import")
app.command()(dashboard.dashboard)
app.command()(service.serve)
app.add_typer(service.keys_app, name="keys")
app.add_typer(service.outbox_app, name="outbox")
app.add_typer(service.db_app, name="db")
app.add_typer(agent.agent_app, name="agent")
app.command()(models.learn)
app.add_typer(models.models_app, name="models")
app.command()(cost.cost)
app.add_typer(aws.aws_app, name="aws")


def main() -> None:
    from ticket_router.policy import PolicyMismatch
    from ticket_router.settings import SettingsError, get_settings

    try:
        level = get_settings().log_level.upper()
    except (SettingsError, ValueError) as error:
        sys.stderr.write(f"error: invalid configuration: {error}\n")
        raise SystemExit(2) from None
    logging.basicConfig(level=getattr(logging, level, logging.WARNING), stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        plain_metavars(typer.main.get_command(app))(prog_name="ticket-router")
    except PolicyMismatch as error:  # the model and the policy do not fit: say which, no traceback
        sys.stderr.write(f"error: {error}\n")
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None
    except Exception as error:  # noqa: BLE001 - the last line of defence: a message, never a traceback
        logging.getLogger("ticket_router").debug("unexpected error", exc_info=True)
        sys.stderr.write(f"error: {type(error).__name__}: {error}\n")
        raise SystemExit(1) from None
