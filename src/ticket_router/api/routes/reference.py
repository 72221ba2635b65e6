"""`/v1/customers` and `/v1/outages`: the reference data routing reads, pushed by CRM and network monitoring."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Path, Query, status

from ticket_router.api.deps import StoreDep
from ticket_router.api.errors import NOT_FOUND
from ticket_router.api.schemas import (
    CONTROL_CHARS,
    CustomerPublic,
    CustomerUpdate,
    OutageCreate,
    OutagePublic,
    OutageResolve,
)
from ticket_router.api.validation import build, utc_datetime
from ticket_router.domain import Customer, Outage, utcnow

router = APIRouter(tags=["reference data"])

RefId = Annotated[str, Path(min_length=1, max_length=100, pattern=f"^[^{CONTROL_CHARS}]+$")]


@router.put("/customers/{customer_id}", response_model=CustomerPublic)
def put_customer(customer_id: RefId, body: CustomerUpdate, store: StoreDep) -> CustomerPublic:
    """Create or replace a customer."""
    customer = build(Customer, customer_id=customer_id, **body.model_dump())
    store.upsert_customers([customer])
    return CustomerPublic.model_validate(customer.model_dump())


@router.get("/customers/{customer_id}", response_model=CustomerPublic, responses=NOT_FOUND)
def read_customer(customer_id: RefId, store: StoreDep) -> CustomerPublic:
    customer = store.get_customer(customer_id)
    if customer is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "unknown customer")
    return CustomerPublic.model_validate(customer.model_dump())


@router.post("/outages", status_code=status.HTTP_201_CREATED, response_model=OutagePublic)
def create_outage(body: OutageCreate, store: StoreDep) -> OutagePublic:
    """Record (or replace) an outage; tickets routed from now on see it."""
    fields = body.model_dump()
    fields["started_at"] = fields["started_at"] or utcnow()
    outage = build(Outage, **fields)
    store.upsert_outages([outage])
    return OutagePublic.model_validate(outage.model_dump())


@router.get("/outages", response_model=list[OutagePublic])
def list_outages(store: StoreDep,
                 active: Annotated[bool, Query(description="only outages active now")] = False) -> list[OutagePublic]:
    return [OutagePublic.model_validate(o.model_dump()) for o in store.list_outages(utcnow() if active else None)]


@router.post("/outages/{outage_id}/resolve", response_model=OutagePublic, responses=NOT_FOUND)
def resolve_outage(outage_id: RefId, store: StoreDep,
                   body: Annotated[OutageResolve | None, Body()] = None) -> OutagePublic:
    ended_at = utc_datetime((body.ended_at if body else None) or utcnow(), "ended_at")
    found = next((o for o in store.list_outages() if o.outage_id == outage_id), None)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "unknown outage")
    outage = build(Outage, **{**found.model_dump(), "ended_at": ended_at})  # 400 when it would end before it started
    store.resolve_outage(outage_id, ended_at)
    return OutagePublic.model_validate(outage.model_dump())
