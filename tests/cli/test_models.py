"""Choosing the model by name on the command line and in the environment."""

from __future__ import annotations

import json

from cli.test_cli import run


def model_of(result) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(result.stdout.decode().strip().splitlines()[-1])["model"]


def test_the_default_model_is_the_ensemble_and_another_is_chosen_by_name(tmp_path):
    args = ["route", "--text", "Comcast data caps", "--json", "--db", str(tmp_path / "m.db")]
    assert model_of(run(args, tmp_path)) == {"name": "minilm-tfidf-v1", "version": "1"}
    assert model_of(run([*args, "--model", "tfidf-lr-v2"], tmp_path)) == {"name": "tfidf-lr-v2", "version": "1"}
    assert model_of(run(args, tmp_path, TICKET_ROUTER_MODEL="tfidf-lr-v2"))["name"] == "tfidf-lr-v2"


def test_an_unknown_model_name_is_a_usage_error_naming_the_known_ones(tmp_path):
    result = run(["route", "--text", "hello", "--model", "tfidf-lr-v9", "--db", str(tmp_path / "m.db")], tmp_path)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert "unknown model 'tfidf-lr-v9'" in err and "minilm-tfidf-v1" in err and "Traceback" not in err


def test_a_content_free_ticket_is_flagged_with_the_reason(tmp_path):
    result = run(["route", "--text", "Please call me back", "--json", "--db", str(tmp_path / "m.db")], tmp_path)
    decision = json.loads(result.stdout.decode().strip().splitlines()[-1])
    assert decision["needs_review"] and any("too little" in r for r in decision["review_reasons"])
