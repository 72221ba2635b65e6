"""A scripted `strands.models.Model`: replays tool calls, final answers, text, delays and errors, so the real
Strands agent loop runs with no network. Every request it receives is recorded for assertions."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncGenerator, AsyncIterable, Callable
from dataclasses import dataclass, field
from typing import Any

from strands.models import Model

ANSWER_TOOL = "RoutingAnswer"


@dataclass
class Step:
    """One model response: tool calls, text, an exception to raise, or a delay before the response."""

    tool_calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    text: str = ""
    error: BaseException | None = None
    delay_s: float = 0.0
    output_tokens: int = 40


def call(name: str, **arguments: Any) -> Step:
    return Step(tool_calls=[(name, arguments)])


def answer(category: str, team: str, evidence: list[str] | None = None, **extra: Any) -> Step:
    return call(ANSWER_TOOL, category=category, team=team, evidence=evidence or [], **extra)


def text(value: str) -> Step:
    return Step(text=value)


def fail(error: BaseException) -> Step:
    return Step(error=error)


class ScriptedModel(Model):
    def __init__(self, steps: list[Step] | Callable[[dict[str, Any]], Step], model_id: str = "scripted-model") -> None:
        self.steps = steps
        self.config = {"model_id": model_id}
        self.requests: list[dict[str, Any]] = []
        self._ids = itertools.count(1)

    def update_config(self, **model_config: Any) -> None:
        self.config.update(model_config)

    def get_config(self) -> dict[str, Any]:
        return self.config

    def _next(self, request: dict[str, Any]) -> Step:
        if callable(self.steps):
            return self.steps(request)
        if not self.steps:
            raise RuntimeError("script exhausted")
        return self.steps.pop(0)

    async def stream(self, messages, tool_specs=None, system_prompt=None, *, tool_choice=None,  # type: ignore[no-untyped-def, override]
                     **kwargs: Any) -> AsyncIterable[dict[str, Any]]:
        request = {"messages": json.loads(json.dumps(messages, default=str)), "system_prompt": system_prompt,
                   "tools": [spec["name"] for spec in tool_specs or []], "tool_choice": tool_choice}
        self.requests.append(request)
        step = self._next(request)
        if step.delay_s:
            await asyncio.sleep(step.delay_s)
        if step.error is not None:
            raise step.error
        yield {"messageStart": {"role": "assistant"}}
        if step.text:
            yield {"contentBlockStart": {"start": {}}}
            yield {"contentBlockDelta": {"delta": {"text": step.text}}}
            yield {"contentBlockStop": {}}
        for name, arguments in step.tool_calls:
            tool_use_id = f"tooluse_{next(self._ids)}"
            yield {"contentBlockStart": {"start": {"toolUse": {"name": name, "toolUseId": tool_use_id}}}}
            yield {"contentBlockDelta": {"delta": {"toolUse": {"input": json.dumps(arguments)}}}}
            yield {"contentBlockStop": {}}
        yield {"messageStop": {"stopReason": "tool_use" if step.tool_calls else "end_turn"}}
        input_tokens = len(json.dumps(request)) // 4
        yield {"metadata": {"usage": {"inputTokens": input_tokens, "outputTokens": step.output_tokens,
                                      "totalTokens": input_tokens + step.output_tokens},
                            "metrics": {"latencyMs": int(step.delay_s * 1000)}}}

    async def structured_output(self, output_model, prompt, system_prompt=None, **kwargs: Any) -> AsyncGenerator[Any, None]:  # type: ignore[no-untyped-def, override]
        raise NotImplementedError("the agent loop gets structured output through the answer tool")
        yield  # pragma: no cover


def agent_engine(router: Any, model: Any, **options: Any) -> Any:
    """An AgentEngine over `router` whose provider is `model` (a ScriptedModel or a real provider object)."""
    from ticket_router.engines.agent import AgentEngine

    options.setdefault("provider", "scripted")
    options.setdefault("model_id", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")
    return AgentEngine(router, lambda: model, **options)


def make_ticket(router: Any, text: str, **fields: Any) -> Any:
    """A ticket created at the router's clock time (so ages are zero unless a test says otherwise)."""
    from ticket_router.domain import Ticket

    return Ticket(ticket_id=str(fields.pop("ticket_id", "T-1")), description=text, created_at=router.clock(),
                  **fields)
