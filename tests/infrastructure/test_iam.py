"""Least privilege: every Allow names its actions (no `*` anywhere in an action) and its resources.

Where `*` is allowed, and why:
- the KMS key policy's resource: in a key policy `*` means "this key" (AWS requires that form);
- the TLS-only `Deny` on every queue and the alarm topic (`sqs:*` / `sns:*` for any principal when
  `aws:SecureTransport` is false): denying every action is the point;
- wildcards *inside* an ARN, never a bare `*` resource: the log streams of a function's own log group (Lambda names
  them) and the Bedrock foundation model in whichever region a cross-region inference profile routes to.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from cdktest import CASCADE, STAGES, resources

from ticket_router.aws import contract

ALL = (*[f"TicketRouter-{s}" for s in STAGES], CASCADE)


def statements(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every policy statement of the template: IAM policies, role policies, resource policies, the key policy."""
    for logical_id, resource in template["Resources"].items():
        props = resource.get("Properties", {})
        documents = [props.get(k) for k in ("PolicyDocument", "KeyPolicy", "AssumeRolePolicyDocument")]
        documents += [p["PolicyDocument"] for p in props.get("Policies", [])]
        for document in filter(None, documents):
            for statement in document["Statement"]:
                yield f"{logical_id} ({resource['Type']})", statement


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("name", ALL)
def test_no_allow_statement_has_a_wildcard_action(synthesized, name):
    found = [(where, s["Action"]) for where, s in statements(synthesized.templates[name])
             if s["Effect"] == "Allow" and "Action" in s and any("*" in a for a in as_list(s["Action"]))]
    assert found == []


@pytest.mark.parametrize("name", ALL)
def test_no_allow_statement_has_a_bare_star_resource_except_the_key_policy(synthesized, name):
    found = [where for where, s in statements(synthesized.templates[name])
             if s["Effect"] == "Allow" and "*" in as_list(s.get("Resource", [])) and "AWS::KMS::Key" not in where]
    assert found == []


@pytest.mark.parametrize("name", ALL)
def test_wildcard_denies_are_only_the_tls_only_policies(synthesized, name):
    for where, statement in statements(synthesized.templates[name]):
        if statement["Effect"] == "Deny":
            assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}, where


def test_the_key_policy_delegates_named_actions_to_the_account_only(synthesized):
    (key,) = resources(synthesized.templates["TicketRouter-prod"], "AWS::KMS::Key").values()
    (statement,) = key["Properties"]["KeyPolicy"]["Statement"]
    assert "kms:PutKeyPolicy" in statement["Action"]  # the key can never be locked out
    assert "root" in str(statement["Principal"])


def role_actions(template: dict[str, Any], function_name: str) -> dict[str, list[Any]]:
    """action → resources, over the role of the function named `function_name` (the contract's name)."""
    (function,) = [f for f in resources(template, "AWS::Lambda::Function").values()
                   if f["Properties"]["FunctionName"].endswith(f"-{function_name}")]
    role = function["Properties"]["Role"]["Fn::GetAtt"][0]
    result: dict[str, list[Any]] = {}
    for policy in resources(template, "AWS::IAM::Policy").values():
        if {"Ref": role} in policy["Properties"]["Roles"]:
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
                for action in as_list(statement["Action"]):
                    result.setdefault(action, []).extend(as_list(statement["Resource"]))
    return result


def test_bedrock_is_invocable_only_by_the_router_and_only_on_the_configured_models(synthesized):
    cascade = synthesized.templates[CASCADE]
    route = role_actions(cascade, "route")
    assert set(route) >= {"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"}
    arns = [str(r) for r in route["bedrock:InvokeModel"]]
    assert len(arns) == 2
    assert any("inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0" in a for a in arns)
    assert any(":bedrock:*::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0" in a for a in arns)
    for other in ("ingest", "update", "api"):
        assert not any(a.startswith("bedrock:") for a in role_actions(cascade, other))
    local = synthesized.templates["TicketRouter-prod"]  # engine local: no model calls at all
    assert not any(a.startswith("bedrock:") for a in role_actions(local, "route"))


def test_each_role_gets_what_its_contract_needs_and_no_more(synthesized):
    template = synthesized.templates["TicketRouter-prod"]
    update = role_actions(template, contract.UPDATE.name)
    assert "secretsmanager:GetSecretValue" in update and "events:PutEvents" not in update
    assert not any("dynamodb:" in a and "tickets" in str(r) for a, rs in update.items() for r in rs)
    api = role_actions(template, contract.API.name)
    assert "dynamodb:PutItem" in api and "events:PutEvents" not in api and "secretsmanager:GetSecretValue" not in api
    ingest = role_actions(template, contract.INGEST.name)
    assert "events:PutEvents" in ingest and "sqs:ReceiveMessage" not in ingest
    route = role_actions(template, contract.ROUTE.name)
    assert "sqs:ReceiveMessage" in route and "secretsmanager:GetSecretValue" not in route


def test_a_need_the_contract_adds_without_an_iam_mapping_fails_the_synth():
    from ticket_router_cdk.permissions import Resources, UnmappedNeedError, statements

    nothing = Resources(tables={}, table_specs={}, key=None, bus=None, secret=None, own_queue=None,  # type: ignore[arg-type]
                        bedrock_models=(), llm_enabled=False)
    with pytest.raises(UnmappedNeedError, match="s3:get"):
        statements(contract.Function("export", "ticket_router.aws.export.handler", (), ("s3:get (reports)",)),
                   nothing)


def test_bedrock_arns_pin_profiles_to_this_region_and_plain_models_too():
    from ticket_router_cdk.permissions import bedrock_arns

    profile, model = bedrock_arns(("eu.anthropic.claude-haiku-4-5-20251001-v1:0",))
    assert ":inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0" in profile
    assert model.endswith(":bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0")
    (plain,) = bedrock_arns(("anthropic.claude-3-5-haiku-20241022-v1:0",))
    assert "bedrock:*" not in plain and plain.endswith("::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0")
