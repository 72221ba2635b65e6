"""Rollback: every function's `live` alias is shifted to a new version by CodeDeploy (canary or linear, per
stage), and the deployment rolls back by itself when one of that function's alarms fires or it fails."""

from __future__ import annotations

from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_codedeploy as codedeploy
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from ticket_router_cdk.stages import StageSettings


class Rollback(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: StageSettings, prefix: str,
                 aliases: dict[str, lambda_.Alias], alarms: dict[str, list[cloudwatch.Alarm]]) -> None:
        super().__init__(scope, construct_id)
        self.application = codedeploy.LambdaApplication(self, "Application", application_name=prefix)
        config = getattr(codedeploy.LambdaDeploymentConfig, stage.deployment)
        self.groups = {
            name: codedeploy.LambdaDeploymentGroup(
                self, f"{name.capitalize()}Deployment", application=self.application, alias=alias,
                deployment_group_name=f"{prefix}-{name}", deployment_config=config, alarms=alarms[name],
                auto_rollback=codedeploy.AutoRollbackConfig(
                    failed_deployment=True, stopped_deployment=True, deployment_in_alarm=True))
            for name, alias in aliases.items()
        }
