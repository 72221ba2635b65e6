"""The agent engine: an LLM (Claude on Bedrock by default, through Strands Agents) decides the category, with the
7 tools at hand; everything else is computed in code.

Per batch: the outage list and the embedded model's classifications are computed once, and each ticket's
customer, outage and history context is gathered up front, so the model starts with the facts in its prompt and
usually answers in one round trip. Tickets run concurrently (bounded). The answer is a validated type (policy
enums + quoted evidence); priority, confidence, review and reasoning come from `Router.assemble`.

Any failure (no credentials, timeout, throttling past the budget, malformed or out-of-policy output, a missing
`strands` install) gives that ticket the embedded model's decision with `needs_review` and a reason naming what
failed. Nothing here raises for one ticket.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ticket_router.domain import Decision, ModelInfo, Ticket
from ticket_router.llm.errors import Failure, classify_failure
from ticket_router.llm.output import AnswerBase, answer_model, blend, quoted_evidence
from ticket_router.llm.pricing import PriceTable, Usage
from ticket_router.llm.prompt import PROMPT_VERSION, system_prompt, ticket_message, ticket_text
from ticket_router.llm.redact import Redactor
from ticket_router.router import BatchContext, Router, TicketContext
from ticket_router.tools.classify import Classification

log = logging.getLogger(__name__)

DEFAULT_MAX_TURNS = 4
DEFAULT_CONCURRENCY = 4


class NoAnswer(Exception):
    """The loop ended without a validated answer (turn limit reached, or the model never called the answer tool)."""


@dataclass
class Prepared:
    """A ticket with everything the tools found before any model was asked."""

    ticket: Ticket
    local: Classification
    context: TicketContext


@dataclass
class Outcome:
    answer: AnswerBase | None
    failure: Failure | None
    source_text: str
    record: dict[str, Any] = field(default_factory=dict)
    elapsed_ms: float = 0.0


def run_coroutine(factory: Callable[[], Any], workers: int = 8) -> Any:
    """Run a coroutine to completion from sync code, also when the caller is itself inside an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _run_in_new_loop(factory, workers)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_run_in_new_loop, factory, workers).result()


def _run_in_new_loop(factory: Callable[[], Any], workers: int) -> Any:
    """Like `asyncio.run`, but with an executor sized for the batch that is not waited for at the end.

    Blocking provider clients (boto3 for Bedrock) run in executor threads, and a call cut off by the ticket budget
    cannot be interrupted: its thread ends on its own when the client's read timeout (the budget) fires.
    `asyncio.run` would wait for it before returning the batch; here the batch returns at once.
    """
    loop = asyncio.new_event_loop()
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ticket-router-llm")
    loop.set_default_executor(pool)
    try:
        return loop.run_until_complete(factory())
    finally:
        try:
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
            loop.close()


