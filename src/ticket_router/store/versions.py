"""Model versions kept in the store: artefacts, their metadata, the active and shadow pointers, and what a shadow
model predicted for live tickets.

A separate, small protocol rather than more of `Store`: a backend without it (the DynamoDB store) still routes,
with the shipped model. `SqlStore` implements it (`store/sql_versions.py`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

ACTIVE, SHADOW = "active", "shadow"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelVersionInfo(_Record):
    """A stored model version without its artefact: what listings show."""

    name: str
    version: str
    created_at: datetime
    base: str  # "name/version" of the model it was trained from
    status: str  # candidate, active, retired, imported
    meta: dict[str, Any] = Field(default_factory=dict)  # training-data sha256 and counts, cross-validated figures


class ModelVersion(ModelVersionInfo):
    payload: bytes


class ShadowPrediction(_Record):
    ticket_id: str
    decision_id: str
    model_name: str
    model_version: str
    team: str
    category: str
    confidence: float
    predicted_at: datetime
    active_team: str  # what the live decision said, for agreement
    active_model: str  # "name/version" of the model that made the live decision


class ModelDecision(_Record):
    """A decision's ticket, time, team and the model that made it: for accuracy per model against feedback."""

    ticket_id: str
    decided_at: datetime
    team: str
    model_name: str
    model_version: str


class VersionExists(ValueError):
    pass


class UnknownVersion(LookupError):
    pass


@runtime_checkable
class ModelVersionStore(Protocol):
    def add_model_version(self, version: ModelVersion) -> None:
        """Store a new version; `VersionExists` when its version string is taken (a published version never
        changes meaning)."""
        ...

    def get_model_version(self, version: str) -> ModelVersion | None: ...

    def list_model_versions(self) -> list[ModelVersionInfo]:
        """Every stored version, oldest first, without artefacts."""
        ...

    def model_pointer(self, role: str) -> str | None:
        """The version that is `active` or `shadow` now (None: the shipped model / no shadow)."""
        ...

    def model_pointer_stamp(self) -> int:
        """A number that changes whenever a pointer changes: a cheap poll for running processes."""
        ...

    def promote_model(self, version: str, at: datetime) -> None:
        """Make a stored version active (`UnknownVersion` if it is not stored)."""
        ...

    def rollback_model(self, at: datetime) -> str | None:
        """Make the version that was active before the current one active again; returns it (None: the shipped
        model). `LookupError` when nothing was ever promoted."""
        ...

    def set_shadow_model(self, version: str | None, at: datetime) -> None: ...

    def save_shadow_predictions(self, predictions: list[ShadowPrediction]) -> None: ...

    def list_shadow_predictions(self, version: str | None = None) -> list[ShadowPrediction]:
        """One version's shadow predictions (None: every version's), oldest first."""
        ...

    def list_model_decisions(self, since: datetime | None = None) -> list[ModelDecision]:
        """Every decision since `since` with the model that made it, oldest first."""
        ...
