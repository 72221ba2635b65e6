"""The 7 tools. Each is a plain typed function returning a small typed result; the local router calls them
directly and the LLM agent sees the same functions through thin wrappers."""

from ticket_router.tools.classify import Classification, classify_issue
from ticket_router.tools.customer import CustomerContext, check_vip_status
from ticket_router.tools.entities import Entities, extract_entities
from ticket_router.tools.history import History, get_historical_context
from ticket_router.tools.priority import PriorityAssessment, calculate_priority
from ticket_router.tools.routing import Routing, route_to_team
from ticket_router.tools.service_status import ServiceStatus, check_service_status

__all__ = [
    "Classification", "CustomerContext", "Entities", "History", "PriorityAssessment", "Routing", "ServiceStatus",
    "calculate_priority", "check_service_status", "check_vip_status", "classify_issue", "extract_entities",
    "get_historical_context", "route_to_team",
]