class AgentEngine:
    name = "agent"

    def __init__(
        self,
        router: Router,
        model_factory: Callable[[], Any],
        *,
        provider: str,
        model_id: str,
        budget_s: float = 8.0,
        redact: bool = True,
        prices: PriceTable | None = None,
        max_turns: int = DEFAULT_MAX_TURNS,
        concurrency: int = DEFAULT_CONCURRENCY,
        specialist_factory: Callable[[], Any] | None = None,
        specialist_model_id: str | None = None,
        cache_prompt: bool = False,
    ) -> None:
        self.router = router
        self.model_factory = model_factory
        self.provider = provider
        self.model_id = model_id
        self.budget_s = budget_s
        self.redact = redact
        self.prices = prices or PriceTable.load()
        self.max_turns = max_turns
        self.concurrency = max(1, concurrency)
        self.specialist_factory = specialist_factory
        self.specialist_model_id = specialist_model_id
        self.cache_prompt = cache_prompt
        self._answer_type = answer_model(router.policy)
        # The system prompt and the tool specs are the same for every ticket (about 95% of the input tokens): a
        # cache point after them lets Bedrock and the Anthropic API bill them at the cache-read price.
        text = system_prompt(router.policy)
        self._system_prompt: Any = [{"text": text}, {"cachePoint": {"type": "default"}}] if cache_prompt else text

    # public ----------------------------------------------------------------------------------------------
    def route(self, ticket: Ticket, save: bool = True) -> Decision:
        return self.route_many([ticket], save=save)[0]

    def route_many(self, tickets: Sequence[Ticket], save: bool = True) -> list[Decision]:
        if not tickets:
            return []
        batch, prepared, model_reasons = prepare(self.router, tickets)
        decisions = self.decide(prepared, batch, model_reasons)
        if save:
            self.router.store.save_decisions(list(zip(tickets, decisions)))
        return decisions

    def decide(self, prepared: Sequence[Prepared], batch: BatchContext, model_reasons: Sequence[str] = (),
               engine: str | None = None, notes: Sequence[dict[str, Any]] | None = None) -> list[Decision]:
        """Decisions for already-prepared tickets (the cascade calls this for the tickets it escalates, under its
        own `engine` name, with a note per ticket for the LLM record)."""
        if not prepared:
            return []
        engine = engine or self.name
        outcomes: list[Outcome] = run_coroutine(lambda: self._run_all(prepared, batch), 2 * self.concurrency + 2)
        decisions = []
        for index, (item, outcome) in enumerate(zip(prepared, outcomes)):
            outcome.record.update(engine=engine, local_category=item.local.category.value)
            if notes:
                outcome.record.update(notes[index])
            decisions.append(self._assemble(item, outcome, batch, model_reasons, engine))
        return decisions

    # the model calls -------------------------------------------------------------------------------------
    async def _run_all(self, prepared: Sequence[Prepared], batch: BatchContext) -> list[Outcome]:
        try:
            import strands  # noqa: F401 - fails here, softly, when the `agent` extra is not installed

            model = self.model_factory()
            specialist_model = self.specialist_factory() if self.specialist_factory else None
        except Exception as error:  # noqa: BLE001 - a provider that cannot be built fails every ticket, softly
            failure = classify_failure(error, self.budget_s)
            log.warning("LLM provider unavailable: %s", failure.summary)
            return [self._failed(item, batch, failure) for item in prepared]
        gate = asyncio.Semaphore(self.concurrency)

        async def one(item: Prepared) -> Outcome:
            async with gate:
                try:
                    return await self._run_one(item, batch, model, specialist_model)
                except Exception as error:  # noqa: BLE001 - a bug in one ticket's run still gives a decision
                    log.warning("agent run failed before the model call", exc_info=True)
                    return self._failed(item, batch, classify_failure(error, self.budget_s))

        return list(await asyncio.gather(*(one(item) for item in prepared)))

    async def _run_one(self, item: Prepared, batch: BatchContext, model: Any, specialist_model: Any) -> Outcome:
        from strands import Agent
        from strands.agent.conversation_manager import NullConversationManager

        from ticket_router.llm.budget import Budget, BudgetRetry, ModelCallMeter
        from ticket_router.llm.tools import STATE_KEY, TOOLS, ToolDeps

        started = time.perf_counter()
        budget = Budget(self.budget_s)
        redact = Redactor(self.redact)
        prompt = ticket_message(item.ticket, item.context, batch.now, redact)
        source = ticket_text(item.ticket, redact)
        specialists = None
        if specialist_model is not None:
            from ticket_router.llm.specialists import Specialists

            specialists = Specialists(specialist_model, self.specialist_model_id or "", budget, source,
                                      [c.value for c in self.router.policy.categories])
        deps = ToolDeps(router=self.router, ticket=item.ticket, context=item.context, batch=batch, redact=redact,
                        specialists=specialists)
        meter, retry = ModelCallMeter(), BudgetRetry(budget)
        agent = Agent(model=model, tools=list(TOOLS), system_prompt=self._system_prompt, callback_handler=None,
                      retry_strategy=None, hooks=[meter, retry], conversation_manager=NullConversationManager(),
                      name="ticket-router", structured_output_prompt="Now give your final answer with the "
                      "RoutingAnswer tool.")
        answer: AnswerBase | None = None
        failure: Failure | None = None
        try:
            result = await asyncio.wait_for(
                agent.invoke_async(prompt, structured_output_model=self._answer_type,
                                   invocation_state={STATE_KEY: deps}, limits={"turns": self.max_turns}),
                timeout=budget.remaining(),
            )
            if not isinstance(result.structured_output, AnswerBase):
                raise NoAnswer(f"no answer (stop reason {result.stop_reason})")
            answer = result.structured_output
        except Exception as error:  # noqa: BLE001 - every failure becomes a flagged fallback decision
            failure = classify_failure(error, self.budget_s)
            log.debug("agent call failed", exc_info=True)
        meter.finish()  # a call cut off by the budget still counts its time
        elapsed_ms = (time.perf_counter() - started) * 1000
        record = self._record(
            ok=answer is not None, round_trips=meter.calls, retries=retry.retries, tools=deps.calls,
            usage=Usage.from_strands(agent.event_loop_metrics.accumulated_usage), llm_ms=meter.model_s * 1000,
            total_ms=elapsed_ms, redacted=redact.counts, failure=failure,
            category=answer.category.value if answer else None, specialists=specialists,
        )
        log.info("agent routed ticket", extra={"ticket_id": item.ticket.ticket_id, "status": record["status"],
                                                "error": record["error"], "provider": self.provider,
                                                "model_id": self.model_id, "round_trips": meter.calls,
                                                "latency_ms": round(elapsed_ms, 1)})
        return Outcome(answer, failure, source, record, elapsed_ms)

    def _failed(self, item: Prepared, batch: BatchContext, failure: Failure) -> Outcome:
        record = self._record(ok=False, round_trips=0, retries=0, tools=[], usage=Usage(), llm_ms=0.0,
                              total_ms=0.0, redacted={}, failure=failure, category=None, specialists=None)
        return Outcome(None, failure, "", record)

    def _record(self, *, ok: bool, round_trips: int, retries: int, tools: list[str], usage: Usage, llm_ms: float,
                total_ms: float, redacted: dict[str, int], failure: Failure | None, category: str | None,
                specialists: Any) -> dict[str, Any]:
        """What the decision records about the LLM: engine, provider, model, round trips, tokens, latency, cost."""
        cost = self.prices.cost(self.model_id, usage)
        record: dict[str, Any] = {
            "engine": self.name, "status": "ok" if ok else "fallback", "provider": self.provider,
            "model_id": self.model_id, "prompt_version": PROMPT_VERSION, "round_trips": round_trips,
            "retries": retries, "tool_calls": tools, "input_tokens": usage.input_tokens,
            "output_tokens": usage.output_tokens, "cache_read_tokens": usage.cache_read_tokens,
            "cache_write_tokens": usage.cache_write_tokens, "llm_latency_ms": round(llm_ms, 1),
            "total_ms": round(total_ms, 1), "redacted": redacted, "llm_category": category,
            "error": failure.kind if failure else None,
        }
        if specialists is not None:
            used = dict(specialists.usage, model_id=specialists.model_id)
            extra = self.prices.cost(specialists.model_id, Usage(used["input_tokens"], used["output_tokens"]))
            cost = None if cost is None or extra is None else round(cost + extra, 6)
            record["specialists"] = used
        record["cost_usd"] = cost
        return record

    # the decision ----------------------------------------------------------------------------------------
    def _assemble(self, item: Prepared, outcome: Outcome, batch: BatchContext, model_reasons: Sequence[str],
                  engine: str) -> Decision:
        router = self.router
        if outcome.answer is None:
            failure = outcome.failure or Failure("error", "no answer")
            return router.assemble(item.ticket, item.local, item.context, batch.now,
                                   extra_review_reasons=[*model_reasons, failure.review_reason()],
                                   engine=engine, llm=outcome.record, started_ms=outcome.elapsed_ms)
        answer = outcome.answer
        evidence = quoted_evidence(answer.evidence, outcome.source_text)
        if not evidence and item.local.category == answer.category:
            evidence = list(item.local.evidence)
        info = ModelInfo(name=f"{self.provider}:{self.model_id}",
                         version=f"{PROMPT_VERSION}+{item.local.model.name}-{item.local.model.version}")
        classification = blend(item.local, answer, info, router.policy, evidence)
        return router.assemble(item.ticket, classification, item.context, batch.now,
                               extra_review_reasons=model_reasons, engine=engine, llm=outcome.record,
                               started_ms=outcome.elapsed_ms)


def prepare(router: Router, tickets: Sequence[Ticket]) -> tuple[BatchContext, list[Prepared], list[str]]:
    """One outage lookup and one embedded-model call for the batch, then each ticket's context."""
    batch = router.batch_context(tickets)
    classifications, model_reasons = router.classify([t.text for t in tickets])
    prepared = [Prepared(t, c, router.gather(t, batch)) for t, c in zip(tickets, classifications)]
    return batch, prepared, model_reasons
