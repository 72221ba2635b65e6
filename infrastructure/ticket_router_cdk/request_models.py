"""API Gateway request models from the service's own pydantic schemas, so the gateway refuses what the HTTP service
would refuse. API Gateway speaks JSON Schema draft 4 and resolves no local `$ref`: references are inlined and the
keywords it has no use for (titles, examples, defaults) dropped."""

from __future__ import annotations

from typing import Any

DRAFT_4 = "http://json-schema.org/draft-04/schema#"
# The gateway's 400 for a body the model refuses, in the HTTP service's shape. API Gateway's message names a missing
# field (`object has missing required properties (["ticket_id"])`); for other faults it quotes the rule and value.
BAD_BODY_TEMPLATE = ('{"detail": "invalid input", "errors": [{"field": "body", '
                     '"message": "$context.error.validationErrorString"}]}')
_DROPPED = frozenset({"title", "examples", "default"})


def draft4(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` (pydantic's JSON Schema) as a self-contained draft-4 schema."""
    definitions = schema.get("$defs", {})

    def convert(node: Any) -> Any:
        if isinstance(node, list):
            return [convert(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            name = node["$ref"].removeprefix("#/$defs/")
            if name not in definitions:
                raise ValueError(f"unresolvable $ref {node['$ref']!r}")
            return convert({**definitions[name], **{k: v for k, v in node.items() if k != "$ref"}})
        result: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DROPPED or key == "$defs":
                continue
            if key == "properties":  # property names are data, not keywords: never drop one called "title"
                result[key] = {name: convert(sub) for name, sub in value.items()}
            else:
                result[key] = convert(value)
        return result

    return {"$schema": DRAFT_4, **convert(schema)}


def ticket_schema() -> dict[str, Any]:
    from ticket_router.api.schemas import TicketCreate

    return draft4(TicketCreate.model_json_schema())


def feedback_schema() -> dict[str, Any]:
    """A feedback's `team` must be one of the policy's. The stack's functions run the built-in policy (it sets no
    TICKET_ROUTER_POLICY), so the gateway takes the built-in policy's teams."""
    from ticket_router.api.schemas import FeedbackCreate
    from ticket_router.policy import DEFAULT_POLICY

    schema = draft4(FeedbackCreate.model_json_schema())
    schema["properties"]["team"]["enum"] = [team.value for team in DEFAULT_POLICY.teams]
    return schema
