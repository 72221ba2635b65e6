"""Property-based fuzzing of the API from its own OpenAPI schema (schemathesis), on both storage backends.

Every operation gets schema-valid and schema-invalid requests. Each response must be a non-5xx whose status
code, content type, headers and body match what the schema promises; schema-invalid input must be refused
(400, never 422), and schema-valid input must not be refused for any reason the schema does not state.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from apitest import AUTH
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

# A few seeded reference rows, so that generated ids sometimes hit existing tickets, customers and outages.
SEED_TICKETS = [{"ticket_id": "0", "description": "no internet"}, {"ticket_id": "T-1", "subject": "bill"}]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))  # per operation and mode; raise it for a longer soak


# Rules a JSON schema cannot state (they compare with the clock or with stored data); the schema says them in
# words, and a schema-valid request may be refused for them, with exactly this 400.
RULES_IN_WORDS = ("more than 1 day in the future", "ended_at is before started_at")


def _refused_by_a_rule_in_words(response) -> bool:  # type: ignore[no-untyped-def]
    if response.status_code != 400:
        return False
    messages = [e.get("message", "") for e in response.json().get("errors", [])]
    return bool(messages) and all(any(rule in m for rule in RULES_IN_WORDS) for m in messages)


def _has_inputs(operation) -> bool:  # type: ignore[no-untyped-def]
    return any(len(part) for part in (operation.path_parameters, operation.query, operation.body))


@pytest.fixture
def api_schema(app_factory):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_asgi("/openapi.json", app_factory())


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_error_and_no_schema_violation(api_schema, client, mode):
    schema = api_schema
    for ticket in SEED_TICKETS:
        assert client.post("/v1/tickets", json=ticket).status_code in (200, 201)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12  # every route is in the schema, so every route is fuzzed
    for operation in operations:
        if mode is GenerationMode.NEGATIVE and not _has_inputs(operation):
            continue  # nothing to get wrong (the probes, /metrics, GET /v1/stats without `since`… still run above)

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def fuzz(case: schemathesis.Case) -> None:
            response = case.call(headers=AUTH)
            if mode is GenerationMode.POSITIVE and _refused_by_a_rule_in_words(response):
                return
            case.validate_response(response)

        fuzz()
