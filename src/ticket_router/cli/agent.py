"""`ticket-router agent check`: one tiny request to the configured LLM provider, or what is missing and how to fix it.

Exit status: 0 when the provider answered, 1 when the request failed (the reason and a fix are printed), 2 when
something is missing before a request can be made (the extra, credentials, an API key).
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from ticket_router.cli.common import settings_with, stderr

if TYPE_CHECKING:
    from ticket_router.llm.pricing import Usage

agent_app = typer.Typer(help="The LLM agent engine (needs the `agent` extra).", no_args_is_help=True)

PROBE = "Reply with the single word: ok"


@agent_app.command()
def check(
    specialist: Annotated[bool, typer.Option("--specialist", help="Check the specialist model instead.")] = False,
) -> None:
    """Verify the configured provider end to end with one tiny request: prints model, latency and cost."""
    from ticket_router.llm.errors import classify_failure
    from ticket_router.llm.pricing import PriceTable
    from ticket_router.llm.providers import ProviderConfigError, build_model, describe

    console = stderr()
    settings = settings_with()
    model_id = settings.llm_specialist_model if specialist else settings.llm_model
    info = describe(settings, model_id)
    console.print(f"provider [bold]{info.provider}[/bold], model [bold]{escape(info.model_id)}[/bold], "
                  f"{escape(info.where)}", soft_wrap=True)
    try:
        import strands  # noqa: F401
    except ModuleNotFoundError:
        _missing(console, "LLM support is not installed", "pip install 'ticket-router[agent]'")
    if info.provider == "bedrock" and settings.llm_api_key is None and not os.environ.get("AWS_BEARER_TOKEN_BEDROCK"):
        _check_aws_credentials(console)
    try:
        model = build_model(settings, model_id, timeout_s=max(settings.llm_timeout_s, 15.0), max_tokens=16)
    except ProviderConfigError as error:
        _missing(console, "configuration incomplete", str(error))
    started = time.perf_counter()
    try:
        usage = _probe(model)
    except Exception as error:  # noqa: BLE001 - explained, never a traceback
        failure = classify_failure(error)
        console.print(f"[red]failed:[/red] {escape(failure.summary)} [dim]({escape(failure.error)})[/dim]",
                      soft_wrap=True)
        console.print(f"fix: {escape(failure.hint)}", soft_wrap=True)
        raise typer.Exit(1) from None
    seconds = time.perf_counter() - started
    cost = PriceTable.load(settings.llm_prices).cost(info.model_id, usage)
    cost_text = f"${cost:.6f}" if cost is not None else "unknown (model not in the price table)"
    typer.echo(f"ok: {info.provider} {info.model_id} answered in {seconds:.2f} s; "
               f"{usage.input_tokens} input + {usage.output_tokens} output tokens; cost {cost_text}")


def _missing(console: Console, what: str, fix: str) -> NoReturn:
    console.print(f"[red]missing:[/red] {escape(what)}", soft_wrap=True)
    console.print(f"fix: {escape(fix)}", soft_wrap=True)
    raise typer.Exit(2)


def _check_aws_credentials(console: Console) -> None:
    import boto3

    credentials = boto3.Session().get_credentials()
    if credentials is None:
        _missing(console, "no AWS credentials found",
                 "set AWS_PROFILE (after `aws configure` or `aws sso login`), or AWS_ACCESS_KEY_ID and "
                 "AWS_SECRET_ACCESS_KEY, or run where an instance/task role is available; a Bedrock API key can "
                 "go in TICKET_ROUTER_LLM_API_KEY")
    console.print(f"AWS credentials from: {escape(str(credentials.method))}", soft_wrap=True)  # never the keys


def _probe(model: Any) -> Usage:
    from strands import Agent

    from ticket_router.llm.pricing import Usage

    agent = Agent(model=model, tools=[], callback_handler=None, retry_strategy=None, name="ticket-router-check")
    agent(PROBE)
    return Usage.from_strands(agent.event_loop_metrics.accumulated_usage)
