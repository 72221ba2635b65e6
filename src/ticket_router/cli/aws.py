"""`ticket-router aws smoke|redrive`: operating a deployed stage (infrastructure/). Redrive needs boto3 (the `aws`
extra) and AWS credentials the usual way; smoke needs only the stage's URL and an API key."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from ticket_router.cli.common import fail, settings_with, stderr

aws_app = typer.Typer(help="Operate the AWS deployment (see README: Deploying on AWS).", no_args_is_help=True)


@aws_app.command()
def smoke(
    url: Annotated[str | None, typer.Option(
        "--url", help="The stage's API URL (the stack's ApiUrl output; default: $TICKET_ROUTER_STAGE_URL).")] = None,
    key: Annotated[str | None, typer.Option(
        "--key", help="An API key of the stage's usage plan (default: $TICKET_ROUTER_STAGE_KEY).")] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=1.0, help="Seconds to wait for the decision.")] = 30.0,
) -> None:
    """POST a ticket, poll for its decision, and check the key and validation rules. Exit 0 when all pass."""
    from ticket_router.cli.smoke import smoke as run_smoke

    settings = settings_with()
    url = url or settings.stage_url
    key = key or (settings.stage_key.get_secret_value() if settings.stage_key else None)
    if not url or not key:
        fail("give the stage's --url and --key (or TICKET_ROUTER_STAGE_URL and TICKET_ROUTER_STAGE_KEY)")
    if not url.startswith(("https://", "http://")):
        fail("--url must be an http(s) URL")
    try:
        result = run_smoke(url, key, timeout_s=timeout)
    except OSError as error:
        fail(f"cannot reach {url}: {getattr(error, 'reason', error)}", code=1)
    console = Console(highlight=False)
    for check in result.checks:
        console.print(f"{'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}", markup=False)
    console.print(f"ticket {result.ticket_id}: {'all checks passed' if result.ok else 'FAILED'}", markup=False)
    raise typer.Exit(0 if result.ok else 1)


@aws_app.command()
def redrive(
    queue: Annotated[str, typer.Option("--queue", help="The dead-letter queue's name or URL.")],
    to: Annotated[str | None, typer.Option("--to", help="Where to (default: the queue that uses this DLQ, or "
                                                        "the EventBridge target each message names).")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Move at most this many.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="AWS region (default: the AWS configuration).")]
    = None,
) -> None:
    """Move the messages of a dead-letter queue back, to be processed again (after fixing the cause)."""
    try:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        fail("needs boto3: pip install 'ticket-router[aws]'")
    from ticket_router.cli.redrive import RedriveError
    from ticket_router.cli.redrive import redrive as run_redrive

    try:
        result = run_redrive(boto3.client("sqs", region_name=region), queue, to=to, limit=limit)
    except RedriveError as error:
        fail(str(error))
    except (BotoCoreError, ClientError) as error:
        fail(f"AWS refused: {error}", code=1)
    console = stderr()
    for destination, count in result.destinations.items():
        console.print(f"moved {count} to {destination}", markup=False)
    console.print(f"{result.moved} moved, {result.failed} left in {result.queue}", markup=False)
    raise typer.Exit(1 if result.failed else 0)
