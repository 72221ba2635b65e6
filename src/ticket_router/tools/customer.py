"""Tool 3: check_vip_status — who the customer is: VIP flag, account type, plan and region."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from ticket_router.domain import AccountType
from ticket_router.store.base import CustomerLookup


class CustomerContext(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    customer_id: str | None
    known: bool
    vip: bool = False
    account_type: AccountType = AccountType.CONSUMER
    plan: str = ""
    region: str = ""
    name: str = ""

    def describe(self) -> str:
        if not self.known:
            return "unknown customer (treated as a standard consumer)" if self.customer_id else "no customer id"
        standing = "VIP " if self.vip else ""
        place = f" in {self.region}" if self.region else ""
        return f"{standing}{self.account_type.value} customer{place}"


def check_vip_status(customer_id: str | None, store: CustomerLookup) -> CustomerContext:
    """Look up the customer: VIP flag, account type (consumer/business/enterprise), plan and region.
    Unknown or missing customers get a standard-consumer default with `known=False`."""
    if not customer_id:
        return CustomerContext(customer_id=None, known=False)
    customer = store.get_customer(customer_id)
    if customer is None:
        return CustomerContext(customer_id=customer_id, known=False)
    return CustomerContext(known=True, **customer.model_dump())
