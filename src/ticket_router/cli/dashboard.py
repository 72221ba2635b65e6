"""`ticket-router dashboard`: serve the web dashboard (Streamlit) on the same storage as the CLI and the API."""

from __future__ import annotations

import importlib.util
import os
import socket
import sys
from pathlib import Path
from typing import Annotated

import typer

from ticket_router.cli.common import DbOption, fail, settings_with, stderr

# Streamlit options the dashboard always runs with: no browser launch, no usage statistics, no stack traces on
# screen (pages show their own messages), and the house colours.
STREAMLIT_FLAGS = {
    "server.headless": "true",
    "browser.gatherUsageStats": "false",
    "server.fileWatcherType": "none",
    "client.showErrorDetails": "none",
    "client.toolbarMode": "viewer",
    "theme.base": "light",
    "theme.primaryColor": "#0F766E",
}


def app_path() -> Path:
    return Path(__file__).resolve().parent.parent / "dashboard" / "app.py"


def streamlit_command(port: int, host: str) -> list[str]:
    # An address Streamlit is told about is one it never looks up: on 0.0.0.0 it would otherwise ask
    # checkip.amazonaws.com for the machine's external address to print it.
    shown = socket.gethostname() if host in ("0.0.0.0", "::") else host  # noqa: S104 - comparing, not binding
    flags = {**STREAMLIT_FLAGS, "server.port": str(port), "server.address": host, "browser.serverAddress": shown}
    return [sys.executable, "-m", "streamlit", "run", str(app_path()),
            *[f"--{name}={value}" for name, value in flags.items()]]


def dashboard(
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to serve the dashboard on.")] = 8501,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (0.0.0.0 for every interface).")]
    = "127.0.0.1",
    db: DbOption = None,
) -> None:
    """Serve the web dashboard: route tickets, batches, analytics, the review queue, customers and outages."""
    if importlib.util.find_spec("streamlit") is None or importlib.util.find_spec("plotly") is None:
        fail("the dashboard needs the optional extra: pip install 'ticket-router[dashboard]'")
    settings = settings_with(db)  # fails here, with a message, on a bad configuration
    env = dict(os.environ)
    if db is not None:
        env["TICKET_ROUTER_DB"] = str(db.expanduser().resolve())
        env.pop("TICKET_ROUTER_DATABASE_URL", None)
    stderr().print(f"dashboard on http://{host}:{port}  (database: {settings.database_label()}; Ctrl-C stops it)",
                   markup=False, highlight=False)
    command = streamlit_command(port, host)
    # Become the Streamlit server rather than wait on it as a child, so a signal to this process (Ctrl-C, a
    # supervisor's SIGTERM) stops the server too instead of leaving it orphaned.
    os.execve(command[0], command, env)
