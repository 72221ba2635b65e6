"""Failures named from the providers' real exception types, in words a dispatcher or an operator can act on."""

from __future__ import annotations

import asyncio

import pytest

botocore_exceptions = pytest.importorskip("botocore.exceptions", reason="the agent extra is not installed")
httpx = pytest.importorskip("httpx")
openai = pytest.importorskip("openai")
anthropic = pytest.importorskip("anthropic")

from strands.types.exceptions import ModelThrottledException, StructuredOutputException  # noqa: E402

from ticket_router.llm.errors import classify_failure, is_throttling  # noqa: E402
from ticket_router.llm.providers import ProviderConfigError  # noqa: E402


def client_error(code: str, message: str = "") -> Exception:
    return botocore_exceptions.ClientError({"Error": {"Code": code, "Message": message}}, "Converse")


def _response(status: int) -> httpx.Response:
    return httpx.Response(status, request=httpx.Request("POST", "http://127.0.0.1/v1/chat/completions"))


def wrapped(error: Exception) -> Exception:
    """As Strands raises it: a provider error as the cause of another."""
    try:
        try:
            raise error
        except Exception as inner:
            raise RuntimeError("model call failed") from inner
    except RuntimeError as outer:
        return outer


@pytest.mark.parametrize("error, kind", [
    (TimeoutError(), "timeout"),
    (asyncio.TimeoutError(), "timeout"),
    (botocore_exceptions.ReadTimeoutError(endpoint_url="https://bedrock-runtime"), "timeout"),
    (openai.APITimeoutError(request=httpx.Request("POST", "http://x")), "timeout"),
    (ModelThrottledException("slow down"), "throttled"),
    (client_error("ThrottlingException"), "throttled"),
    (client_error("ServiceUnavailableException"), "throttled"),
    (openai.RateLimitError("429", response=_response(429), body=None), "throttled"),
    (botocore_exceptions.NoCredentialsError(), "auth"),
    (client_error("UnrecognizedClientException", "The security token included in the request is invalid."), "auth"),
    (client_error("ExpiredTokenException"), "auth"),
    (openai.AuthenticationError("401", response=_response(401), body=None), "auth"),
    (anthropic.AuthenticationError("401", response=_response(401), body=None), "auth"),
    (client_error("AccessDeniedException", "You don't have access to the model with the specified model ID."),
     "access"),
    (openai.PermissionDeniedError("403", response=_response(403), body=None), "access"),
    (client_error("ResourceNotFoundException"), "model"),
    (client_error("ValidationException", "The provided model identifier is invalid."), "model"),
    (openai.NotFoundError("404", response=_response(404), body=None), "model"),
    (botocore_exceptions.EndpointConnectionError(endpoint_url="https://bedrock-runtime.xx-east-9.amazonaws.com"),
     "unreachable"),
    (openai.APIConnectionError(request=httpx.Request("POST", "http://x")), "unreachable"),
    (ConnectionRefusedError(), "unreachable"),
    (StructuredOutputException("no answer"), "invalid_output"),
    (ModuleNotFoundError("No module named 'strands'"), "config"),
    (ProviderConfigError("no Anthropic API key: set TICKET_ROUTER_LLM_API_KEY"), "config"),
    (KeyError("surprise"), "error"),
])
def test_each_failure_is_named(error, kind):
    failure = classify_failure(error, 8.0)
    assert failure.kind == kind
    assert failure.review_reason().startswith("LLM agent failed: ") and "embedded model decision used" in \
        failure.review_reason()
    assert failure.hint
    assert classify_failure(wrapped(error), 8.0).kind == kind  # also found through the cause chain


def test_timeout_names_the_budget_and_config_errors_say_what_to_set():
    assert "budget of 8 s" in classify_failure(TimeoutError(), 8.0).summary
    failure = classify_failure(ProviderConfigError("no Anthropic API key: set TICKET_ROUTER_LLM_API_KEY"))
    assert "TICKET_ROUTER_LLM_API_KEY" in failure.summary


def test_access_denied_hint_points_at_model_access_and_iam():
    hint = classify_failure(client_error("AccessDeniedException")).hint
    assert "Model access" in hint and "bedrock:InvokeModel" in hint


def test_only_slow_down_errors_are_retried():
    assert is_throttling(ModelThrottledException("x")) and is_throttling(wrapped(client_error("ThrottlingException")))
    assert not is_throttling(client_error("AccessDeniedException"))
    assert not is_throttling(botocore_exceptions.NoCredentialsError())
    assert not is_throttling(TimeoutError())
