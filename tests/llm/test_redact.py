"""Redaction before text leaves for an external model: every kind of identifier, stable placeholders, off switch."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ticket_router.llm.redact import Redactor


@pytest.mark.parametrize("text, secret, kind", [
    ("call me on +44 7700 900123 please", "+44 7700 900123", "PHONE"),
    ("my mobile is 07700 900456", "07700 900456", "PHONE"),
    ("ring (555) 123-4567 after six", "(555) 123-4567", "PHONE"),
    ("write to jo.doe@example.co.uk", "jo.doe@example.co.uk", "EMAIL"),
    ("Account number 12345678 was charged", "12345678", "ACCOUNT"),
    ("ACC-998877 is mine", "998877", "ACCOUNT"),
    ("my account is 55512345, fix it", "55512345", "ACCOUNT"),
    ("card 4111 1111 1111 1111 was debited", "4111 1111 1111 1111", "CARD"),
    ("card 4111-1111-1111-1112 (a typo, fails Luhn) is still withheld", "4111-1111-1111-1112", "CARD"),
    ("Amex 3782 822463 10005", "3782 822463 10005", "CARD"),
    ("IMEI 490154203237518 is blocked", "490154203237518", "IMEI"),
    ("IMEI 35-693803-564380-9 is blocked", "35-693803-564380-9", "IMEI"),
    ("SIM ICCID 8944110068011234567", "8944110068011234567", "ICCID"),
    ("reference 123456789012 on the letter", "123456789012", "NUMBER"),
])
def test_each_kind_of_identifier_is_withheld(text, secret, kind):
    redacted = Redactor()(text)
    assert secret not in redacted
    if kind != "EMAIL":
        assert re.sub(r"\D", "", secret) not in re.sub(r"\D", "", redacted)
    assert f"[{kind}_1]" in redacted


def test_what_routing_needs_is_kept():
    text = ("Charged $49.99 twice on invoice INV-2026-00421, error 651 since 2026-11-25 06:40, "
            "speed 300 Mbps, internet down in North, SW1A 1AA")
    assert Redactor()(text) == text


def test_same_value_same_placeholder_within_a_ticket_and_counts_never_hold_values():
    redact = Redactor()
    first = redact("Call +44 7700 900123 or mail JO@EXAMPLE.COM")
    second = redact("again: +447700900123, jo@example.com, and 07700 900456")
    assert first == "Call [PHONE_1] or mail [EMAIL_1]"
    assert second == "again: [PHONE_1], [EMAIL_1], and [PHONE_2]"
    assert redact.counts == {"PHONE": 2, "EMAIL": 1}


def test_a_new_redactor_starts_numbering_again():
    assert Redactor()("+44 7700 900123") == Redactor()("+44 7700 900999") == "[PHONE_1]"


def test_disabled_returns_text_unchanged():
    text = "call +44 7700 900123, account number 12345678, IMEI 490154203237518"
    redact = Redactor(enabled=False)
    assert redact(text) == text and redact.counts == {}


digits = st.text(alphabet="0123456789", min_size=8, max_size=19)


@given(prefix=st.text(alphabet="abc ,.", max_size=20), number=digits, suffix=st.text(alphabet="abc ,.", max_size=20))
def test_no_run_of_eight_or_more_digits_survives(prefix, number, suffix):
    redacted = Redactor()(f"{prefix} {number} {suffix}")
    assert not re.search(r"\d{8,}", redacted)
