"""`ticket-router db upgrade`, `keys create|list|revoke` and `outbox deliver|list|retry`, through the real console
entry point in a subprocess, on both storage backends."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from backends import backend_url  # noqa: F401 - fixture: both backends
from conftest import NOW
from servers import receiver
from sqlalchemy import text
from test_store_helpers import decision, ticket_for

from ticket_router.apikeys import hash_key
from ticket_router.outbox.message import build_message
from ticket_router.store import open_store
from ticket_router.store.schema import MIGRATIONS

TOKEN = "ticketing-token-0123456789"


def cli(args: list[str], url: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("TICKET_ROUTER_")}
    environ.update({"HOME": str(tmp_path), "TICKET_ROUTER_DATABASE_URL": url, **env})
    return subprocess.run([sys.executable, "-m", "ticket_router", *args], capture_output=True, text=True,
                          env=environ, timeout=120, check=False)


def test_db_upgrade_applies_every_migration_once(backend_url, tmp_path):
    latest = MIGRATIONS[-1][0]
    first = cli(["db", "upgrade"], backend_url, tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stderr.strip() == f"applied {', '.join(str(v) for v, _ in MIGRATIONS)}; schema version {latest}"
    again = cli(["db", "upgrade"], backend_url, tmp_path)
    assert again.returncode == 0 and again.stderr.strip() == f"applied nothing; schema version {latest}"


def test_keys_are_shown_once_stored_as_hashes_listed_and_revoked(backend_url, tmp_path):
    created = cli(["keys", "create", "--name", "crm"], backend_url, tmp_path)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert len(key) > 40 and key not in created.stderr
    store = open_store(backend_url)
    try:
        with store.engine.connect() as conn:
            rows = [tuple(map(str, row)) for row in conn.execute(text("SELECT * FROM api_keys"))]
        assert len(rows) == 1 and hash_key(key) in rows[0]
        assert not any(key in value for value in rows[0])  # only the hash is at rest
        (record,) = store.list_api_keys()
    finally:
        store.close()
    listed = cli(["keys", "list"], backend_url, tmp_path)
    assert listed.stdout.split("\t")[0] == record.key_id and "\tactive\tstandard\tcrm" in listed.stdout
    assert key not in listed.stdout
    revoked = cli(["keys", "revoke", record.key_id], backend_url, tmp_path)
    assert revoked.returncode == 0 and "revoked" in cli(["keys", "list"], backend_url, tmp_path).stdout
    again = cli(["keys", "revoke", record.key_id], backend_url, tmp_path)
    assert again.returncode == 1 and "no active key" in again.stderr


def test_an_administrator_key_made_by_the_cli_may_change_the_model_and_a_standard_one_may_not(backend_url, tmp_path):
    from apitest import make_settings
    from fastapi.testclient import TestClient
    from learning import shipped_version

    from ticket_router.api import create_app

    admin = cli(["keys", "create", "--admin", "--name", "ops lead"], backend_url, tmp_path)
    assert admin.returncode == 0 and admin.stderr.startswith("created administrator key "), admin.stderr
    standard = cli(["keys", "create", "--name", "crm"], backend_url, tmp_path)
    assert standard.returncode == 0 and standard.stderr.startswith("created key ")
    listed = sorted(line.split("\t")[3:] for line in cli(["keys", "list"], backend_url, tmp_path).stdout.splitlines())
    assert listed == [["admin", "ops lead"], ["standard", "crm"]]
    store = open_store(backend_url)
    try:
        store.add_model_version(shipped_version("1-op1"))
        with TestClient(create_app(make_settings(), store=store)) as client:
            as_standard = client.post("/v1/models/1-op1/promote", headers={"X-API-Key": standard.stdout.strip()})
            assert as_standard.status_code == 403 and "keys create --admin" in as_standard.json()["detail"]
            as_admin = client.post("/v1/models/1-op1/promote", headers={"X-API-Key": admin.stdout.strip()})
            assert as_admin.status_code == 200 and as_admin.json()["active"] == "1-op1"
    finally:
        store.close()


def test_outbox_deliver_list_dead_letters_and_retry(backend_url, tmp_path):
    store = open_store(backend_url)
    try:
        made = [decision(t) for t in ("O-1", "O-2")]
        store.save_new_decisions([(ticket_for(d.ticket_id), d, build_message(d, NOW)) for d in made])
        for message in store.claim_due_messages(NOW, 10, 30):  # as if both had failed every retry
            store.dead_letter(message.id, "HTTP 503", NOW)
    finally:
        store.close()
    with receiver() as endpoint:
        env = {"TICKET_ROUTER_TICKETING_URL": endpoint.url, "TICKET_ROUTER_TICKETING_TOKEN": TOKEN}
        dead = cli(["outbox", "list", "--dead"], backend_url, tmp_path)
        assert sorted(line.split("\t")[1] for line in dead.stdout.splitlines()) == ["O-1", "O-2"]
        assert "HTTP 503" in dead.stdout and "dead letters 2" in dead.stderr
        nothing = cli(["outbox", "deliver"], backend_url, tmp_path, **env)
        assert nothing.returncode == 0 and nothing.stdout.startswith("delivered 0,") and endpoint.requests == []
        retried = cli(["outbox", "retry", "d-O-1"], backend_url, tmp_path)
        assert retried.returncode == 0 and "1 message(s) queued" in retried.stderr
        assert cli(["outbox", "retry", "no-such-id"], backend_url, tmp_path).returncode == 1
        pending = cli(["outbox", "list"], backend_url, tmp_path)
        assert [line.split("\t")[1] for line in pending.stdout.splitlines()] == ["O-1"]
        sent = cli(["outbox", "deliver"], backend_url, tmp_path, **env)
        assert sent.returncode == 0, sent.stderr
        assert sent.stdout.strip() == "delivered 1, failed 0 (will retry), dead-lettered 0; pending 0, dead letters 1"
        assert [r.headers["idempotency-key"] for r in endpoint.requests] == ["d-O-1"]
        endpoint.mode = "fail"
        assert cli(["outbox", "retry"], backend_url, tmp_path).returncode == 0  # all the rest
        failed = cli(["outbox", "deliver"], backend_url, tmp_path, **env)
        assert failed.returncode == 1 and failed.stdout.startswith("delivered 0, failed 1 (will retry)")
    unset = cli(["outbox", "deliver"], backend_url, tmp_path)
    assert unset.returncode == 2 and "TICKET_ROUTER_TICKETING_URL" in unset.stderr
