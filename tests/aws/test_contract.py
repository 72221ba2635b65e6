"""The contract the handlers and the CDK app share: every setting a function reads exists, handlers resolve."""

from __future__ import annotations

import importlib
import importlib.util

from ticket_router.aws import contract
from ticket_router.settings import PREFIX, Settings


def test_every_ticket_router_variable_a_function_reads_is_a_setting():
    names = {name for function in contract.FUNCTIONS for name in function.environment if name.startswith(PREFIX)}
    assert names and all(name[len(PREFIX):].lower() in Settings.model_fields for name in names)


def test_table_names_are_distinct_and_keys_typed():
    tables = (*contract.STORE_TABLES, contract.IDEMPOTENCY)
    assert len({t.name("p") for t in tables}) == len(tables)
    assert contract.OUTAGES.name("ticket-router-dev") == "ticket-router-dev-outages"
    assert {i.name for i in contract.OUTAGES.indexes} == {"by_region_service"}


def test_handler_paths_name_functions_of_the_package():
    for function in contract.FUNCTIONS:
        module, _, attribute = function.handler.rpartition(".")
        assert module.startswith("ticket_router.aws.") and attribute == "handler"
        if importlib.util.find_spec(module) is not None:
            assert callable(getattr(importlib.import_module(module), attribute))
