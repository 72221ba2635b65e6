"""What went wrong with an LLM call, in words a dispatcher (review reason) or an operator (`agent check`) can act on.

Recognised by class name along the exception's MRO and cause chain, so no provider SDK has to be imported here.
"""

from __future__ import annotations

from dataclasses import dataclass

# Worth a retry after a backoff: the provider is rate-limiting or briefly overloaded.
THROTTLE_NAMES = {"ModelThrottledException", "RateLimitError", "OverloadedError"}
THROTTLE_CODES = {"ThrottlingException", "throttlingException", "ServiceUnavailableException",
                  "ModelNotReadyException", "TooManyRequestsException"}
AUTH_CODES = {"UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
              "ExpiredToken", "InvalidClientTokenId", "IncompleteSignature", "MissingAuthenticationToken"}


@dataclass(frozen=True)
class Failure:
    kind: str  # timeout | throttled | auth | access | model | unreachable | invalid_output | config | error
    summary: str  # short, for review reasons
    hint: str = ""  # what to do about it, for `agent check`
    error: str = ""  # the exception class name

    def review_reason(self) -> str:
        return f"LLM agent failed: {self.summary}; embedded model decision used"


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = getattr(current, "original_exception", None) or current.__cause__ or current.__context__
    return seen


def _names(error: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(error).__mro__}


def _client_error_code(error: BaseException) -> str:
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def _throttled(error: BaseException) -> bool:
    return bool(_names(error) & THROTTLE_NAMES) or _client_error_code(error) in THROTTLE_CODES


def is_throttling(error: BaseException) -> bool:
    """True when `error` (or what caused it) says "slow down": the only failures the budget retries."""
    return any(_throttled(exc) for exc in _chain(error))


def classify_failure(error: BaseException, budget_s: float | None = None) -> Failure:
    for exc in _chain(error):
        names, code, name = _names(exc), _client_error_code(exc), type(exc).__name__
        text = str(exc)
        if names & {"TimeoutError", "APITimeoutError", "ReadTimeoutError", "ConnectTimeoutError", "ReadTimeout",
                    "TimeoutException"}:
            within = f" of {budget_s:g} s" if budget_s else ""
            return Failure("timeout", f"timed out (budget{within} used up)",
                           "raise TICKET_ROUTER_LLM_TIMEOUT_S or use a faster model", name)
        if _throttled(exc):
            return Failure("throttled", "throttled by the provider (retries exhausted within the budget)",
                           "request a higher quota, or use the cascade engine to send fewer tickets", name)
        if "NoCredentialsError" in names or "PartialCredentialsError" in names:
            return Failure("auth", "no AWS credentials found",
                           "configure credentials the standard AWS way (AWS_PROFILE, environment, SSO, instance role)",
                           name)
        if code in AUTH_CODES or "AuthenticationError" in names:
            return Failure("auth", "authentication failed (credentials rejected)",
                           "check the API key or AWS credentials; expired SSO sessions need `aws sso login`", name)
        if code == "AccessDeniedException" or "PermissionDeniedError" in names:
            return Failure("access", "access denied to the model",
                           "enable the model in the Bedrock console (Model access) for this region and allow "
                           "bedrock:InvokeModel in IAM", name)
        if code in {"ResourceNotFoundException"} or "NotFoundError" in names or \
                (code == "ValidationException" and ("model identifier" in text or "on-demand throughput" in text)):
            return Failure("model", "model not available (unknown id, or not offered in this region)",
                           "check TICKET_ROUTER_LLM_MODEL and BEDROCK_REGION; cross-region ids start with us./eu./"
                           "global.", name)
        if names & {"EndpointConnectionError", "APIConnectionError", "ConnectError", "ConnectionError",
                    "ConnectionRefusedError", "ProxyConnectionError"}:
            return Failure("unreachable", "provider unreachable (connection failed)",
                           "check the network, BEDROCK_REGION or TICKET_ROUTER_LLM_BASE_URL", name)
        if names & {"StructuredOutputException", "ValidationError", "JSONDecodeError", "NoAnswer"}:
            return Failure("invalid_output", "no valid structured answer (malformed or outside the policy)",
                           "the model could not produce the answer format; try a stronger model", name)
        if "ModuleNotFoundError" in names:
            return Failure("config", "LLM support not installed",
                           "install the extra: pip install 'ticket-router[agent]'", name)
        if "ProviderConfigError" in names:
            return Failure("config", text, text, name)
    return Failure("error", f"unexpected error ({type(error).__name__})", "run with TICKET_ROUTER_LOG_LEVEL=DEBUG",
                   type(error).__name__)
