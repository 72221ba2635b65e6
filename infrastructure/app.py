"""The CDK app: `cdk synth|deploy -c stage=dev|staging|prod` (cdk.json runs this file).

Other context keys override the stage's settings (`-c ticketing_url=https://…`, `-c alarm_email=ops@…`,
`-c engine=cascade`); `-c code=DIR` names the Lambda code directory (default: infrastructure/build/lambda, built by
`python infrastructure/package_lambda.py`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import aws_cdk as cdk

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # ticket_router_cdk, when cdk runs this file from any directory

from ticket_router_cdk.stack import TicketRouterStack  # noqa: E402
from ticket_router_cdk.stages import from_context, unknown_context  # noqa: E402

DEFAULT_CODE = HERE / "build" / "lambda"


def main() -> None:
    app = cdk.App()
    unknown = unknown_context(app.node.get_all_context())
    if unknown:
        sys.exit(f"error: unknown context key(s): {', '.join(unknown)} (stage settings: infrastructure/"
                 "ticket_router_cdk/stages.py)")
    try:
        stage = from_context(app.node.try_get_context)
    except ValueError as error:  # pydantic's ValidationError included: it names the setting
        sys.exit(f"error: {error}")
    code = Path(app.node.try_get_context("code") or DEFAULT_CODE)
    if not (code / "ticket_router").is_dir():
        sys.exit(f"error: no Lambda code in {code}: run `python infrastructure/package_lambda.py` first")
    TicketRouterStack(app, stage=stage, code_dir=code)
    app.synth()


if __name__ == "__main__":
    main()
