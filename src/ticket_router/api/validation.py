"""Input checks at the HTTP edge, on top of the domain's own validation (the same the CLI uses).

The domain accepts any string; storage has limits the API must turn into 400s rather than 500s: PostgreSQL
refuses NUL characters and over-long values in bounded columns, and no database takes unpaired surrogates.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ticket_router.api.schemas import FieldError, iso_datetime, text_problem
from ticket_router.domain import Team, Ticket, as_utc
from ticket_router.ingest import TICKET_FIELDS, Rejected, to_ticket
from ticket_router.policy import RoutingPolicy

M = TypeVar("M", bound=BaseModel)

# Bounded ticket columns (store/schema.py); the other ticket fields are unbounded text.
TICKET_LIMITS = {"ticket_id": 200, "customer_id": 100, "channel": 50}


class InvalidInput(Exception):
    """Carries the per-field errors of a request the API refuses with 400."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


def _field_of(part: str) -> FieldError:
    if part.startswith("missing "):
        return FieldError(field=part.removeprefix("missing ").strip(), message="field required")
    head, sep, rest = part.partition(":")
    if sep and head.strip() in TICKET_FIELDS:
        return FieldError(field=head.strip(), message=rest.strip())
    if "subject and description" in part:
        return FieldError(field="description", message=part)
    return FieldError(field="body", message=part)


def rejection_errors(rejected: Rejected) -> list[FieldError]:
    """The CLI's one-line rejection reason, split back into its per-field parts."""
    return [_field_of(part.strip()) for part in rejected.reason.split("; ") if part.strip()]


def parse_ticket(raw: Any) -> Ticket:
    """A ticket exactly as the CLI would accept it, or `InvalidInput` naming each bad field."""
    if isinstance(raw, dict):
        problems = [FieldError(field=k, message=p) for k, v in raw.items()
                    if isinstance(v, str) and (p := text_problem(v)) and k in TICKET_FIELDS]
        if problems:
            raise InvalidInput(problems)
    try:
        result = to_ticket(raw, 1)
    except (OverflowError, OSError):  # a created_at whose UTC conversion leaves the calendar
        raise InvalidInput([FieldError(field="created_at", message="date-time out of range")]) from None
    if isinstance(result, Rejected):
        raise InvalidInput(rejection_errors(result))
    ticket = result.record
    too_long = [FieldError(field=name, message=f"at most {limit} characters")
                for name, limit in TICKET_LIMITS.items()
                if (value := getattr(ticket, name)) is not None and len(value) > limit]
    if too_long:
        raise InvalidInput(too_long)
    return ticket


def build(model: type[M], **fields: Any) -> M:
    """Build a domain object from checked request fields; its own validators' complaints become a 400."""
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        raise InvalidInput([
            FieldError(field=".".join(str(p) for p in item["loc"]) or "body",
                       message=item["msg"].removeprefix("Value error, "))
            for item in error.errors(include_url=False)
        ]) from None
    except (OverflowError, OSError):
        raise InvalidInput([FieldError(field="body", message="date-time out of range")]) from None


def utc_datetime(value: datetime, field: str) -> datetime:
    try:
        return as_utc(value)
    except (OverflowError, OSError):
        raise InvalidInput([FieldError(field=field, message="date-time out of range")]) from None


def parse_datetime(value: str, field: str) -> datetime:
    """An ISO 8601 date-time from a query string (a number is not one, whatever pydantic's lax mode thinks)."""
    try:
        parsed = iso_datetime(value)
    except ValueError:
        raise InvalidInput([FieldError(field=field, message="not an ISO 8601 date-time")]) from None
    return utc_datetime(parsed, field)


def policy_team(team: Team, policy: RoutingPolicy) -> Team:
    """`team` when it is one of the policy's teams; otherwise a 400 naming them (the HTTP API and the Lambda)."""
    if team not in policy.teams:
        raise InvalidInput([FieldError(field="team", message=f"unknown team {team.value!r}; the policy's teams: "
                                       f"{', '.join(t.value for t in policy.teams)}")])
    return team
