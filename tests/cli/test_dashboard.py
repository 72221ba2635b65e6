"""`ticket-router dashboard`: the Streamlit command it becomes (the browser test starts it for real)."""

from __future__ import annotations

import socket

import pytest

from ticket_router.cli.dashboard import app_path, streamlit_command


def _flags(command: list[str]) -> dict[str, str]:
    return dict(arg.removeprefix("--").split("=", 1) for arg in command if arg.startswith("--"))


def test_the_server_never_phones_home_nor_shows_stack_traces() -> None:
    command = streamlit_command(8600, "127.0.0.1")
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4] == str(app_path()) and app_path().is_file()
    flags = _flags(command)
    assert flags["browser.gatherUsageStats"] == "false" and flags["server.headless"] == "true"
    assert flags["client.showErrorDetails"] == "none"
    assert flags["server.port"] == "8600" and flags["server.address"] == "127.0.0.1"


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_on_every_interface_streamlit_is_told_its_address_rather_than_looking_it_up(host: str) -> None:
    flags = _flags(streamlit_command(8501, host))
    assert flags["server.address"] == host and flags["browser.serverAddress"] == socket.gethostname()
