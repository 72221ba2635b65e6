"""Request bodies against a real server (uvicorn on a loopback port), issue 11 item 1: the size limit holds for
the bytes actually received, a chunked upload without Content-Length included, and a request without a valid key
is refused before a byte of its body is read. The client is a raw socket, so it can count what it got to send."""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from apitest import KEY, make_settings
from servers import free_port

from ticket_router.api import create_app
from ticket_router.api.middleware import MAX_BODY_BYTES

CHUNK = 256 * 1024
# What the kernel's socket buffers (both ends, loopback) can hold beyond what the server has read.
SLACK = 8 * 1024 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[int]:  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("limits") / "service.db"
    port = free_port()
    app = create_app(make_settings(database_url=f"sqlite:///{db}"))
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running.started
    yield port
    running.should_exit = True
    thread.join(30)


def _open(port: int, headers: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall((f"POST /v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  f"Transfer-Encoding: chunked\r\n{headers}\r\n").encode())
    return sock


def _status(sock: socket.socket) -> int:
    head = b""
    while b"\r\n" not in head:
        data = sock.recv(4096)
        if not data:
            break
        head += data
    return int(head.split(b" ", 2)[1])


def _upload_until_answered(sock: socket.socket, limit: int) -> int:
    """Send chunks (no Content-Length, no end) until the server answers or `limit` bytes are sent; the bytes sent."""
    chunk = f"{CHUNK:x}\r\n".encode() + b"a" * CHUNK + b"\r\n"
    sent = 0
    while sent < limit:
        readable, _, _ = select.select([sock], [], [], 0)
        if readable:
            break
        try:
            sock.sendall(chunk)
        except OSError:  # the server answered and closed: stop sending
            break
        sent += CHUNK
    return sent


def test_a_request_without_a_key_is_refused_before_its_body_is_read(server):
    with _open(server, "") as sock:  # headers only: not one byte of the (chunked) body is sent
        assert _status(sock) == 401


def test_a_request_with_a_wrong_key_is_refused_before_its_body_is_read(server):
    with _open(server, "Authorization: Bearer wrong-key-0123456789abcdef\r\n") as sock:
        assert _status(sock) == 401


def test_a_chunked_upload_over_the_limit_is_cut_off_at_the_limit(server):
    with _open(server, f"Authorization: Bearer {KEY}\r\n") as sock:
        sent = _upload_until_answered(sock, limit=4 * MAX_BODY_BYTES)
        assert _status(sock) == 413
    # The server read at most the limit: the client could not push more than that plus what the socket buffers
    # hold, and never the 64 MB it was ready to send.
    assert sent <= MAX_BODY_BYTES + SLACK, sent


def test_a_small_chunked_ticket_is_routed(server):
    body = b'{"ticket_id": "CH-1", "description": "no internet since 6am"}'
    with _open(server, f"Authorization: Bearer {KEY}\r\n") as sock:
        sock.sendall(f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n")
        assert _status(sock) == 201
