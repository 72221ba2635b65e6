"""`/v1/models` on the real app, on SQLite and PostgreSQL: list, promote (served at once), shadow, compare,
rollback; the existing API-key auth, and an administrator key for the three that change the routing model."""

from __future__ import annotations

import pytest
from apitest import ADMIN_AUTH, ADMIN_KEY, AUTH, make_settings
from fastapi.testclient import TestClient
from learning import shipped_version

from ticket_router.api import create_app
from ticket_router.apikeys import create_key
from ticket_router.domain import utcnow
from ticket_router.store.versions import ACTIVE, SHADOW

ADMIN_REQUIRED = "changing the routing model needs an administrator API key (ticket-router keys create --admin)"


@pytest.fixture
def models_client(service_store):  # type: ignore[no-untyped-def]
    service_store.add_model_version(shipped_version("1-op1", training={"count": 24}))
    service_store.add_model_version(shipped_version("1-op2"))
    # No router passed in: the app builds its own, which follows the store's active and shadow versions.
    with TestClient(create_app(make_settings(admin_api_keys=ADMIN_KEY), store=service_store),
                    headers=ADMIN_AUTH) as client:
        yield client


def test_models_need_an_api_key(models_client):
    assert models_client.get("/v1/models", headers={"Authorization": ""}).status_code == 401
    assert models_client.post("/v1/models/1-op1/promote", headers={"Authorization": "Bearer wrong-key-000000000"}
                              ).status_code == 401


def test_a_key_that_is_not_an_administrators_reads_but_cannot_change_the_model(models_client, service_store):
    stored, stored_key = create_key(service_store, "dashboard")  # `keys create` without --admin
    assert stored.admin is False
    models_client.put("/v1/models/shadow", json={"version": "1-op1"})  # the administrator sets a shadow
    # (The client sends the administrator's bearer by default: blanked here, so the key under test is the one used.)
    for number, headers in enumerate([AUTH, {"Authorization": "", "X-API-Key": stored_key}]):
        changes = [models_client.post("/v1/models/1-op2/promote", headers=headers),
                   models_client.post("/v1/models/nope/promote", headers=headers),  # 403 before looking it up
                   models_client.post("/v1/models/rollback", headers=headers),
                   models_client.put("/v1/models/shadow", json={"version": None}, headers=headers),
                   models_client.put("/v1/models/shadow", json={"bad": 1}, headers=headers)]  # 403 before the body
        assert [r.status_code for r in changes] == [403] * 5
        assert {r.headers["content-type"] for r in changes} == {"application/json"}
        assert all(r.json() == {"detail": ADMIN_REQUIRED} for r in changes)
        listed = models_client.get("/v1/models", headers=headers)
        assert listed.status_code == 200 and (listed.json()["active"], listed.json()["shadow"]) == (None, "1-op1")
        assert models_client.get("/v1/models/1-op1/compare", headers=headers).status_code == 200
        assert models_client.post("/v1/tickets", json={"ticket_id": f"N-{number}", "description": "no signal"},
                                  headers=headers).status_code == 201  # every other /v1 route as before
    assert (service_store.model_pointer(ACTIVE), service_store.model_pointer(SHADOW)) == (None, "1-op1")


def test_a_stored_administrator_key_changes_the_model_until_revoked(models_client, service_store):
    record, key = create_key(service_store, "ops lead", admin=True)  # what `keys create --admin` does
    headers = {"Authorization": f"Bearer {key}"}
    promoted = models_client.post("/v1/models/1-op2/promote", headers=headers)
    assert promoted.status_code == 200 and promoted.json()["active"] == "1-op2"
    assert models_client.put("/v1/models/shadow", json={"version": "1-op1"}, headers=headers).json()["shadow"] == "1-op1"
    assert models_client.post("/v1/models/rollback", headers=headers).json()["active"] is None
    assert service_store.revoke_api_key(record.key_id, utcnow())
    assert models_client.post("/v1/models/1-op2/promote", headers=headers).status_code == 401


def test_the_schema_documents_the_administrator_key(models_client):
    paths = models_client.get("/openapi.json").json()["paths"]
    for path, method in [("/v1/models/{version}/promote", "post"), ("/v1/models/rollback", "post"),
                         ("/v1/models/shadow", "put")]:
        operation = paths[path][method]
        assert "403" in operation["responses"] and "administrator key" in operation["description"], path
    for path in ("/v1/models", "/v1/models/{version}/compare"):
        operation = paths[path]["get"]
        assert "403" not in operation["responses"] and "Any valid API key" in operation["description"], path


def test_list_promote_and_rollback(models_client):
    listed = models_client.get("/v1/models").json()
    assert listed["active"] is None and [v["version"] for v in listed["versions"]] == ["1-op1", "1-op2"]
    assert listed["versions"][0]["meta"]["training"] == {"count": 24}
    shipped = listed["serving"]
    promoted = models_client.post("/v1/models/1-op2/promote").json()
    assert promoted["active"] == "1-op2" and promoted["serving"].endswith("/1-op2")
    decision = models_client.post("/v1/tickets", json={"ticket_id": "P1", "description": "charged twice"}).json()
    assert decision["model"]["version"] == "1-op2"
    assert models_client.post("/v1/models/rollback").json()["serving"] == shipped
    assert models_client.post("/v1/models/rollback").status_code == 409
    assert models_client.post("/v1/models/nope/promote").status_code == 404


def test_shadow_scores_live_tickets_and_compare_reports_them(models_client):
    assert models_client.put("/v1/models/shadow", json={"version": "nope"}).status_code == 404
    assert models_client.put("/v1/models/shadow", json={"version": "1-op1"}).json()["shadow"] == "1-op1"
    models_client.post("/v1/tickets", json={"ticket_id": "S1", "description": "charged twice"})
    batch = [{"ticket_id": f"S{i}", "description": "no signal since the storm"} for i in range(2, 5)]
    models_client.post("/v1/tickets/batch", json={"tickets": batch})
    models_client.post("/v1/tickets/S1/feedback", json={"team": "Billing Support"})
    report = models_client.get("/v1/models/1-op1/compare").json()
    # The shadow is the shipped model under another version label: it agrees with every live decision.
    assert (report["tickets"], report["agreement"], report["judged"]) == (4, 1.0, 1)
    assert report["shadow_accuracy"] == report["active_accuracy"] == 1.0
    assert models_client.put("/v1/models/shadow", json={"version": None}).json()["shadow"] is None
    assert models_client.get("/v1/models/nope/compare").status_code == 404


def test_a_promotion_made_elsewhere_is_served_after_the_next_poll(service_store):
    import time

    service_store.add_model_version(shipped_version("1-op7"))
    with TestClient(create_app(make_settings(model_poll_s=1), store=service_store), headers=AUTH) as client:
        service_store.promote_model("1-op7", utcnow())  # as `ticket-router models promote` would, from outside
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not client.get("/readyz").json()["checks"]["model"].endswith("/1-op7"):
            time.sleep(0.2)
        assert client.get("/readyz").json()["checks"]["model"].endswith("/1-op7")
