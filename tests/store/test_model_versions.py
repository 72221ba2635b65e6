"""Model versions, pointers and shadow predictions on both SQL backends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from backends import database_url
from conftest import NOW, ticket
from learning import shipped_version

from ticket_router.store.versions import (
    ACTIVE,
    SHADOW,
    ModelVersionStore,
    ShadowPrediction,
    UnknownVersion,
    VersionExists,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request, tmp_path):
    """Model versions live in the SQL stores only: the DynamoDB store (the serverless chain) routes with the
    shipped model and has no version registry."""
    yield from database_url(request.param, tmp_path)


def test_the_sql_store_keeps_model_versions(service_store):
    assert isinstance(service_store, ModelVersionStore)


def test_versions_round_trip_and_a_published_version_never_changes(service_store):
    version = shipped_version("1-op1", training={"sha256": "ab" * 32, "count": 30})
    service_store.add_model_version(version)
    found = service_store.get_model_version("1-op1")
    assert found.payload == version.payload and found.meta["training"]["count"] == 30
    with pytest.raises(VersionExists):
        service_store.add_model_version(shipped_version("1-op1"))
    listed = service_store.list_model_versions()
    assert [v.version for v in listed] == ["1-op1"] and not hasattr(listed[0], "payload")
    assert service_store.get_model_version("nope") is None


def test_promote_and_rollback_walk_back_through_the_history(service_store):
    for label in ("a", "b", "c"):
        service_store.add_model_version(shipped_version(label))
    assert service_store.model_pointer(ACTIVE) is None
    stamp = service_store.model_pointer_stamp()
    service_store.promote_model("a", NOW)
    service_store.promote_model("b", NOW)
    assert service_store.model_pointer_stamp() != stamp
    assert service_store.model_pointer(ACTIVE) == "b"
    statuses = {v.version: v.status for v in service_store.list_model_versions()}
    assert statuses == {"a": "retired", "b": "active", "c": "candidate"}
    assert service_store.rollback_model(NOW) == "a"
    assert service_store.model_pointer(ACTIVE) == "a"
    assert service_store.rollback_model(NOW) is None  # back to the shipped model
    with pytest.raises(LookupError):
        service_store.rollback_model(NOW)
    with pytest.raises(UnknownVersion):
        service_store.promote_model("zzz", NOW)


def test_shadow_pointer_and_predictions(service_store):
    service_store.add_model_version(shipped_version("s1"))
    service_store.set_shadow_model("s1", NOW)
    assert service_store.model_pointer(SHADOW) == "s1"
    with pytest.raises(UnknownVersion):
        service_store.set_shadow_model("nope", NOW)
    rows = [ShadowPrediction(ticket_id=f"T{i}", decision_id=f"d{i}", model_name="m", model_version="s1",
                             team="Billing Support", category="Billing Dispute", confidence=0.9,
                             predicted_at=NOW + timedelta(seconds=i), active_team="Billing Support",
                             active_model="m/1") for i in range(3)]
    service_store.save_shadow_predictions(rows)
    assert service_store.list_shadow_predictions("s1") == rows
    assert service_store.list_shadow_predictions("other") == []
    service_store.set_shadow_model(None, NOW)
    assert service_store.model_pointer(SHADOW) is None


def test_decisions_are_listed_with_their_model(service_store, classifier):
    from ticket_router.policy import RoutingPolicy
    from ticket_router.router import Router

    Router(classifier, service_store, RoutingPolicy(), clock=lambda: NOW).route(ticket("refund me", ticket_id="X1"))
    [row] = service_store.list_model_decisions()
    assert (row.ticket_id, row.model_name, row.model_version) == ("X1", classifier.info.name, classifier.info.version)
    assert service_store.list_model_decisions(since=NOW + timedelta(days=1)) == []
