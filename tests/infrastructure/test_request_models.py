"""The models API Gateway validates requests with: draft 4, self-contained, and in step with the service's rules."""

from __future__ import annotations

import pytest
from jsonschema import Draft4Validator
from ticket_router_cdk.request_models import draft4, feedback_schema, ticket_schema


def test_references_are_inlined_and_unused_keywords_dropped_but_properties_named_like_them_kept():
    schema = {"$defs": {"Team": {"enum": ["a", "b"], "title": "Team"}}, "title": "X",
              "properties": {"team": {"$ref": "#/$defs/Team", "description": "which"},
                             "title": {"type": "string", "default": "", "examples": ["t"]}},
              "required": ["team"]}
    assert draft4(schema) == {"$schema": "http://json-schema.org/draft-04/schema#",
                              "properties": {"team": {"enum": ["a", "b"], "description": "which"},
                                             "title": {"type": "string"}},
                              "required": ["team"]}


def test_an_unknown_reference_fails_the_synth():
    with pytest.raises(ValueError, match="unresolvable"):
        draft4({"properties": {"a": {"$ref": "#/$defs/Missing"}}})


def errors(schema, body):
    return [e.message for e in Draft4Validator(schema).iter_errors(body)]


def test_the_ticket_model_accepts_what_the_service_accepts_and_names_what_is_missing():
    schema = ticket_schema()
    Draft4Validator.check_schema(schema)
    assert errors(schema, {"ticket_id": "T-1", "subject": "No internet"}) == []
    assert errors(schema, {"ticket_id": "T-1", "description": "Charged twice", "customer_id": None}) == []
    assert any("ticket_id" in e for e in errors(schema, {"subject": "No internet"}))
    assert errors(schema, {"ticket_id": "T-1"})  # neither subject nor description
    assert errors(schema, {"ticket_id": "T-1", "subject": "   "})  # only blanks
    assert errors(schema, {"ticket_id": "T-1", "subject": "x", "engine": "gpt"})


def test_the_feedback_model_takes_only_policy_teams_and_priorities():
    schema = feedback_schema()
    Draft4Validator.check_schema(schema)
    assert errors(schema, {"team": "Billing Support", "priority": "P1"}) == []
    assert errors(schema, {"team": "Sales"})
    assert errors(schema, {"team": "Billing Support", "extra": 1})
