"""Bedrock's Converse API answered by botocore's `Stubber`, under the real Strands `BedrockModel` built by our
provider code: the request is validated against the service's own schema, and every call is recorded."""

from __future__ import annotations

import json
from typing import Any

from botocore.stub import Stubber

ANSWER_TOOL = "RoutingAnswer"


def converse_reply(content: list[dict[str, Any]], stop_reason: str, input_tokens: int = 1500,
                   output_tokens: int = 70) -> dict[str, Any]:
    return {"output": {"message": {"role": "assistant", "content": content}}, "stopReason": stop_reason,
            "usage": {"inputTokens": input_tokens, "outputTokens": output_tokens,
                      "totalTokens": input_tokens + output_tokens},
            "metrics": {"latencyMs": 900}}


def tool_use(name: str, arguments: dict[str, Any], tool_use_id: str = "tooluse_1", **usage: int) -> dict[str, Any]:
    return converse_reply([{"toolUse": {"toolUseId": tool_use_id, "name": name, "input": arguments}}], "tool_use",
                          **usage)


def answer_reply(category: str, team: str, evidence: list[str] | None = None, **usage: int) -> dict[str, Any]:
    return tool_use(ANSWER_TOOL, {"category": category, "team": team, "evidence": evidence or []}, **usage)


def text_reply(text: str) -> dict[str, Any]:
    return converse_reply([{"text": text}], "end_turn", output_tokens=12)


class StubbedBedrock:
    """`model` is the BedrockModel; queue responses with `reply`/`error`; `requests` holds each Converse call."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.requests: list[dict[str, Any]] = []
        model.client.meta.events.register("before-parameter-build.bedrock-runtime.Converse", self._capture)
        self.stubber = Stubber(model.client)
        self.stubber.activate()

    def _capture(self, params: dict[str, Any], **kwargs: Any) -> None:
        self.requests.append(json.loads(json.dumps(params, default=str)))

    def reply(self, response: dict[str, Any]) -> StubbedBedrock:
        self.stubber.add_response("converse", response)
        return self

    def error(self, code: str, message: str = "", status: int = 400) -> StubbedBedrock:
        self.stubber.add_client_error("converse", service_error_code=code, service_message=message,
                                      http_status_code=status)
        return self


def http_error(status: int, code: str, message: str) -> tuple[int, dict[str, Any], dict[str, str]]:
    """A Bedrock Runtime error as the service sends it over HTTP (for a local server standing in for Bedrock via
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME), so botocore's own parser turns it into a ClientError."""
    return status, {"message": message}, {"x-amzn-ErrorType": f"{code}:http://internal.amazon.com/coral/"}
