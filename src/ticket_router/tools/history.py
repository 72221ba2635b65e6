"""Tool 7: get_historical_context — the customer's recent tickets and the decisions they got."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from ticket_router.domain import Category
from ticket_router.policy import RoutingPolicy
from ticket_router.store.base import HistoryLookup, PastTicket


class History(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    customer_id: str | None
    window_days: int
    recent: list[PastTicket] = Field(default_factory=list)
    repeat_contact: bool = False

    def same_category(self, category: Category) -> int:
        return sum(1 for past in self.recent if past.category == category)

    def describe(self) -> str:
        if not self.recent:
            return f"no tickets in the last {self.window_days} days"
        counts = Counter(past.category.value for past in self.recent)
        listed = ", ".join(f"{n} {name}" for name, n in counts.most_common())
        return f"{len(self.recent)} ticket(s) in the last {self.window_days} days ({listed})"


def get_historical_context(
    customer_id: str | None, store: HistoryLookup, now: datetime, policy: RoutingPolicy
) -> History:
    """The customer's tickets within the policy's repeat-contact window; repeat contact raises attention."""
    window = policy.repeat_contact_days
    if not customer_id:
        return History(customer_id=None, window_days=window)
    recent = store.customer_history(customer_id, since=now - timedelta(days=window))
    return History(
        customer_id=customer_id,
        window_days=window,
        recent=recent,
        repeat_contact=len(recent) >= policy.repeat_contact_threshold,
    )
