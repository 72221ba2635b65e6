"""One stack per stage: the concerns (data, messaging, compute, API, operations, rollback) as constructs, each in
its own module. One stack keeps a stage deployable and deletable in one step, with no cross-stack exports that
would pin resources between deployments."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import CfnOutput, Stack, Tags
from constructs import Construct

from ticket_router_cdk.api import Api
from ticket_router_cdk.compute import Compute
from ticket_router_cdk.data import Data
from ticket_router_cdk.messaging import Messaging
from ticket_router_cdk.operations import STAGE_TAG, Operations
from ticket_router_cdk.rollback import Rollback
from ticket_router_cdk.stages import StageSettings


def stack_name(stage: StageSettings) -> str:
    return f"TicketRouter-{stage.name}"


class TicketRouterStack(Stack):
    def __init__(self, scope: Construct, *, stage: StageSettings, code_dir: Path, stack_id: str | None = None,
                 **kwargs: object) -> None:
        super().__init__(scope, stack_id or stack_name(stage), description=f"ticket-router, stage {stage.name}",
                         **kwargs)  # type: ignore[arg-type]
        prefix = f"ticket-router-{stage.name}"
        Tags.of(self).add(STAGE_TAG, stage.name)
        data = Data(self, "Data", stage=stage, prefix=prefix)
        messaging = Messaging(self, "Messaging", stage=stage, prefix=prefix)
        compute = Compute(self, "Compute", stage=stage, prefix=prefix, code_dir=code_dir, data=data,
                          messaging=messaging)
        api = Api(self, "Api", stage=stage, prefix=prefix, aliases=dict(compute.aliases))
        operations = Operations(
            self, "Operations", stage=stage, prefix=prefix, aliases=compute.aliases,
            dead_letter_queues=list(messaging.dead_letter_queues.values()),
            work_queues=[messaging.route_queue, messaging.update_queue], rest_api=api.rest_api)
        Rollback(self, "Rollback", stage=stage, prefix=prefix, aliases=compute.aliases,
                 alarms=operations.function_alarms)
        CfnOutput(self, "ApiUrl", value=api.rest_api.url, description="base URL for `ticket-router aws smoke --url`")
        CfnOutput(self, "ApiKeyId", value=api.key.key_id,
                  description="aws apigateway get-api-key --include-value --api-key <id>")
        CfnOutput(self, "TicketingTokenSecret", value=compute.secret.secret_name)
        for label, queue in messaging.dead_letter_queues.items():
            CfnOutput(self, label, value=queue.queue_name, description="`ticket-router aws redrive --queue`")
