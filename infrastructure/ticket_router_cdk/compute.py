"""Compute: the four Lambda functions of the contract, each with its own role, log group with retention, reserved
concurrency, and a `live` alias that API Gateway and the queues call (so CodeDeploy can shift traffic on it)."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Annotations, Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from ticket_router.aws import contract
from ticket_router_cdk.data import Data
from ticket_router_cdk.messaging import Messaging
from ticket_router_cdk.permissions import Resources, statements
from ticket_router_cdk.stages import FunctionSettings, StageSettings

# Timeouts of the functions API Gateway calls (its own limit is 29 s); the queue-fed ones come from the contract.
SYNC_TIMEOUT_S = 10
ALIAS = "live"


class Compute(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: StageSettings, prefix: str, code_dir: Path,
                 data: Data, messaging: Messaging) -> None:
        super().__init__(scope, construct_id)
        self._stage = stage
        self._prefix = prefix
        removal = RemovalPolicy.RETAIN if stage.retain_data else RemovalPolicy.DESTROY
        # The ticketing system's token. Deployed with a random value; the operator puts the real token in it
        # (README: Deploying on AWS). The update function reads it at run time, never from its environment.
        self.secret = secretsmanager.Secret(
            self, "TicketingToken", secret_name=f"{prefix}/ticketing-token", removal_policy=removal,
            description="bearer token for the ticketing system's decision endpoint",
            generate_secret_string=secretsmanager.SecretStringGenerator(exclude_punctuation=True,
                                                                        password_length=40))
        environment = {
            contract.DATABASE_URL: f"dynamodb://{prefix}",
            contract.EVENT_BUS: messaging.bus.event_bus_name,
            contract.IDEMPOTENCY_TABLE: data.tables[contract.IDEMPOTENCY.suffix].table_name,
            contract.TICKETING_TOKEN_SECRET: self.secret.secret_arn,
            contract.TICKETING_TIMEOUT: "5",  # seconds per delivery attempt (the service's default too)
            contract.ENGINE: stage.engine,
            contract.LLM_MODEL: stage.bedrock_models[0],
            contract.LOG_LEVEL: "INFO",
            "POWERTOOLS_SERVICE_NAME": contract.SERVICE_NAME,
            "POWERTOOLS_METRICS_NAMESPACE": contract.METRICS_NAMESPACE,
            "POWERTOOLS_LOG_LEVEL": "INFO",
        }
        if stage.ticketing_url:
            environment[contract.TICKETING_URL] = stage.ticketing_url
        code = lambda_.Code.from_asset(str(code_dir))
        specs = {t.suffix: t for t in (*contract.STORE_TABLES, contract.IDEMPOTENCY)}

        def resources(own_queue: sqs.IQueue | None) -> Resources:
            return Resources(tables=data.tables, table_specs=specs, key=data.key, bus=messaging.bus,
                             secret=self.secret, own_queue=own_queue, bedrock_models=stage.bedrock_models,
                             llm_enabled=stage.engine != "local")

        self.functions: dict[str, lambda_.Function] = {}
        self.aliases: dict[str, lambda_.Alias] = {}
        for spec, size, timeout_s, queue in (
            (contract.INGEST, stage.ingest, SYNC_TIMEOUT_S, None),
            (contract.ROUTE, stage.route, contract.ROUTE_TIMEOUT_S, messaging.route_queue),
            (contract.UPDATE, stage.update, contract.UPDATE_TIMEOUT_S, messaging.update_queue),
            (contract.API, stage.api, SYNC_TIMEOUT_S, None),
        ):
            missing = [n for n in spec.environment if n not in environment and n != contract.TICKETING_URL]
            if missing:  # the contract grew a setting this stack does not set yet
                raise ValueError(f"function {spec.name!r} reads {missing} and the stack provides no value")
            env = {name: environment[name] for name in spec.environment if name in environment}
            fn, alias = self._function(spec, size, timeout_s, code, env, statements(spec, resources(queue)), removal)
            if queue is not None:
                alias.add_event_source(sources.SqsEventSource(
                    queue, batch_size=contract.BATCH_SIZE, report_batch_item_failures=True,
                    max_concurrency=size.reserved_concurrency))
            self.functions[spec.name] = fn
            self.aliases[spec.name] = alias
        if stage.engine != "local" and not (code_dir / "strands").is_dir():
            Annotations.of(self.functions[contract.ROUTE.name]).add_warning_v2(
                "ticket-router:no-llm-in-package",
                f"engine {stage.engine} but the code directory has no Strands: every ticket would fall back to the "
                "embedded model (package with --extras aws,bedrock)")
        if not stage.ticketing_url:
            Annotations.of(self.functions[contract.UPDATE.name]).add_warning_v2(
                "ticket-router:no-ticketing-url",
                "no ticketing_url for this stage: decisions are routed and stored but not delivered "
                "(deploy with -c ticketing_url=https://…)")

    def _function(self, spec: contract.Function, size: FunctionSettings, timeout_s: int, code: lambda_.Code,
                  environment: dict[str, str], policy: list[iam.PolicyStatement],
                  removal: RemovalPolicy) -> tuple[lambda_.Function, lambda_.Alias]:
        cid = spec.name.capitalize()
        name = f"{self._prefix}-{spec.name}"
        log_group = logs.LogGroup(self, f"{cid}Logs", log_group_name=f"/aws/lambda/{name}", removal_policy=removal,
                                  retention=_retention(self._stage.log_retention_days))
        role = iam.Role(self, f"{cid}Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                        description=f"ticket-router {spec.name} function (least privilege, from the contract)")
        role.add_to_policy(iam.PolicyStatement(  # its own log group only (streams are named by Lambda)
            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
            resources=[log_group.log_group_arn]))
        for statement in policy:
            role.add_to_policy(statement)
        fn = lambda_.Function(
            self, f"{cid}Function", function_name=name, handler=spec.handler, code=code,
            runtime=lambda_.Runtime.PYTHON_3_11, architecture=lambda_.Architecture.X86_64,
            memory_size=size.memory_mb, timeout=Duration.seconds(timeout_s),
            reserved_concurrent_executions=size.reserved_concurrency, environment=environment,
            log_group=log_group, role=role, description=f"ticket-router {spec.name} ({spec.handler})",
        )
        alias = lambda_.Alias(self, f"{cid}Alias", alias_name=ALIAS, version=fn.current_version)
        return fn, alias


RETENTION = {1: logs.RetentionDays.ONE_DAY, 3: logs.RetentionDays.THREE_DAYS, 7: logs.RetentionDays.ONE_WEEK,
             14: logs.RetentionDays.TWO_WEEKS, 30: logs.RetentionDays.ONE_MONTH, 90: logs.RetentionDays.THREE_MONTHS,
             180: logs.RetentionDays.SIX_MONTHS, 365: logs.RetentionDays.ONE_YEAR}


def _retention(days: int) -> logs.RetentionDays:
    if days not in RETENTION:
        raise ValueError(f"log_retention_days={days}: use one of {sorted(RETENTION)}")
    return RETENTION[days]
