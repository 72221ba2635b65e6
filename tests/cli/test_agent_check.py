"""`ticket-router agent check` offline, through the real CLI in a subprocess. Bedrock is played by a local HTTP
server reached through botocore's standard endpoint override (AWS_ENDPOINT_URL_BEDROCK_RUNTIME), so the real boto3
client signs, sends and parses each request; the OpenAI-compatible provider talks to a local server too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("strands", reason="the agent extra is not installed")

from llm.bedrock_stub import converse_reply, http_error  # noqa: E402
from llm.openai_stub import closed_port_url, in_turn, openai_stub, text_reply  # noqa: E402

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
AWS_KEYS = {"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": SECRET}
OK_REPLY = converse_reply([{"text": "ok"}], "end_turn", input_tokens=14, output_tokens=2)


def check(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("TICKET_ROUTER_", "AWS_"))}
    environ.pop("ANTHROPIC_API_KEY", None)
    environ.pop("OPENAI_API_KEY", None)
    environ.update({"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "xdg"), "COLUMNS": "200",
                    "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": str(tmp_path / "none"),
                    "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"), **env})
    return subprocess.run([sys.executable, "-m", "ticket_router", "agent", "check", *args], capture_output=True,
                          env=environ, timeout=120)


def test_bedrock_without_credentials_says_how_to_provide_them(tmp_path):
    result = check(tmp_path, BEDROCK_REGION="eu-west-1")
    err = result.stderr.decode()
    assert result.returncode == 2
    assert "region eu-west-1" in err and "missing: no AWS credentials found" in err and "AWS_PROFILE" in err


def test_bedrock_answers_with_model_latency_tokens_and_cost(tmp_path):
    with openai_stub(in_turn(OK_REPLY)) as server:
        result = check(tmp_path, BEDROCK_REGION="eu-west-1", AWS_ENDPOINT_URL_BEDROCK_RUNTIME=server.root_url,
                       **AWS_KEYS)
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 0, err
    assert out.startswith("ok: bedrock us.anthropic.claude-sonnet-4-5-20250929-v1:0 answered in ")
    assert "14 input + 2 output tokens; cost $0.000072" in out  # 14 * $3/M + 2 * $15/M
    assert "AWS credentials from: env" in err
    [request] = server.requests
    assert request["path"] == "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse"
    assert request["headers"]["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/")
    assert "/eu-west-1/bedrock/" in request["headers"]["authorization"]
    assert request["body"]["inferenceConfig"]["maxTokens"] == 16
    assert SECRET not in out + err


@pytest.mark.parametrize("status, code, message, summary, fix", [
    (403, "AccessDeniedException", "You don't have access to the model with the specified model ID.",
     "access denied to the model", "Model access"),
    (400, "ValidationException", "The provided model identifier is invalid.", "model not available",
     "BEDROCK_REGION"),
    (403, "UnrecognizedClientException", "The security token included in the request is invalid.",
     "authentication failed", "aws sso login"),
    (429, "ThrottlingException", "Too many requests, please wait before trying again.", "throttled",
     "higher quota"),
])
def test_bedrock_errors_are_explained(tmp_path, status, code, message, summary, fix):
    with openai_stub(in_turn(http_error(status, code, message))) as server:
        result = check(tmp_path, BEDROCK_REGION="eu-west-1", AWS_ENDPOINT_URL_BEDROCK_RUNTIME=server.root_url,
                       **AWS_KEYS)
    err = result.stderr.decode()
    assert result.returncode == 1
    assert f"failed: {summary}" in err and fix in err and "Traceback" not in err
    assert len(server.requests) == 1  # botocore itself never retries


def test_bedrock_unreachable_is_explained(tmp_path):
    result = check(tmp_path, BEDROCK_REGION="eu-west-1", AWS_ENDPOINT_URL_BEDROCK_RUNTIME=closed_port_url(),
                   **AWS_KEYS)
    assert result.returncode == 1 and "failed: provider unreachable" in result.stderr.decode()


def test_openai_compatible_endpoint_with_a_price_file(tmp_path):
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"per_million_tokens": {"llama3.1": {"input": 0, "output": 0}}}))
    with openai_stub(in_turn(text_reply("ok", prompt_tokens=20, completion_tokens=1))) as server:
        result = check(tmp_path, TICKET_ROUTER_LLM_PROVIDER="openai", TICKET_ROUTER_LLM_MODEL="llama3.1",
                       TICKET_ROUTER_LLM_BASE_URL=server.base_url, TICKET_ROUTER_LLM_PRICES=str(prices))
    assert result.returncode == 0, result.stderr.decode()
    assert "ok: openai llama3.1 answered in" in result.stdout.decode()
    assert "20 input + 1 output tokens; cost $0.000000" in result.stdout.decode()


def test_anthropic_without_a_key_names_the_variables(tmp_path):
    result = check(tmp_path, TICKET_ROUTER_LLM_PROVIDER="anthropic")
    err = result.stderr.decode()
    assert result.returncode == 2 and "ANTHROPIC_API_KEY" in err and "TICKET_ROUTER_LLM_API_KEY" in err


def test_a_rejected_key_is_never_printed(tmp_path):
    key = "sk-live-0123456789abcdefXYZ"
    with openai_stub(in_turn((401, {"error": {"message": "bad key", "type": "invalid_api_key"}}))) as server:
        result = check(tmp_path, TICKET_ROUTER_LLM_PROVIDER="openai", TICKET_ROUTER_LLM_MODEL="gpt-4o-mini",
                       TICKET_ROUTER_LLM_BASE_URL=server.base_url, TICKET_ROUTER_LLM_API_KEY=key)
    err = result.stderr.decode()
    assert result.returncode == 1 and "authentication failed" in err
    assert key not in err + result.stdout.decode()
    assert server.requests[0]["headers"]["authorization"] == f"Bearer {key}"


def test_a_bedrock_api_key_is_sent_as_a_bearer_token_instead_of_aws_credentials(tmp_path):
    key = "ABSKbedrock-api-key-0123456789"
    with openai_stub(in_turn(OK_REPLY)) as server:
        result = check(tmp_path, BEDROCK_REGION="us-east-1", AWS_ENDPOINT_URL_BEDROCK_RUNTIME=server.root_url,
                       TICKET_ROUTER_LLM_API_KEY=key)
    assert result.returncode == 0, result.stderr.decode()
    assert server.requests[0]["headers"]["authorization"] == f"Bearer {key}"
    assert key not in result.stdout.decode() + result.stderr.decode()
