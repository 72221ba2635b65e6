from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator

import pytest
from awsstack import Stack, aws_stack
from servers import Receiver, receiver

from ticket_router.aws import observability


@pytest.fixture
def chain() -> Iterator[tuple[Stack, Receiver]]:
    """The fake AWS deployment with a real local ticketing receiver behind the update function."""
    with receiver() as endpoint, aws_stack(endpoint.url) as stack:
        yield stack, endpoint


@pytest.fixture
def stack(chain: tuple[Stack, Receiver]) -> Stack:
    return chain[0]


@pytest.fixture
def lambda_logs() -> Iterator[Callable[[], list[dict]]]:
    """The JSON lines the handlers' Powertools logger writes (its handler keeps the stream it was made with, so
    pytest's capture cannot see it): returns a function that parses what was written so far."""
    buffer = io.StringIO()
    handlers = [h for h in logging.getLogger(observability.logger().name).handlers
                if isinstance(h, logging.StreamHandler)]
    previous = [h.setStream(buffer) for h in handlers]
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{")]
    for handler, stream in zip(handlers, previous):
        handler.setStream(stream)
