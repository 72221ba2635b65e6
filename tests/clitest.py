"""The real console entry point in a subprocess, in a clean environment and a home of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(args: list[str], tmp_path: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("TICKET_ROUTER_")}
    environ.update({"XDG_DATA_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path), "COLUMNS": "200", **(env or {})})
    return subprocess.run([sys.executable, "-m", "ticket_router", *args], capture_output=True, text=True,
                          env=environ, timeout=120)
