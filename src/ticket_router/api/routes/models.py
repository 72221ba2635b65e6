"""`/v1/models`: the model versions kept in the store: list, promote, roll back, shadow, compare. Under the same
API-key auth as every `/v1` route; the three that change which model routes (promote, rollback, shadow) need an
administrator key besides, so a ticketing system's integration key cannot swap the model. Reading (list, compare)
is open to any valid key: a reporting key may show the figures. A change made here is swapped into this process
at once; other processes pick it up at their next poll (`TICKET_ROUTER_MODEL_POLL_S`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, status
from pydantic import BaseModel, ConfigDict, Field

from ticket_router.api.deps import Services, ServicesDep, require_admin_key
from ticket_router.api.errors import ADMIN_ONLY, NOT_FOUND
from ticket_router.domain import utcnow
from ticket_router.model.compare import ShadowReport, compare_shadow
from ticket_router.model.versions import check_version
from ticket_router.policy import PolicyMismatch
from ticket_router.store.versions import ACTIVE, SHADOW, ModelVersionStore, UnknownVersion

router = APIRouter(prefix="/models", tags=["models"])

VERSION_PATTERN = r"^[\w.+-]+$"
Version = Annotated[str, Path(min_length=1, max_length=100, pattern=VERSION_PATTERN)]
ADMIN = [Depends(require_admin_key)]  # the docstrings below are the OpenAPI descriptions: they say who may call


class ModelVersionPublic(BaseModel):
    name: str
    version: str
    created_at: datetime
    base: str
    status: str
    meta: dict[str, Any]


class ModelsPublic(BaseModel):
    active: str | None = Field(description="the active stored version; null: the shipped model")
    shadow: str | None
    serving: str = Field(description="name/version of the model routing in this process now")
    versions: list[ModelVersionPublic]


class ShadowCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str | None = Field(min_length=1, max_length=100, pattern=VERSION_PATTERN,
                                description="the version to shadow; null: stop shadowing")


def _store(services: Services) -> ModelVersionStore:
    if not isinstance(services.store, ModelVersionStore):
        raise HTTPException(status.HTTP_501_NOT_IMPLEMENTED, "this store does not keep model versions")
    return services.store


def _overview(services: Services) -> ModelsPublic:
    store = _store(services)
    if services.router.watcher is not None:
        services.router.watcher.refresh()  # this process serves the change at once
    info = services.router.classifier.info
    return ModelsPublic(active=store.model_pointer(ACTIVE), shadow=store.model_pointer(SHADOW),
                        serving=f"{info.name}/{info.version}",
                        versions=[ModelVersionPublic.model_validate(v.model_dump()) for v in store.list_model_versions()])


@router.get("", response_model=ModelsPublic)
def list_models(services: ServicesDep) -> ModelsPublic:
    """Every stored version with its metadata (training data, cross-validated figures); active and shadow.

    Any valid API key."""
    return _overview(services)


@router.post("/{version}/promote", response_model=ModelsPublic, dependencies=ADMIN,
             responses={**ADMIN_ONLY, **NOT_FOUND,
                        409: {"description": "the version predicts categories the policy lacks"}})
def promote_model(version: Version, services: ServicesDep) -> ModelsPublic:
    """Make a stored version the active model; 409 when it predicts categories this service's policy lacks.

    Needs an administrator key (`ticket-router keys create --admin`, or one in `TICKET_ROUTER_ADMIN_API_KEYS`);
    any other valid key gets 403."""
    store = _store(services)
    found = store.get_model_version(version)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "unknown model version")
    try:
        check_version(found, services.router.policy)
        store.promote_model(version, utcnow())
    except UnknownVersion:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "unknown model version") from None
    except PolicyMismatch as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from None
    return _overview(services)


@router.post("/rollback", response_model=ModelsPublic, dependencies=ADMIN,
             responses={**ADMIN_ONLY, 409: {"description": "nothing to roll back"}})
def rollback_model(services: ServicesDep) -> ModelsPublic:
    """Make the version that was active before the current one active again (or the shipped model).

    Needs an administrator key (`ticket-router keys create --admin`, or one in `TICKET_ROUTER_ADMIN_API_KEYS`);
    any other valid key gets 403."""
    try:
        _store(services).rollback_model(utcnow())
    except LookupError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from None
    return _overview(services)


@router.put("/shadow", response_model=ModelsPublic, responses={**ADMIN_ONLY, **NOT_FOUND}, dependencies=ADMIN)
def set_shadow(body: ShadowCreate, services: ServicesDep) -> ModelsPublic:
    """Let a version score live traffic silently beside the active model (null stops it).

    Needs an administrator key (`ticket-router keys create --admin`, or one in `TICKET_ROUTER_ADMIN_API_KEYS`);
    any other valid key gets 403."""
    try:
        _store(services).set_shadow_model(body.version, utcnow())
    except UnknownVersion:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "unknown model version") from None
    return _overview(services)


@router.get("/{version}/compare", response_model=ShadowReport, responses=NOT_FOUND)
def compare_model(version: Version, services: ServicesDep) -> ShadowReport:
    """A shadow version against the live decisions: agreement, and accuracy of each against feedback.

    Any valid API key."""
    store = _store(services)
    if store.get_model_version(version) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "unknown model version")
    return compare_shadow(version, store.list_shadow_predictions(version), services.store.list_feedback())
