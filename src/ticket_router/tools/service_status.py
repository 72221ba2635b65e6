"""Tool 4: check_service_status — active outages that match the customer's region and affected service."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ticket_router.domain import Outage, Service, Severity
from ticket_router.store.base import Store

_SEVERITY_RANK = {Severity.CRITICAL: 3, Severity.MAJOR: 2, Severity.MINOR: 1}


class ServiceStatus(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    region: str | None
    services: list[Service]
    matching_outages: list[Outage] = Field(default_factory=list)

    @property
    def in_outage(self) -> bool:
        return bool(self.matching_outages)

    @property
    def worst(self) -> Outage | None:
        return max(self.matching_outages, key=lambda o: _SEVERITY_RANK[o.severity], default=None)


def matching_outages(
    outages: list[Outage], region: str | None, services: list[Service], at: datetime
) -> list[Outage]:
    """Outages active at `at` in `region` (case-insensitive) on one of `services`; any service when none named."""
    if not region:
        return []
    wanted = set(services)
    return [
        outage
        for outage in outages
        if outage.is_active(at)
        and outage.region.casefold() == region.casefold()
        and (not wanted or outage.service in wanted)
    ]


def check_service_status(
    region: str | None, services: list[Service], store: Store, at: datetime
) -> ServiceStatus:
    """Find active outages in the customer's region on the affected service(s)."""
    found = matching_outages(store.list_outages(active_at=at), region, services, at) if region else []
    return ServiceStatus(region=region, services=services, matching_outages=found)
