"""A local HTTP server speaking the OpenAI chat-completions API, for the `openai` provider's tests and benchmark.

It runs on 127.0.0.1 only, records every request (path, headers with lower-case names, JSON body), and answers through a `responder`
callable: `responder(body) -> (status, payload)` or `(status, payload, headers)`. The same server plays Bedrock
Runtime and the Anthropic API in their tests (see bedrock_stub.py, test_anthropic_provider.py).
"""

from __future__ import annotations

import itertools
import json
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Responder = Callable[[dict[str, Any]], tuple[Any, ...]]
_ids = itertools.count(1)


def tool_call_reply(name: str, arguments: dict[str, Any], model: str = "stub-model",
                    prompt_tokens: int = 1200, completion_tokens: int = 60) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{next(_ids)}", "object": "chat.completion", "created": 0, "model": model,
        "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
            "role": "assistant", "content": None,
            "tool_calls": [{"id": f"call_{next(_ids)}", "type": "function",
                            "function": {"name": name, "arguments": json.dumps(arguments)}}]}}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }


def error_reply(status: int, message: str, kind: str) -> tuple[int, dict[str, Any]]:
    return status, {"error": {"message": message, "type": kind, "code": kind}}


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that gave up (timeout) is expected
            super().handle_error(request, client_address)


class StubServer:
    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        self.requests: list[dict[str, Any]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                stub.requests.append({"path": self.path, "body": body,
                                      "headers": {k.lower(): v for k, v in self.headers.items()}})
                status, payload, *more = stub.responder(body)
                headers = {"Content-Type": "application/json", **(more[0] if more else {})}
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.root_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.base_url = f"{self.root_url}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StubServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def openai_stub(responder: Responder) -> Iterator[StubServer]:
    with StubServer(responder) as server:
        yield server


def closed_port_url() -> str:
    """A loopback URL nothing listens on: connecting to it is refused at once."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def text_reply(text: str, prompt_tokens: int = 1200, completion_tokens: int = 12) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{next(_ids)}", "object": "chat.completion", "created": 0, "model": "stub-model",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }


def in_turn(*replies: tuple[Any, ...] | dict[str, Any]) -> Responder:
    """Answers with `replies` in order (a dict is a 200 reply); the last one is repeated."""
    queue = [(200, r) if isinstance(r, dict) else r for r in replies]

    def respond(body: dict[str, Any]) -> tuple[Any, ...]:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return respond
