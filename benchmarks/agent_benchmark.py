"""Benchmark of the LLM engines (agent, cascade) without a network, in one run.

    python benchmarks/agent_benchmark.py [--tickets 100] [--hang-tickets 8] [--skip-hang]

Prints:
1. round trips per ticket (median, max) and the overhead per ticket outside the model call, with the scripted
   Strands model (tests/llm/scripted.py) and through a local OpenAI-compatible HTTP server (tests/llm/openai_stub.py),
   next to the local engine measured in the same run;
2. the fallback latency when the provider is down (connection refused, no AWS credentials, and a provider that
   hangs until the per-ticket budget runs out);
3. the share of tickets the cascade sends to the LLM at threshold 0.70 on the evaluation sets;
4. the expected Bedrock cost and latency per ticket, from the size of the real Converse request (captured with
   botocore's Stubber) and the price table. Token counts are estimated from characters, and the latency from stated
   assumptions: both are labelled as such; `ticket-router agent check` and tests_integ/ give the real numbers.

Timings are measured, never asserted: the machine is shared and noisy, so the local engine is the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from llm.openai_stub import StubServer, closed_port_url, tool_call_reply  # noqa: E402
from llm.scripted import ScriptedModel, Step, answer, call, text  # noqa: E402

from ticket_router.domain import Category, Decision, Ticket  # noqa: E402
from ticket_router.engines.agent import AgentEngine  # noqa: E402
from ticket_router.engines.cascade import CascadeEngine  # noqa: E402
from ticket_router.engines.factory import engine_for  # noqa: E402
from ticket_router.ingest import Accepted, read_tickets  # noqa: E402
from ticket_router.llm.pricing import PriceTable, Usage  # noqa: E402
from ticket_router.model.registry import load_classifier  # noqa: E402
from ticket_router.policy import RoutingPolicy  # noqa: E402
from ticket_router.router import Router  # noqa: E402
from ticket_router.settings import Settings  # noqa: E402
from ticket_router.store import open_store  # noqa: E402
from ticket_router.store.seed import seed_demo  # noqa: E402

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)  # the demo outages are active at this time
SONNET = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
EVAL = {"eval": ROOT / "data" / "eval" / "eval.jsonl", "longform": ROOT / "data" / "eval" / "longform.jsonl"}
DEMO_CUSTOMERS = [f"C-100{i}" for i in range(1, 9)]
# Assumptions for the Bedrock estimate (not measured here; change them on the command line).
CHARS_PER_TOKEN = 3.5  # Claude's tokenizer on English prose; JSON schemas tokenize a little worse
TOOL_USE_SYSTEM_TOKENS = 346  # Anthropic's documented tool-use system prompt (Claude 4.x, tool_choice auto)


def tickets_from(path: Path) -> list[Ticket]:
    return [item.record.model_copy(update={"created_at": NOW}) for item in read_tickets(path.read_bytes(), "jsonl")
            if isinstance(item, Accepted)]


def gold(path: Path) -> dict[str, str]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return {row["ticket_id"]: row["category"] for row in rows}


def ticket_id_in(text: str) -> str:
    """The id every benchmark ticket's text starts with (`[[T-1]] …`)."""
    return text[text.index("[[") + 2:text.index("]]")]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(decisions: list[Decision]) -> dict[str, float]:
    trips = [d.llm["round_trips"] for d in decisions]
    overhead = [d.llm["total_ms"] - d.llm["llm_latency_ms"] for d in decisions]
    model = [d.llm["llm_latency_ms"] for d in decisions]
    return {"trips_median": statistics.median(trips), "trips_max": max(trips),
            "overhead_median_ms": statistics.median(overhead), "overhead_p95_ms": pct(overhead, 0.95),
            "model_median_ms": statistics.median(model),
            "ok": sum(d.llm["status"] == "ok" for d in decisions) / len(decisions)}


