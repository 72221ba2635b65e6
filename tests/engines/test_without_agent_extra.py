"""The core without the `agent` extra: with Strands and the provider SDKs made unimportable, everything imports,
local routing works, and the LLM engines give flagged local decisions instead of crashing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BLOCKER = """
import importlib.abc, sys
BLOCKED = {"strands", "boto3", "botocore", "anthropic", "openai"}
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Block())
"""


def run(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("TICKET_ROUTER_", "AWS_"))}
    environ.update({"XDG_DATA_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path), "COLUMNS": "120", **env})
    return subprocess.run([sys.executable, "-c", BLOCKER + code], capture_output=True, env=environ, timeout=120)


def cli(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    return run(f"from ticket_router.cli import main; sys.argv = ['ticket-router', *{args!r}]; main()", tmp_path,
               **env)


def test_every_core_module_imports_without_the_extra(tmp_path):
    code = """
import ticket_router.cli, ticket_router.engines.factory, ticket_router.engines.agent, ticket_router.engines.cascade
import ticket_router.llm.output, ticket_router.llm.prompt, ticket_router.llm.redact, ticket_router.llm.pricing
import ticket_router.llm.errors, ticket_router.llm.providers
print(sorted(name for name in sys.modules if name.split(".")[0] in BLOCKED))
"""
    result = run(code, tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().strip() == "[]"


def test_local_routing_works_and_the_agent_engine_falls_back_flagged(tmp_path):
    local = cli(["route", "--text", "No internet since 6am", "--json"], tmp_path)
    assert local.returncode == 0, local.stderr.decode()
    assert json.loads(local.stdout)["engine"] == "local"

    agent = cli(["route", "--engine", "agent", "--text", "No internet since 6am", "--json"], tmp_path)
    assert agent.returncode == 0, agent.stderr.decode()
    decision = json.loads(agent.stdout)
    assert decision["engine"] == "agent" and decision["needs_review"]
    assert "LLM agent failed: LLM support not installed; embedded model decision used" in decision["review_reasons"]
    assert decision["team"] == json.loads(local.stdout)["team"]
    assert b"Traceback" not in agent.stderr


def test_the_cascade_from_the_environment_routes_a_batch(tmp_path):
    batch = tmp_path / "tickets.jsonl"
    batch.write_text('{"ticket_id": "A", "description": "I was charged twice for October"}\n'
                     '{"ticket_id": "B", "description": "My bill is wrong, the internet is down, I cannot log in '
                     'and the router is broken"}\n')
    result = cli(["route", str(batch)], tmp_path, TICKET_ROUTER_ENGINE="cascade")
    assert result.returncode == 0, result.stderr.decode()
    sure, unsure = (json.loads(line) for line in result.stdout.decode().splitlines())
    assert sure["engine"] == unsure["engine"] == "cascade"
    assert sure["llm"] is None and not sure["needs_review"]
    assert unsure["llm"]["escalation"] == f"confidence {unsure['confidence']:.2f} below 0.70"
    assert unsure["needs_review"] and unsure["llm"]["error"] == "config"


def test_agent_check_says_what_to_install(tmp_path):
    result = cli(["agent", "check"], tmp_path)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert "LLM support is not installed" in err and "pip install 'ticket-router[agent]'" in err
    assert "Traceback" not in err
