"""Least-privilege IAM statements for one function, read from what the contract says it does (`Function.needs`).

Every action is named (no `*` in an action) and every resource is an ARN of this stack. CDK's `grant_*` helpers are
not used for tables and keys because they add `kms:GenerateDataKey*` and `kms:ReEncrypt*`. A need the contract
adds later without a mapping here fails the synth, so a function never runs with a permission nobody wrote down.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Aws
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs

from ticket_router.aws import contract

TABLE_READ = ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
              "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable")
TABLE_WRITE = ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem")
KEY_READ = ("kms:Decrypt", "kms:DescribeKey")
KEY_WRITE = ("kms:Encrypt", "kms:GenerateDataKey")
# Converse and ConverseStream are authorised as these two (Strands streams by default).
BEDROCK_INVOKE = ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream")


class UnmappedNeedError(ValueError):
    pass


@dataclass(frozen=True)
class Resources:
    """What a function's needs can refer to."""

    tables: dict[str, dynamodb.Table]
    table_specs: dict[str, contract.Table]
    key: kms.IKey
    bus: events.IEventBus
    secret: secretsmanager.ISecret
    own_queue: sqs.IQueue | None
    bedrock_models: tuple[str, ...]
    llm_enabled: bool


def statements(function: contract.Function, resources: Resources) -> list[iam.PolicyStatement]:
    result: list[iam.PolicyStatement] = []
    for need in function.needs:
        subject, _, what = need.partition(" ")[0].partition(":")
        if subject in resources.tables:
            result += _table(resources, subject, what)
        elif (subject, what) == ("events", "put"):
            result.append(iam.PolicyStatement(actions=["events:PutEvents"], resources=[resources.bus.event_bus_arn]))
        elif (subject, what) == ("bedrock", "invoke"):
            if resources.llm_enabled:
                result.append(iam.PolicyStatement(actions=list(BEDROCK_INVOKE),
                                                  resources=bedrock_arns(resources.bedrock_models)))
        elif (subject, what) == ("secretsmanager", "get"):
            result.append(iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"],
                                              resources=[resources.secret.secret_arn]))
        elif (subject, what) == ("sqs", "change-visibility") and resources.own_queue is not None:
            result.append(iam.PolicyStatement(actions=["sqs:ChangeMessageVisibility"],
                                              resources=[resources.own_queue.queue_arn]))
        else:
            raise UnmappedNeedError(f"function {function.name!r}: no IAM mapping for the contract need {need!r}")
    return result


def _table(resources: Resources, suffix: str, what: str) -> list[iam.PolicyStatement]:
    if what not in ("read", "write", "read-write"):
        raise UnmappedNeedError(f"table {suffix!r}: unknown access {what!r}")
    table = resources.tables[suffix]
    actions = (TABLE_READ if "read" in what else ()) + (TABLE_WRITE if "write" in what else ())
    key_actions = (KEY_READ if "read" in what else ("kms:DescribeKey",)) + (KEY_WRITE if "write" in what else ())
    arns = [table.table_arn, *(f"{table.table_arn}/index/{index.name}"
                                for index in resources.table_specs[suffix].indexes)]
    return [
        iam.PolicyStatement(actions=list(actions), resources=arns),
        # the table's key, only through DynamoDB
        iam.PolicyStatement(actions=list(dict.fromkeys(key_actions)), resources=[resources.key.key_arn],
                            conditions={"StringEquals": {"kms:ViaService": f"dynamodb.{Aws.REGION}.amazonaws.com"}}),
    ]


def bedrock_arns(model_ids: tuple[str, ...]) -> list[str]:
    """A cross-region inference profile (`us.…`, `eu.…`, `global.…`) in this account and region, and the foundation
    model it routes to in whichever region the profile picks (hence the region wildcard in that ARN only)."""
    arns: list[str] = []
    for model_id in model_ids:
        prefix, _, base = model_id.partition(".")
        if base and prefix in ("us", "eu", "apac", "global", "ca", "jp", "au"):
            arns.append(f"arn:{Aws.PARTITION}:bedrock:{Aws.REGION}:{Aws.ACCOUNT_ID}:inference-profile/{model_id}")
            arns.append(f"arn:{Aws.PARTITION}:bedrock:*::foundation-model/{base}")
        else:
            arns.append(f"arn:{Aws.PARTITION}:bedrock:{Aws.REGION}::foundation-model/{model_id}")
    return arns
