"""`/v1/models` on the real app, on SQLite and PostgreSQL: list, promote (served at once), shadow, compare,
rollback; the existing API-key auth."""

from __future__ import annotations

import pytest
from apitest import AUTH, make_settings
from fastapi.testclient import TestClient
from learning import shipped_version

from ticket_router.api import create_app


@pytest.fixture
def models_client(service_store):  # type: ignore[no-untyped-def]
    service_store.add_model_version(shipped_version("1-op1", training={"count": 24}))
    service_store.add_model_version(shipped_version("1-op2"))
    # No router passed in: the app builds its own, which follows the store's active and shadow versions.
    with TestClient(create_app(make_settings(), store=service_store), headers=AUTH) as client:
        yield client


def test_models_need_an_api_key(models_client):
    assert models_client.get("/v1/models", headers={"Authorization": ""}).status_code == 401
    assert models_client.post("/v1/models/1-op1/promote", headers={"Authorization": "Bearer wrong-key-000000000"}
                              ).status_code == 401


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

    from ticket_router.domain import utcnow

    service_store.add_model_version(shipped_version("1-op7"))
    with TestClient(create_app(make_settings(model_poll_s=1), store=service_store), headers=AUTH) as client:
        service_store.promote_model("1-op7", utcnow())  # as `ticket-router models promote` would, from outside
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not client.get("/readyz").json()["checks"]["model"].endswith("/1-op7"):
            time.sleep(0.2)
        assert client.get("/readyz").json()["checks"]["model"].endswith("/1-op7")