def timed(function: Any, *args: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


class Bench:
    def __init__(self, folder: Path, n: int) -> None:
        self.store = open_store(f"sqlite:///{folder / 'bench.db'}")
        seed_demo(self.store, NOW)
        self.router = Router(load_classifier("tfidf-lr-v1"), self.store, RoutingPolicy(), clock=lambda: NOW)
        self.gold = gold(EVAL["eval"])
        # Every ticket's text starts with its id, so a scripted or stub reply can answer for the right ticket.
        self.tickets = [t.model_copy(update={"description": f"[[{t.ticket_id}]] {t.description}"})
                        for t in tickets_from(EVAL["eval"])[:n]]
        self.local_confidence = {d.ticket_id: d.confidence for d in self.router.route_many(self.tickets, save=False)}

    def local_ms_per_ticket(self) -> float:
        _, seconds = timed(lambda: self.router.route_many(self.tickets, save=False))
        return seconds * 1000 / len(self.tickets)

    def reply_for(self, ticket_id: str) -> tuple[str, str]:
        category = Category(self.gold[ticket_id])
        return category.value, self.router.policy.category_team[category].value

    # 1. scripted model and stub server --------------------------------------------------------------------
    def scripted(self, scenario: str) -> dict[str, float]:
        """`direct`: the answer on the first call. `tool-when-unsure`: one tool call first for the tickets the
        embedded model is unsure of (as the prompt asks). `text-first`: a text reply, then the forced answer."""
        def respond(request: dict[str, Any]) -> Step:
            ticket_id = ticket_id_in(request["messages"][0]["content"][0]["text"])
            category, team = self.reply_for(ticket_id)
            first = len(request["messages"]) == 1
            if first and scenario == "text-first":
                return text(f"This looks like {category}.")
            if first and scenario == "tool-when-unsure" and self.local_confidence[ticket_id] < 0.70:
                return call("classify_issue")
            return answer(category, team)

        engine = AgentEngine(self.router, lambda: ScriptedModel(respond), provider="scripted", model_id=SONNET,
                             concurrency=1)
        decisions, seconds = timed(lambda: engine.route_many(self.tickets, save=False))
        return {**summary(decisions), "wall_ms_per_ticket": seconds * 1000 / len(self.tickets)}

    def stub_server(self, concurrency: int) -> dict[str, float]:
        def respond(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            user = next(m for m in body["messages"] if m["role"] == "user")
            content = user["content"] if isinstance(user["content"], str) else user["content"][0]["text"]
            category, team = self.reply_for(ticket_id_in(content))
            return 200, tool_call_reply("RoutingAnswer", {"category": category, "team": team},
                                        prompt_tokens=2000, completion_tokens=60)

        with StubServer(respond) as server:
            settings = Settings(llm_provider="openai", llm_model="llama3.1", llm_base_url=server.base_url,
                                llm_concurrency=concurrency)
            engine = engine_for(settings, self.router, "agent")
            decisions, seconds = timed(lambda: engine.route_many(self.tickets, save=False))
        return {**summary(decisions), "wall_ms_per_ticket": seconds * 1000 / len(self.tickets)}

    # 2. provider down ---------------------------------------------------------------------------------------
    def down(self, name: str, settings: Settings, tickets: list[Ticket]) -> dict[str, float]:
        engine = engine_for(settings, self.router, "agent")
        decisions, seconds = timed(lambda: engine.route_many(tickets, save=False))
        errors = Counter(d.llm["error"] for d in decisions)
        per_ticket = [d.llm["total_ms"] for d in decisions]
        return {"case": name, "n": len(tickets), "errors": dict(errors),
                "wall_ms_per_ticket": seconds * 1000 / len(tickets), "ticket_ms_median": statistics.median(per_ticket),
                "ticket_ms_max": max(per_ticket), "all_flagged": all(d.needs_review for d in decisions)}

    # 3. cascade share ---------------------------------------------------------------------------------------
    def cascade_share(self, path: Path, threshold: float, customers: bool) -> dict[str, Any]:
        tickets = tickets_from(path)
        if customers:  # the eval sets have no customers: give them the demo ones, round robin
            tickets = [t.model_copy(update={"customer_id": DEMO_CUSTOMERS[i % len(DEMO_CUSTOMERS)]})
                       for i, t in enumerate(tickets)]
        model = ScriptedModel(lambda request: answer("Network Outage", "Network Operations"))
        engine = CascadeEngine(self.router, AgentEngine(self.router, lambda: model, provider="scripted",
                                                        model_id=SONNET), threshold)
        decisions = engine.route_many(tickets, save=False)
        reasons = Counter(d.llm["escalation"].split(" ")[0] if d.llm else "kept" for d in decisions)
        sent = sum(d.llm is not None for d in decisions)
        return {"n": len(tickets), "sent": sent, "share": sent / len(tickets), "model_calls": len(model.requests),
                "why": dict(reasons)}

    # 4. Bedrock request size --------------------------------------------------------------------------------
    def bedrock_request_chars(self) -> dict[str, list[int]]:
        """The real first Converse request for each ticket, built by BedrockModel and captured by the Stubber."""
        from llm.bedrock_stub import StubbedBedrock, answer_reply

        from ticket_router.llm.providers import build_model

        os.environ.setdefault("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")  # never used: the Stubber answers
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        sizes: dict[str, list[int]] = {"fixed": [], "ticket": [], "answer": []}
        for ticket in self.tickets:
            bedrock = StubbedBedrock(build_model(Settings(bedrock_region="us-east-1")))
            category, team = self.reply_for(ticket.ticket_id)
            reply = answer_reply(category, team, [" ".join(ticket.text.split()[1:6])])  # a 5-word quote
            bedrock.reply(reply)
            AgentEngine(self.router, lambda b=bedrock: b.model, provider="bedrock", model_id=SONNET).route_many(
                [ticket], save=False)
            request = bedrock.requests[0]
            fixed = len(json.dumps(request["system"])) + len(json.dumps(request["toolConfig"]))
            sizes["fixed"].append(fixed)
            sizes["ticket"].append(len(json.dumps(request["messages"])))
            sizes["answer"].append(len(json.dumps(reply["output"]["message"]["content"])))
        return sizes


def bedrock_estimate(sizes: dict[str, list[int]], share: float, ttft_s: float, output_tps: float) -> None:
    prices = PriceTable.load()
    fixed = int(statistics.median(sizes["fixed"]) / CHARS_PER_TOKEN + TOOL_USE_SYSTEM_TOKENS)
    ticket = int(statistics.median(sizes["ticket"]) / CHARS_PER_TOKEN)
    output = int(statistics.median(sizes["answer"]) / CHARS_PER_TOKEN + 10)
    tool_turn = 40 + 250  # the model's tool call, and a typical tool result (~900 characters)
    print(f"  request characters (median): system+tools {statistics.median(sizes['fixed']):.0f}, "
          f"context+ticket {statistics.median(sizes['ticket']):.0f}, answer {statistics.median(sizes['answer']):.0f}")
    print(f"  estimated tokens at {CHARS_PER_TOKEN} chars/token, + {TOOL_USE_SYSTEM_TOKENS} tool-use system tokens: "
          f"input {fixed + ticket} per call, of which {fixed} are the same for every ticket; output {output}")
    cases = {
        # label: (round trips, usage without caching, usage with the fixed prompt read from the cache)
        "1 round trip": (1, Usage(fixed + ticket, output), Usage(ticket, output, cache_read_tokens=fixed)),
        "2 round trips": (2, Usage(2 * (fixed + ticket) + tool_turn, output + 40),
                          Usage(2 * ticket + tool_turn, output + 40, cache_read_tokens=2 * fixed)),
    }
    for label, (trips, plain, cached) in cases.items():
        latency = trips * ttft_s + plain.output_tokens / output_tps
        costs = [prices.cost(SONNET, usage) or 0.0 for usage in (plain, cached)]
        print(f"  Sonnet 4.5, {label}: ${costs[0]:.4f} per ticket without prompt caching, ${costs[1]:.4f} with it "
              f"(cache read); latency ~{latency:.1f} s (assumed {ttft_s:g} s to first token per call, "
              f"{output_tps:g} output tokens/s)")
        if trips == 1:
            write = prices.cost(SONNET, Usage(cache_write_tokens=fixed)) or 0.0
            print(f"    one cache write (every 5 idle minutes) costs ${write:.4f}; per 1,000 tickets: agent "
                  f"${costs[1] * 1000:.2f}, cascade at 0.70 (share {share:.1%} of eval) ${costs[1] * share * 1000:.2f}")


@contextmanager
def hanging_server() -> Any:
    import threading

    release = threading.Event()

    def respond(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        release.wait(60)
        return 500, {"error": {"message": "too late"}}

    with StubServer(respond) as server:
        try:
            yield server
        finally:
            release.set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100, help="eval tickets per scripted/stub run")
    parser.add_argument("--hang-tickets", type=int, default=8, help="tickets sent to a provider that hangs")
    parser.add_argument("--skip-hang", action="store_true", help="skip the 8 s budget run")
    parser.add_argument("--ttft", type=float, default=1.0, help="assumed Bedrock seconds to first token per call")
    parser.add_argument("--output-tps", type=float, default=60.0, help="assumed Bedrock output tokens per second")
    args = parser.parse_args()
    for name in list(os.environ):  # never reach AWS from here
        if name.startswith("AWS_"):
            del os.environ[name]
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    with tempfile.TemporaryDirectory(prefix="agent-bench-") as folder:
        os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = str(Path(folder) / "none")
        bench = Bench(Path(folder), args.tickets)
        n = len(bench.tickets)
        print(f"ticket-router agent benchmark: {n} eval tickets, {os.cpu_count()} CPUs, python {sys.version.split()[0]}")
        bench.local_ms_per_ticket()  # warm-up
        print(f"\nlocal engine (baseline, same run): {bench.local_ms_per_ticket():.2f} ms per ticket in a batch")

        print("\n1. round trips and overhead outside the model call (concurrency 1 unless stated)")
        rows = [(f"scripted, {s}", bench.scripted(s)) for s in ("direct", "tool-when-unsure", "text-first")]
        rows.append(("openai stub server, concurrency 1", bench.stub_server(1)))
        rows.append(("openai stub server, concurrency 4", bench.stub_server(4)))
        for label, r in rows:
            print(f"  {label:38s} round trips median {r['trips_median']:g} max {r['trips_max']}; overhead "
                  f"median {r['overhead_median_ms']:.1f} ms p95 {r['overhead_p95_ms']:.1f} ms; model call median "
                  f"{r['model_median_ms']:.1f} ms; wall {r['wall_ms_per_ticket']:.1f} ms/ticket; ok {r['ok']:.0%}")

        print("\n2. fallback when the provider is down (default 8 s budget, concurrency 4)")
        few = bench.tickets[:20]
        cases = [
            bench.down("openai, connection refused", Settings(llm_provider="openai", llm_model="llama3.1",
                                                              llm_base_url=closed_port_url()), few),
            bench.down("bedrock, no AWS credentials", Settings(bedrock_region="us-east-1"), few),
        ]
        os.environ.update(AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE", AWS_ENDPOINT_URL_BEDROCK_RUNTIME=closed_port_url(),
                          AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        cases.append(bench.down("bedrock, endpoint refuses connections", Settings(bedrock_region="us-east-1"), few))
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME"):
            del os.environ[name]
        if not args.skip_hang:
            with hanging_server() as server:
                cases.append(bench.down("openai, server hangs", Settings(
                    llm_provider="openai", llm_model="llama3.1", llm_base_url=server.base_url),
                    bench.tickets[:args.hang_tickets]))
        local = bench.local_ms_per_ticket()
        for c in cases:
            print(f"  {c['case']:40s} n={c['n']}: wall {c['wall_ms_per_ticket']:.1f} ms/ticket (local "
                  f"{local:.2f}); per ticket median {c['ticket_ms_median']:.1f} ms max {c['ticket_ms_max']:.1f} ms; "
                  f"errors {c['errors']}; all flagged for review: {c['all_flagged']}")

        print("\n3. share of tickets the cascade sends to the LLM (threshold 0.70)")
        shares = {}
        for name, path in EVAL.items():
            for customers in (False, True):
                r = bench.cascade_share(path, 0.70, customers)
                shares[(name, customers)] = r["share"]
                label = f"{name}{' + demo customers' if customers else ''}"
                print(f"  {label:28s} {r['sent']}/{r['n']} = {r['share']:.1%} (model calls {r['model_calls']}); "
                      f"why: {r['why']}")

        print("\n4. expected Bedrock cost and latency per ticket (estimated; see the docstring)")
        bedrock_estimate(bench.bedrock_request_chars(), shares[("eval", False)], args.ttft, args.output_tps)
        bench.store.close()


if __name__ == "__main__":
    main()
