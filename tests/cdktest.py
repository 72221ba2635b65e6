"""Helpers for the CDK template tests in tests/infrastructure/."""

from __future__ import annotations

from typing import Any

STAGES = ("dev", "staging", "prod")
CASCADE = "TicketRouter-dev-cascade"  # dev with the cascade engine: the router may call Bedrock


def resources(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == kind}


def ref_id(value: Any) -> str:
    """The logical id a `{"Ref": id}` or `{"Fn::GetAtt": [id, attr]}` points at."""
    return value["Ref"] if "Ref" in value else value["Fn::GetAtt"][0]
