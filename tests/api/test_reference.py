"""Customers and outages pushed over the API change how tickets are routed."""

from __future__ import annotations


def test_customer_put_then_vip_shows_in_decision(client):
    response = client.put("/v1/customers/C-77", json={"name": "Acme", "vip": True, "account_type": "enterprise",
                                                      "region": "North"})
    assert response.status_code == 200 and response.json()["customer_id"] == "C-77"
    assert client.get("/v1/customers/C-77").json()["vip"] is True
    decision = client.post("/v1/tickets", json={"ticket_id": "V1", "customer_id": "C-77",
                                                "description": "cannot log in to my account"}).json()
    assert decision["vip"] is True
    assert client.put("/v1/customers/C-78", json={"account_type": "galactic"}).status_code == 400
    assert client.get("/v1/customers/NOPE").status_code == 404


def test_outage_push_and_resolve(client):
    created = client.post("/v1/outages", json={"outage_id": "O-1", "service": "internet", "region": "North",
                                               "severity": "major", "description": "fibre cut"})
    assert created.status_code == 201 and created.json()["ended_at"] is None
    assert [o["outage_id"] for o in client.get("/v1/outages", params={"active": True}).json()] == ["O-1"]
    decision = client.post("/v1/tickets", json={"ticket_id": "O-T1", "description":
                                                "no internet at home in the North region"}).json()
    assert "O-1" in decision["active_outages"]
    resolved = client.post("/v1/outages/O-1/resolve")
    assert resolved.status_code == 200 and resolved.json()["ended_at"] is not None
    assert client.get("/v1/outages", params={"active": True}).json() == []
    assert client.post("/v1/outages/NOPE/resolve").status_code == 404
    assert client.post("/v1/outages", json={"outage_id": "O-2", "service": "fax", "region": "N",
                                            "severity": "major"}).status_code == 400


def test_outage_times_must_be_date_times_not_numbers(client):
    base = {"outage_id": "O-9", "service": "tv", "region": "North", "severity": "minor"}
    for bad in (0, 1.5, "0", "2026-11-25", "soon"):
        response = client.post("/v1/outages", json={**base, "started_at": bad})
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == "started_at", bad
    good = client.post("/v1/outages", json={**base, "started_at": "2026-11-25T08:00:00+01:00"})
    assert good.status_code == 201 and good.json()["started_at"].startswith("2026-11-25T07:00:00")
    assert client.post("/v1/outages/O-9/resolve", json={"ended_at": 1}).status_code == 400
