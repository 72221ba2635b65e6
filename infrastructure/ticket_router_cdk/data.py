"""Data: the store's DynamoDB tables and Powertools' idempotency table, from `ticket_router.aws.contract`, on
on-demand capacity, encrypted with one customer-managed KMS key, with point-in-time recovery."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from ticket_router.aws import contract
from ticket_router_cdk.stages import StageSettings

# The key's administrators (the account, through IAM policies) get these and no `kms:*`: enough to manage, rotate
# and delete the key and to delegate use to the functions' roles; PutKeyPolicy keeps the key from being locked out.
KEY_ADMIN_ACTIONS = (
    "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:CreateGrant", "kms:Decrypt", "kms:DeleteAlias",
    "kms:DescribeKey", "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation",
    "kms:Encrypt", "kms:GenerateDataKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListGrants",
    "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:RetireGrant", "kms:RevokeGrant", "kms:ScheduleKeyDeletion",
    "kms:TagResource", "kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription",
)
_DYNAMODB_TYPES = {"S": dynamodb.AttributeType.STRING, "N": dynamodb.AttributeType.NUMBER}


class Data(Construct):
    """`tables` maps each contract table's suffix (`tickets`, …, `idempotency`) to its construct."""

    def __init__(self, scope: Construct, construct_id: str, *, stage: StageSettings, prefix: str) -> None:
        super().__init__(scope, construct_id)
        removal = RemovalPolicy.RETAIN if stage.retain_data else RemovalPolicy.DESTROY
        self.prefix = prefix
        self.key = kms.Key(
            self, "Key", alias=f"alias/{prefix}", enable_key_rotation=True, removal_policy=removal,
            description=f"ticket-router {stage.name}: tickets, decisions, customers, feedback at rest",
            policy=iam.PolicyDocument(statements=[iam.PolicyStatement(
                sid="AccountAdministersAndDelegatesThroughIam", actions=list(KEY_ADMIN_ACTIONS),
                principals=[iam.AccountRootPrincipal()], resources=["*"],  # "*" is this key, in a key policy
            )]),
        )
        self.tables: dict[str, dynamodb.Table] = {}
        for spec in (*contract.STORE_TABLES, contract.IDEMPOTENCY):
            self.tables[spec.suffix] = self._table(spec, removal)

    def _table(self, spec: contract.Table, removal: RemovalPolicy) -> dynamodb.Table:
        table = dynamodb.Table(
            self, _construct_id(spec.suffix), table_name=spec.name(self.prefix),
            partition_key=_attribute(spec.partition), sort_key=_attribute(spec.sort) if spec.sort else None,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED, encryption_key=self.key,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True),
            time_to_live_attribute=spec.ttl_attribute, removal_policy=removal,
            deletion_protection=removal == RemovalPolicy.RETAIN,
        )
        for index in spec.indexes:
            table.add_global_secondary_index(
                index_name=index.name, partition_key=_attribute(index.partition),
                sort_key=_attribute(index.sort) if index.sort else None,
                projection_type=dynamodb.ProjectionType.ALL)
        return table


def _attribute(key: contract.Key) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=key.name, type=_DYNAMODB_TYPES[key.type])


def _construct_id(suffix: str) -> str:
    return "".join(part.capitalize() for part in suffix.split("-")) + "Table"
