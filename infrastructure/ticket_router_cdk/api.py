"""The REST API: the contract's routes on the functions' `live` aliases, API keys with a usage plan, and request
validation against models generated from the service's pydantic schemas (an invalid ticket is a 400 that names
the field, before any function runs)."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from ticket_router.aws import contract
from ticket_router_cdk.request_models import BAD_BODY_TEMPLATE, feedback_schema, ticket_schema
from ticket_router_cdk.stages import StageSettings


class Api(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: StageSettings, prefix: str,
                 aliases: dict[str, lambda_.IFunction]) -> None:
        super().__init__(scope, construct_id)
        self.rest_api = apigw.RestApi(
            self, "RestApi", rest_api_name=prefix, description="ticket-router: tickets in, decisions out",
            api_key_source_type=apigw.ApiKeySourceType.HEADER, cloud_watch_role=False,
            endpoint_types=[apigw.EndpointType.REGIONAL],
            deploy_options=apigw.StageOptions(
                stage_name=stage.name, metrics_enabled=True,
                throttling_rate_limit=stage.api_rate_per_s, throttling_burst_limit=stage.api_burst),
            default_method_options=apigw.MethodOptions(api_key_required=True),
        )
        self.rest_api.add_gateway_response(
            "BadBody", type=apigw.ResponseType.BAD_REQUEST_BODY, status_code="400",
            templates={"application/json": BAD_BODY_TEMPLATE})
        self.validator = apigw.RequestValidator(
            self, "Validator", rest_api=self.rest_api, validate_request_body=True, validate_request_parameters=True)
        models = {
            ("POST", "/tickets"): self._model("Ticket", ticket_schema()),
            ("POST", "/tickets/{ticket_id}/feedback"): self._model("Feedback", feedback_schema()),
        }
        for method, path, function in contract.ROUTES:
            resource = self.rest_api.root.resource_for_path(path)
            parameters = {f"method.request.path.{p}": True for p in _path_parameters(path)}
            model = models.get((method, path))
            resource.add_method(
                method, apigw.LambdaIntegration(aliases[function.name]),
                request_validator=self.validator, request_parameters=parameters or None,
                request_models={"application/json": model} if model else None,
            )
        self.key = self.rest_api.add_api_key("Key", api_key_name=f"{prefix}-default")
        plan = self.rest_api.add_usage_plan(
            "UsagePlan", name=prefix,
            throttle=apigw.ThrottleSettings(rate_limit=stage.api_rate_per_s, burst_limit=stage.api_burst),
            quota=apigw.QuotaSettings(limit=stage.api_quota_per_day, period=apigw.Period.DAY),
        )
        plan.add_api_stage(stage=self.rest_api.deployment_stage)
        plan.add_api_key(self.key)

    def _model(self, name: str, schema: dict[str, Any]) -> apigw.IModel:
        cfn = apigw.CfnModel(self, f"{name}Model", rest_api_id=self.rest_api.rest_api_id, name=name,
                             content_type="application/json", schema=schema)
        return apigw.Model.from_model_name(self, f"{name}ModelRef", cfn.ref)


def _path_parameters(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{") and part.endswith("}")]
