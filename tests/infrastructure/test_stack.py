"""What the synthesized templates must hold, stage by stage (one synthesis per session: conftest.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cdktest import CASCADE, STAGES, ref_id, resources
from ticket_router_cdk.stages import stage_settings

from ticket_router.aws import contract

ALL = (*[f"TicketRouter-{s}" for s in STAGES], CASCADE)


def dead_letter_queue_ids(template: dict[str, Any]) -> set[str]:
    ids = {ref_id(q["Properties"]["RedrivePolicy"]["deadLetterTargetArn"])
           for q in resources(template, "AWS::SQS::Queue").values() if "RedrivePolicy" in q["Properties"]}
    for rule in resources(template, "AWS::Events::Rule").values():
        ids |= {ref_id(t["DeadLetterConfig"]["Arn"]) for t in rule["Properties"]["Targets"] if "DeadLetterConfig" in t}
    return ids


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_synthesizes_the_whole_chain(synthesized, stage):
    template = synthesized.templates[f"TicketRouter-{stage}"]
    handlers = sorted(f["Properties"]["Handler"] for f in resources(template, "AWS::Lambda::Function").values())
    assert handlers == sorted(f.handler for f in contract.FUNCTIONS)
    assert len(resources(template, "AWS::DynamoDB::Table")) == len(contract.STORE_TABLES) + 1
    assert len(resources(template, "AWS::Events::EventBus")) == 1
    assert len(resources(template, "AWS::ApiGateway::RestApi")) == 1


@pytest.mark.parametrize("name", ALL)
def test_every_work_queue_has_a_dead_letter_queue_with_the_contracts_receive_limit(synthesized, name):
    template = synthesized.templates[name]
    queues = resources(template, "AWS::SQS::Queue")
    dlqs = dead_letter_queue_ids(template)
    work = {k: q for k, q in queues.items() if k not in dlqs}
    assert len(work) == 2 and len(dlqs) == 3  # route and update; their DLQs and EventBridge's
    limits = sorted(q["Properties"]["RedrivePolicy"]["maxReceiveCount"] for q in work.values())
    assert limits == sorted([contract.ROUTE_MAX_RECEIVES, contract.UPDATE_MAX_RECEIVES])
    for rule in resources(template, "AWS::Events::Rule").values():
        assert all("DeadLetterConfig" in t for t in rule["Properties"]["Targets"])


@pytest.mark.parametrize("name", ALL)
def test_every_queue_is_encrypted_and_tls_only(synthesized, name):
    template = synthesized.templates[name]
    queues = resources(template, "AWS::SQS::Queue")
    assert all(q["Properties"].get("SqsManagedSseEnabled") is True for q in queues.values())
    tls_only = set()
    for policy in resources(template, "AWS::SQS::QueuePolicy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if statement["Effect"] == "Deny" and statement.get("Condition") == {
                    "Bool": {"aws:SecureTransport": "false"}}:
                tls_only |= {ref_id(q) for q in policy["Properties"]["Queues"]}
    assert tls_only == set(queues)


@pytest.mark.parametrize("name", ALL)
def test_every_table_is_on_demand_kms_encrypted_with_point_in_time_recovery(synthesized, name):
    template = synthesized.templates[name]
    keys = resources(template, "AWS::KMS::Key")
    assert len(keys) == 1 and all(k["Properties"]["EnableKeyRotation"] for k in keys.values())
    tables = resources(template, "AWS::DynamoDB::Table")
    for table in tables.values():
        props = table["Properties"]
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert props["SSESpecification"]["SSEEnabled"] is True and props["SSESpecification"]["SSEType"] == "KMS"
        assert ref_id(props["SSESpecification"]["KMSMasterKeyId"]) in keys
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True


def test_tables_carry_the_contracts_names_keys_and_indexes(synthesized):
    stage = "prod"
    tables = {t["Properties"]["TableName"]: t["Properties"]
              for t in resources(synthesized.templates[f"TicketRouter-{stage}"], "AWS::DynamoDB::Table").values()}
    for spec in (*contract.STORE_TABLES, contract.IDEMPOTENCY):
        props = tables[spec.name(f"ticket-router-{stage}")]
        assert props["KeySchema"][0] == {"AttributeName": spec.partition.name, "KeyType": "HASH"}
        indexes = {i["IndexName"]: [k["AttributeName"] for k in i["KeySchema"]]
                   for i in props.get("GlobalSecondaryIndexes", [])}
        assert indexes == {i.name: [i.partition.name, *([i.sort.name] if i.sort else [])] for i in spec.indexes}
    outages = tables[contract.OUTAGES.name("ticket-router-prod")]
    assert outages["GlobalSecondaryIndexes"][0]["KeySchema"][0]["AttributeName"] == "region_key"
    idempotency = tables[contract.IDEMPOTENCY.name("ticket-router-prod")]
    assert idempotency["TimeToLiveSpecification"] == {"AttributeName": "expiration", "Enabled": True}


@pytest.mark.parametrize("stage", STAGES)
def test_every_function_has_log_retention_reserved_concurrency_and_its_contract_environment(synthesized, stage):
    settings = stage_settings(stage)
    template = synthesized.templates[f"TicketRouter-{stage}"]
    log_groups = resources(template, "AWS::Logs::LogGroup")
    by_handler = {f.handler: f for f in contract.FUNCTIONS}
    for function in resources(template, "AWS::Lambda::Function").values():
        props = function["Properties"]
        spec = by_handler[props["Handler"]]
        group = log_groups[ref_id(props["LoggingConfig"]["LogGroup"])]
        assert group["Properties"]["RetentionInDays"] == settings.log_retention_days
        assert props["ReservedConcurrentExecutions"] == getattr(settings, spec.name).reserved_concurrency
        assert props["MemorySize"] == getattr(settings, spec.name).memory_mb
        assert props["Runtime"] == "python3.11"
        optional = {contract.TICKETING_URL}  # set only with -c ticketing_url=…
        assert set(spec.environment) - optional <= set(props["Environment"]["Variables"])
        assert set(props["Environment"]["Variables"]) <= set(spec.environment)


@pytest.mark.parametrize("name", ALL)
def test_queues_feed_the_live_aliases_with_partial_batch_failures_and_capped_concurrency(synthesized, name):
    template = synthesized.templates[name]
    mappings = resources(template, "AWS::Lambda::EventSourceMapping").values()
    assert len(mappings) == 2
    for mapping in mappings:
        props = mapping["Properties"]
        assert json.dumps(props["FunctionName"]).endswith(':live"]]}')  # the function's `live` alias
        assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert props["BatchSize"] == contract.BATCH_SIZE
        assert props["ScalingConfig"]["MaximumConcurrency"] >= 2


def test_queue_visibility_outlasts_the_function_timeout(synthesized):
    template = synthesized.templates["TicketRouter-prod"]
    functions = {f["Properties"]["Handler"]: f["Properties"]["Timeout"]
                 for f in resources(template, "AWS::Lambda::Function").values()}
    queues = {q["Properties"]["QueueName"]: q["Properties"]["VisibilityTimeout"]
              for q in resources(template, "AWS::SQS::Queue").values()}
    assert functions[contract.ROUTE.handler] == contract.ROUTE_TIMEOUT_S
    assert queues["ticket-router-prod-route"] >= 6 * functions[contract.ROUTE.handler]
    assert queues["ticket-router-prod-update"] >= 6 * functions[contract.UPDATE.handler]


@pytest.mark.parametrize("stage", STAGES)
def test_alarms_cover_errors_throttles_latency_and_every_dead_letter_queue(synthesized, stage):
    template = synthesized.templates[f"TicketRouter-{stage}"]
    alarms = {a["Properties"]["AlarmName"]: a["Properties"] for a in resources(
        template, "AWS::CloudWatch::Alarm").values()}
    prefix = f"ticket-router-{stage}"
    for function in contract.FUNCTIONS:
        assert alarms[f"{prefix}-{function.name}-error-rate"]["Threshold"] == 1
        assert alarms[f"{prefix}-{function.name}-throttles"]["Threshold"] == 0
    for name in ("ingest", "route", "api"):
        latency = alarms[f"{prefix}-{name}-p99-latency"]
        assert latency["Threshold"] == 3000 and latency["ExtendedStatistic"] == "p99"
    assert alarms[f"{prefix}-gateway-p99-latency"]["Threshold"] == 3000
    dlq_alarms = [a for n, a in alarms.items() if n.endswith("Dlq-depth")]
    assert len(dlq_alarms) == len(dead_letter_queue_ids(template)) == 3
    assert all(a["Threshold"] == 0 and a["ComparisonOperator"] == "GreaterThanThreshold" for a in dlq_alarms)
    topics = resources(template, "AWS::SNS::Topic")
    assert all(ref_id(a["AlarmActions"][0]) in topics for a in alarms.values())
    assert len(resources(template, "AWS::CloudWatch::Dashboard")) == 1


@pytest.mark.parametrize("stage", STAGES)
def test_a_monthly_budget_alarm_per_stage(synthesized, stage):
    (budget,) = resources(synthesized.templates[f"TicketRouter-{stage}"], "AWS::Budgets::Budget").values()
    data = budget["Properties"]["Budget"]
    assert data["BudgetLimit"] == {"Amount": stage_settings(stage).monthly_budget_usd, "Unit": "USD"}
    assert data["TimeUnit"] == "MONTHLY"
    assert {n["Notification"]["NotificationType"] for n in budget["Properties"]["NotificationsWithSubscribers"]} \
        == {"ACTUAL", "FORECASTED"}


@pytest.mark.parametrize("stage", STAGES)
def test_api_requires_keys_validates_requests_and_names_the_bad_field(synthesized, stage):
    template = synthesized.templates[f"TicketRouter-{stage}"]
    (validator_id, validator), = resources(template, "AWS::ApiGateway::RequestValidator").items()
    assert validator["Properties"]["ValidateRequestBody"] is True
    assert validator["Properties"]["ValidateRequestParameters"] is True
    methods = list(resources(template, "AWS::ApiGateway::Method").values())
    assert len(methods) == len(contract.ROUTES)
    models = resources(template, "AWS::ApiGateway::Model")
    for method in methods:
        props = method["Properties"]
        assert props["ApiKeyRequired"] is True
        assert ref_id(props["RequestValidatorId"]) == validator_id
        if props["HttpMethod"] == "POST":
            assert ref_id(props["RequestModels"]["application/json"]) in models
    ticket = next(m for m in models.values() if m["Properties"]["Name"] == "Ticket")
    assert ticket["Properties"]["Schema"]["required"] == ["ticket_id"]
    (response,) = resources(template, "AWS::ApiGateway::GatewayResponse").values()
    assert response["Properties"]["ResponseType"] == "BAD_REQUEST_BODY"
    assert response["Properties"]["StatusCode"] == "400"
    body = response["Properties"]["ResponseTemplates"]["application/json"]
    assert "$context.error.validationErrorString" in body
    assert json.loads(body.replace("$context.error.validationErrorString", "x"))["detail"] == "invalid input"
    (plan,) = resources(template, "AWS::ApiGateway::UsagePlan").values()
    settings = stage_settings(stage)
    assert plan["Properties"]["Throttle"] == {"RateLimit": settings.api_rate_per_s, "BurstLimit": settings.api_burst}
    assert plan["Properties"]["Quota"] == {"Limit": settings.api_quota_per_day, "Period": "DAY"}
    assert len(resources(template, "AWS::ApiGateway::UsagePlanKey")) == 1


@pytest.mark.parametrize("stage", STAGES)
def test_each_function_deploys_through_codedeploy_with_alarm_rollback(synthesized, stage):
    template = synthesized.templates[f"TicketRouter-{stage}"]
    groups = resources(template, "AWS::CodeDeploy::DeploymentGroup").values()
    assert len(groups) == len(contract.FUNCTIONS)
    expected = {"dev": "AllAtOnce", "staging": "Canary10Percent5Minutes", "prod": "Canary10Percent10Minutes"}[stage]
    for group in groups:
        props = group["Properties"]
        assert props["DeploymentConfigName"].endswith(expected)
        assert props["AlarmConfiguration"]["Enabled"] is True and len(props["AlarmConfiguration"]["Alarms"]) >= 2
        assert set(props["AutoRollbackConfiguration"]["Events"]) >= {"DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"}
    aliases = resources(template, "AWS::Lambda::Alias")
    assert all(a["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"] for a in aliases.values())


def test_a_stage_without_a_ticketing_url_says_so_at_synth(synthesized):
    assert any("ticketing_url" in w for w in synthesized.warnings["TicketRouter-prod"])


def test_an_llm_engine_without_the_llm_in_the_package_says_so_at_synth(synthesized):
    assert any("no Strands" in w for w in synthesized.warnings[CASCADE])
    assert not any("no Strands" in w for w in synthesized.warnings["TicketRouter-prod"])
