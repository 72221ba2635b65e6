"""One synthesis for the whole session: the three stages (and dev with the cascade engine, for the Bedrock
permissions) in one CDK app, with a tiny placeholder for the Lambda code. Synthesis takes seconds; tests only
read the templates."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
from cdktest import CASCADE, STAGES

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")  # the machine's Node 20 still works
pytest.importorskip("aws_cdk", reason="needs the infra extra")


@dataclass(frozen=True)
class Synthesized:
    templates: dict[str, dict[str, Any]]  # stack name → CloudFormation template
    warnings: dict[str, list[str]]  # stack name → CDK warnings


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    import aws_cdk as cdk
    from ticket_router_cdk.stack import TicketRouterStack, stack_name
    from ticket_router_cdk.stages import stage_settings

    code = tmp_path_factory.mktemp("lambda-code")
    (code / "ticket_router").mkdir()
    (code / "ticket_router" / "__init__.py").write_text("")
    app = cdk.App(outdir=str(tmp_path_factory.mktemp("cdk.out")))
    names = []
    for stage in STAGES:
        names.append(TicketRouterStack(app, stage=stage_settings(stage), code_dir=code).stack_name)
    names.append(TicketRouterStack(app, stage=stage_settings("dev", {"engine": "cascade"}), code_dir=code,
                                   stack_id=CASCADE).stack_name)
    assert names[:3] == [stack_name(stage_settings(s)) for s in STAGES]
    assembly = app.synth()
    warnings = {}
    for name in names:
        artifact = assembly.get_stack_by_name(name)
        warnings[name] = [str(m.entry.data) for m in artifact.messages if "warning" in str(m.level).lower()]
    return Synthesized({name: assembly.get_stack_by_name(name).template for name in names}, warnings)
