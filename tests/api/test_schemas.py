"""The OpenAPI schema says what the API really does: 400 (never 422), both ways to send a key, and text rules
that match the domain's own."""

from __future__ import annotations

import re

from ticket_router.api.schemas import HAS_TEXT, NO_NUL, PY_WHITESPACE


def test_whitespace_class_is_exactly_what_python_strips():
    blank = {c for c in map(chr, range(0x110000)) if c.isspace()}
    matched = {c for c in map(chr, range(0x110000)) if re.fullmatch(f"[{PY_WHITESPACE}]", c)}
    assert matched == blank


def test_text_patterns():
    assert re.search(HAS_TEXT, "x") and re.search(HAS_TEXT, " \u2003 x\n")
    assert not re.search(HAS_TEXT, " \t\u3000\x1c") and not re.search(HAS_TEXT, "x\x00")
    assert re.search(NO_NUL, "") and not re.search(NO_NUL, "a\x00b")


def test_schema_has_no_422_and_declares_both_key_headers(client):
    schema = client.get("/openapi.json").json()
    responses = [r for path in schema["paths"].values() for op in path.values() for r in op["responses"]]
    assert "422" not in responses and "400" in responses
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    ticket_post = schema["paths"]["/v1/tickets"]["post"]
    assert len(ticket_post["security"]) == 2  # either one will do
    assert "security" not in schema["paths"]["/healthz"]["get"]


def test_docs_page_loads_swagger_ui_from_the_service_not_a_cdn(client):
    page = client.get("/docs")
    assert page.status_code == 200 and "http://" not in page.text and "https://" not in page.text
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs/assets/swagger-ui.css").status_code == 200
