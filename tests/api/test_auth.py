"""Every /v1 route needs a valid key (env or stored, not revoked); probes and /metrics do not."""

from __future__ import annotations

import logging

import pytest
from apitest import KEY
from fastapi.testclient import TestClient

from ticket_router.apikeys import ApiKeyVerifier, Caller, create_key, hash_key

TICKET = {"ticket_id": "AUTH-1", "description": "I was charged twice for my mobile plan"}


@pytest.fixture
def anonymous(app_factory):  # type: ignore[no-untyped-def]
    with TestClient(app_factory()) as test_client:
        yield test_client


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer wrong-key-0123456789abcdef"},
    {"Authorization": f"Basic {KEY}"},
    {"X-API-Key": KEY + "x"},
    {"Authorization": "Bearer "},
])
def test_missing_or_wrong_key_is_401(anonymous, headers):
    for method, path in [("post", "/v1/tickets"), ("get", "/v1/tickets/AUTH-1"), ("get", "/v1/stats"),
                         ("post", "/v1/outages"), ("put", "/v1/customers/C-1")]:
        response = getattr(anonymous, method)(path, headers=headers, **({"json": TICKET} if method != "get" else {}))
        assert response.status_code == 401, (method, path)
        assert response.json() == {"detail": "missing or invalid API key"}
        assert response.headers["www-authenticate"] == "Bearer"


def test_bearer_and_x_api_key_both_work(anonymous):
    assert anonymous.post("/v1/tickets", json=TICKET, headers={"Authorization": f"Bearer {KEY}"}).status_code == 201
    assert anonymous.get("/v1/tickets/AUTH-1", headers={"X-API-Key": KEY}).status_code == 200


def test_probes_and_metrics_need_no_key(anonymous):
    assert anonymous.get("/healthz").json() == {"status": "ok", "checks": {}}
    ready = anonymous.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["database"] == "ok"
    assert anonymous.get("/metrics").status_code == 200
    assert anonymous.get("/openapi.json").status_code == 200


def test_stored_key_works_until_revoked(anonymous, service_store):
    record, key = create_key(service_store, "crm")
    stored = service_store.find_api_key(hash_key(key))
    assert stored is not None and stored.key_id == record.key_id
    assert key not in str([r.model_dump() for r in service_store.list_api_keys()])  # only the hash is stored
    headers = {"X-API-Key": key}
    assert anonymous.get("/v1/stats", headers=headers).status_code == 200
    from ticket_router.domain import utcnow

    assert service_store.revoke_api_key(record.key_id, utcnow())
    assert anonymous.get("/v1/stats", headers=headers).status_code == 401
    assert not service_store.revoke_api_key(record.key_id, utcnow())


def test_keys_and_customer_text_never_logged_at_info(anonymous, caplog):
    from ticket_router.api.logs import CorrelationFilter, JsonFormatter

    caplog.handler.addFilter(CorrelationFilter())
    secret_text = "my secret home address is 12 Elm Street"
    with caplog.at_level(logging.INFO):
        anonymous.post("/v1/tickets", json={"ticket_id": "LOG-1", "description": secret_text},
                       headers={"Authorization": f"Bearer {KEY}"})
        anonymous.get("/v1/stats", headers={"X-API-Key": "wrong-key-0123456789abcdef"})
    formatter = JsonFormatter()
    lines = [formatter.format(record) for record in caplog.records]
    assert any('"ticket_id": "LOG-1"' in line and '"request_id"' in line for line in lines)
    assert any('"route": "/v1/tickets"' in line and '"status": 201' in line for line in lines)
    joined = "\n".join(lines)
    assert KEY not in joined and "wrong-key" not in joined and "Elm Street" not in joined


def test_environment_keys_are_standard_keys_unless_listed_as_administrators():
    plain, admin, both = "plain-key-0123456789", "admin-key-0123456789", "both-key-0123456789"
    verifier = ApiKeyVerifier([plain, both], None, admin_env_keys=[admin, both])
    assert verifier.check(plain) == Caller("env-1", admin=False)
    assert verifier.check(admin) == Caller("env-admin-1", admin=True)
    assert verifier.check(both) == Caller("env-admin-2", admin=True)  # listed as an administrator: it is one
    assert verifier.check("wrong-key-0123456789") is None and verifier.check(None) is None


def test_an_administrator_key_alone_opens_every_route_and_is_never_logged(app_factory, caplog):
    admin = "only-admin-key-0123456789"
    with TestClient(app_factory(api_keys=None, admin_api_keys=admin)) as client, caplog.at_level(logging.INFO):
        assert client.post("/v1/tickets", json=TICKET, headers={"X-API-Key": admin}).status_code == 201
        assert client.get("/v1/stats", headers={"Authorization": f"Bearer {admin}"}).status_code == 200
        assert client.get("/v1/stats", headers={"Authorization": f"Bearer {KEY}"}).status_code == 401
    assert admin not in "\n".join(record.getMessage() + str(record.__dict__) for record in caplog.records)
    assert any(getattr(record, "api_key_id", None) == "env-admin-1" for record in caplog.records)
