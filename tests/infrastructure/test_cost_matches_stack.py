"""`ticket-router cost` prices the stack the CDK app builds: the same memory sizes and the same number of alarms."""

from __future__ import annotations

from cdktest import resources
from ticket_router_cdk.stages import STAGES

from ticket_router.cost import Workload


def test_the_cost_workload_uses_the_prod_stages_memory_sizes():
    prod = STAGES["prod"]
    assert Workload().memory_mb == {name: getattr(prod, name).memory_mb for name in Workload().memory_mb}


def test_the_cost_workload_counts_the_prod_stacks_alarms_and_dashboards(synthesized):
    template = synthesized.templates["TicketRouter-prod"]
    assert Workload().alarms == len(resources(template, "AWS::CloudWatch::Alarm"))
    assert Workload().dashboards == len(resources(template, "AWS::CloudWatch::Dashboard"))
    assert Workload().kms_keys == len(resources(template, "AWS::KMS::Key"))
    assert Workload().secrets == len(resources(template, "AWS::SecretsManager::Secret"))
