"""The 7 tools as the LLM sees them: thin Strands `@tool` wrappers around the very functions the local router calls.

Each wrapper works on the ticket being routed (passed in through the agent's invocation state, never chosen by
the model), calls the pure function from `ticket_router.tools`, and returns a small JSON object with identifiers
redacted as in the prompt. No wrapper takes a customer id: the model cannot look up anyone else. A wrapper that
fails tells the model only which tool failed and the error's type: an exception's text (SQL, parameters, paths)
never goes to an external model.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from strands import ToolContext, tool

from ticket_router.domain import Category, Service, Ticket
from ticket_router.llm.framing import neutralise_values
from ticket_router.llm.redact import Redactor
from ticket_router.router import BatchContext, Router, TicketContext
from ticket_router.tools import check_service_status as check_service_status_fn
from ticket_router.tools import check_vip_status as check_vip_status_fn
from ticket_router.tools import classify_issue as classify_issue_fn
from ticket_router.tools import extract_entities as extract_entities_fn
from ticket_router.tools import get_historical_context as get_historical_context_fn
from ticket_router.tools import route_to_team as route_to_team_fn

STATE_KEY = "ticket_router"
log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


def _tool_error(name: str, error: Exception) -> dict[str, Any]:
    log.warning("tool %s failed: %s", name, type(error).__name__)
    return {"error": f"{name} failed ({type(error).__name__}); decide from the context you already have"}


def guarded(function: F) -> F:
    """The wrapper returns a short error object instead of raising (see the module docstring), and every string in
    what it returns is neutralised (`llm/framing.py`): a customer's region or an outage id set through the API
    reaches the model as data, whatever tags it holds."""
    if inspect.iscoroutinefunction(function):
        @functools.wraps(function)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            try:
                return neutralise_values(await function(*args, **kwargs))
            except Exception as error:  # noqa: BLE001 - reported to the model by type only
                return _tool_error(function.__name__, error)

        return run_async  # type: ignore[return-value]

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return neutralise_values(function(*args, **kwargs))
        except Exception as error:  # noqa: BLE001 - reported to the model by type only
            return _tool_error(function.__name__, error)

    return run  # type: ignore[return-value]


def _unknown_category(category: Category, deps: ToolDeps) -> dict[str, Any]:
    known = ", ".join(c.value for c in deps.router.policy.categories)
    return {"error": f"unknown category {category.value!r}; the routing policy's categories: {known}"}


@dataclass
class ToolDeps:
    """What the wrappers need for one ticket; handed to the agent as invocation state."""

    router: Router
    ticket: Ticket
    context: TicketContext
    batch: BatchContext
    redact: Redactor
    specialists: Any = None  # llm.specialists.Specialists when enabled
    calls: list[str] = field(default_factory=list)


def _deps(tool_context: ToolContext, name: str) -> ToolDeps:
    deps: ToolDeps = tool_context.invocation_state[STATE_KEY]
    deps.calls.append(name)
    return deps


@tool(context=True)
@guarded
async def classify_issue(tool_context: ToolContext) -> dict[str, Any]:
    """A second opinion on the category: the embedded classifier's probability for each category for this ticket,
    and the words that drove it. Use only when the ticket is genuinely ambiguous."""
    deps = _deps(tool_context, "classify_issue")
    router = deps.router
    result = classify_issue_fn(deps.ticket.text, router.classifier, router.policy)
    answer: dict[str, Any] = {
        "embedded_model": {c.value: p for c, p in result.probabilities.items()},
        "cues": [deps.redact(w) for w in result.evidence],
    }
    if deps.specialists is not None:
        answer["specialist"] = await deps.specialists.classify()
    return answer


@tool(context=True)
@guarded
async def extract_entities(tool_context: ToolContext) -> dict[str, Any]:
    """Identifiers found in this ticket: account, phone, IMEI, circuit, invoice, error codes, amounts, the services
    it names, and a region or postcode. Personal identifiers are shown as placeholders."""
    deps = _deps(tool_context, "extract_entities")
    entities = extract_entities_fn(deps.ticket.text, deps.batch.regions)
    found = entities.model_dump(mode="json")
    for key, values in found.items():
        if isinstance(values, list):
            found[key] = [deps.redact(v) if isinstance(v, str) else v for v in values]
    if deps.specialists is not None:
        found["specialist"] = await deps.specialists.extract()
    return found


@tool(context=True)
@guarded
def check_vip_status(tool_context: ToolContext) -> dict[str, Any]:
    """Who this ticket's customer is: VIP flag, account type (consumer/business/enterprise), plan and region."""
    deps = _deps(tool_context, "check_vip_status")
    customer = check_vip_status_fn(deps.ticket.customer_id, deps.router.store)
    return customer.model_dump(mode="json", exclude={"name", "customer_id"})


@tool(context=True)
@guarded
def check_service_status(
    tool_context: ToolContext, region: str | None = None, services: list[Service] | None = None
) -> dict[str, Any]:
    """Active outages in a region on the given services. Defaults: the customer's region and the services the
    ticket names. Use it to check a different region or service than the context already covers.

    Args:
        region: Region to check, e.g. "North"; omit for the customer's region.
        services: Services to check; omit for the ones the ticket names.
    """
    deps = _deps(tool_context, "check_service_status")
    region = region or deps.context.status.region
    services = services if services is not None else deps.context.status.services
    status = check_service_status_fn(region, list(services), deps.router.store, deps.batch.now)
    return {
        "region": status.region,
        "services": [s.value for s in status.services],
        "active_outages": [o.model_dump(mode="json", exclude={"description"}) for o in status.matching_outages],
    }


@tool(context=True)
@guarded
def get_historical_context(tool_context: ToolContext) -> dict[str, Any]:
    """This customer's recent tickets (date, category, team, priority) within the repeat-contact window."""
    deps = _deps(tool_context, "get_historical_context")
    router = deps.router
    history = get_historical_context_fn(deps.ticket.customer_id, router.store, deps.batch.now, router.policy)
    return {
        "summary": history.describe(),
        "repeat_contact": history.repeat_contact,
        "recent": [past.model_dump(mode="json", include={"created_at", "category", "team", "priority"})
                   for past in history.recent],
    }


@tool(context=True)
@guarded
def calculate_priority(tool_context: ToolContext, category: Category) -> dict[str, Any]:
    """Informational: the priority the system's rules would give this ticket if it had `category`. You do not
    set the priority; the system computes it from your category after you answer.

    Args:
        category: The category to assume.
    """
    deps = _deps(tool_context, "calculate_priority")
    category = Category(category)  # Strands hands over the JSON string
    if category not in deps.router.policy.category_team:
        return _unknown_category(category, deps)
    result = deps.router.priority(deps.ticket, category, deps.context, deps.batch.now)
    return {"priority": result.priority.value, "score": result.score, "rules": result.rules}


@tool(context=True)
@guarded
def route_to_team(tool_context: ToolContext, category: Category) -> dict[str, Any]:
    """Informational: the team the routing policy assigns to `category`.

    Args:
        category: The category to look up.
    """
    deps = _deps(tool_context, "route_to_team")
    category = Category(category)  # Strands hands over the JSON string
    if category not in deps.router.policy.category_team:
        return _unknown_category(category, deps)
    routing = route_to_team_fn({category: 1.0}, deps.router.policy)
    return {"category": category.value, "team": routing.team.value}


TOOLS = [classify_issue, extract_entities, check_vip_status, check_service_status, get_historical_context,
         calculate_priority, route_to_team]
