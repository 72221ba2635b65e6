"""Redaction of personal identifiers before any text leaves for an external model.

Phone numbers, emails, account numbers, card numbers, IMEIs, ICCIDs, names, street addresses, dates of birth,
SSNs, UK sort codes, IP addresses, PINs and passwords are replaced by stable placeholders
(`[PHONE_1]`, `[EMAIL_1]`, …): the same value gets the same placeholder within one ticket, so the model can still
see that two mentions are the same number. The patterns are the entity extractor's own (tools/entities.py), so
what the router recognises as an identifier is exactly what is withheld; only card numbers and bare long digit
runs, which the extractor has no kind for, get patterns here. When in doubt it withholds: a card-shaped number is
withheld even when it fails the Luhn check (a mistyped card number is still a card number).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from ticket_router.tools.entities import (
    ACCOUNT,
    EMAIL,
    ICCID,
    IMEI,
    PHONE_E164,
    PHONE_NATIONAL,
    _tail_id,
    luhn_ok,
)

# 13-19 digits, optionally in groups of 4 (or Amex 4-6-5) separated by spaces or dashes.
CARD = re.compile(r"(?<![\d-])(?:\d{4}[- ]?){3}\d{1,7}(?![\d-])|(?<![\d-])\d{4}[- ]\d{6}[- ]\d{5}(?![\d-])")
# A number of 5+ digits shortly after the word account ("my account is 5551234"), which the extractor's stricter
# pattern (it wants "account number: …") does not claim.
ACCOUNT_MENTION = re.compile(r"\b(?:account|acct|a/c)\b[^\d\n]{0,20}?(\d{5,})(?!\d)", re.IGNORECASE)
# "acct no. 1234": a short account number, when labelled as one.
ACCOUNT_SHORT = re.compile(r"\b(?:account|acct|a/c)\.?\s*(?:number|no\.?|num|#)\s*[:#]?\s*(\d{3,})(?!\d)", re.IGNORECASE)
# Any other run of 8+ digits: an unlabelled account or reference number is still an identifier.
LONG_NUMBER = re.compile(r"(?<!\d)\d{8,}(?!\d)")

_I = re.IGNORECASE
_NAME = r"([A-Z][a-zA-Z'’-]+(?:[ \t]+[A-Z][a-zA-Z'’-]+){0,2})"
# "my name is Jo Bloggs", "Name: Jo Bloggs", "I'm called jo bloggs" (a name given as one is one, capitals or not).
NAME_GIVEN = re.compile(r"\b(?:my name is|my name's|name\s*:|i am called|i'm called|account holder\s*:?)[ \t]*"
                        r"([A-Za-z][a-zA-Z'’-]+(?:[ \t]+[A-Za-z][a-zA-Z'’-]+){0,2})", _I)
# A sign-off: "Thanks,\nJo Bloggs", "Kind regards - Jo".
NAME_SIGNED = re.compile(r"(?i:\b(?:thanks|thank you|many thanks|regards|kind regards|best regards|best wishes|cheers|"
                         r"sincerely|yours sincerely|yours faithfully|yours truly|br))[ \t]*[,.!-]?[ \t]*\n?[ \t]*-?[ \t]*"
                         + _NAME + r"[ \t]*[.!]?[ \t]*(?:\n|$)")
STREET = re.compile(r"\b\d{1,5}[A-Za-z]?,?[ \t]+(?:[A-Za-z][a-z'-]+[ \t]+){1,3}(?:street|st|road|rd|avenue|ave|lane|ln|"
                    r"drive|dr|close|court|ct|way|place|pl|crescent|cres|terrace|boulevard|blvd|gardens|grove|hill|"
                    r"square|sq|parade|mews|row|walk)\b\.?", _I)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = (rf"\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"
         rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}")
BIRTH_DATE = re.compile(rf"\b(?:date of birth|birth ?date|d\.?o\.?b\.?|born(?: on)?|birthday)\s*(?:is|was|:|-)?\s*({_DATE})", _I)
SSN = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])|\b(?:ssn|social security(?: number| no\.?)?)\s*[:#]?\s*(\d{9})\b", _I)
SORT_CODE = re.compile(r"(?<![\d-])\d{2}-\d{2}-\d{2}(?![\d-])|\bsort\s*code\s*[:#]?\s*(\d{6}|\d{2} \d{2} \d{2})\b", _I)
IP_ADDRESS = re.compile(
    r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])"
    r"|(?<![:\w])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![:\w])"
    r"|(?<![:\w])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?(?![:\w])", _I)
PIN = re.compile(r"\b(?:pin|pin code|pin number|passcode|security code)\s*(?:is|was|:|=|#|-)?\s*(\d{4,8})(?!\d)", _I)
# The word after "password is"/"password:" (not "password is wrong").
PASSWORD = re.compile(r"\b(?:password|passwd|pwd|passphrase|pass word)\s*(?:is|was|:|=)\s*"
                      r"(?!(?:not|wrong|incorrect|invalid|expired|too|being|locked|correct|the|my|a|reset)\b)"
                      r"(\"[^\"\n]{1,64}\"|'[^'\n]{1,64}'|\S{1,64})", _I)


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _whole(match: re.Match[str]) -> tuple[int, int] | None:
    return match.span()


def _card_span(match: re.Match[str]) -> tuple[int, int] | None:
    return match.span() if 13 <= len(_digits(match.group(0))) <= 19 else None


def _group_span(match: re.Match[str]) -> tuple[int, int] | None:
    return match.span(1)


def _labelled_span(match: re.Match[str]) -> tuple[int, int] | None:
    """The labelled value (group 1) when the label matched, else the whole match (an unlabelled `123-45-6789`)."""
    return match.span(1) if match.group(1) else match.span()


def _imei_span(match: re.Match[str]) -> tuple[int, int] | None:
    return match.span(1) if luhn_ok(_digits(match.group(1))) else None


def _account_span(match: re.Match[str]) -> tuple[int, int] | None:
    """Only the number of `account number: 12345678` is withheld; the label stays, it tells the model the kind."""
    ident = _tail_id(match.group(0))
    if not ident:
        return None
    offset = match.group(0).rfind(ident)
    return (match.start() + offset, match.start() + offset + len(ident))


def _phone_span(match: re.Match[str]) -> tuple[int, int] | None:
    return match.span() if 8 <= len(_digits(match.group(0))) <= 15 else None


# Most specific first: a span claimed by one kind is never claimed again.
RULES: tuple[tuple[str, re.Pattern[str], Callable[[re.Match[str]], tuple[int, int] | None]], ...] = (
    ("EMAIL", EMAIL, _group_span),
    ("IP", IP_ADDRESS, _whole),
    ("PASSWORD", PASSWORD, _group_span),
    ("ICCID", ICCID, _whole),
    ("IMEI", IMEI, _imei_span),
    ("CARD", CARD, _card_span),
    ("DOB", BIRTH_DATE, _group_span),
    ("SSN", SSN, _labelled_span),
    ("SORT_CODE", SORT_CODE, _labelled_span),
    ("PIN", PIN, _group_span),
    ("ACCOUNT", ACCOUNT, _account_span),
    ("ACCOUNT", ACCOUNT_MENTION, _group_span),
    ("ACCOUNT", ACCOUNT_SHORT, _group_span),
    ("PHONE", PHONE_E164, _phone_span),
    ("PHONE", PHONE_NATIONAL, _phone_span),
    ("ADDRESS", STREET, _whole),
    ("NAME", NAME_GIVEN, _group_span),
    ("NAME", NAME_SIGNED, _group_span),
    ("NUMBER", LONG_NUMBER, _whole),
)
# Kinds whose value is a number: the same digits are the same value, however they are spaced.
NUMERIC = frozenset({"ICCID", "IMEI", "CARD", "SSN", "SORT_CODE", "PIN", "ACCOUNT", "PHONE", "NUMBER"})


class Redactor:
    """Redacts texts of one ticket with one shared placeholder table. Disabled, it returns texts unchanged."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._placeholders: dict[tuple[str, str], str] = {}
        self._per_kind: Counter[str] = Counter()

    def __call__(self, text: str) -> str:
        if not self.enabled or not text:
            return text
        claimed: list[tuple[int, int, str]] = []
        for kind, pattern, span_of in RULES:
            for match in pattern.finditer(text):
                span = span_of(match)
                if span is None or any(span[0] < end and start < span[1] for start, end, _ in claimed):
                    continue
                claimed.append((span[0], span[1], kind))
        out, last = [], 0
        for start, end, kind in sorted(claimed):
            out.append(text[last:start])
            out.append(self._placeholder(kind, text[start:end]))
            last = end
        out.append(text[last:])
        return "".join(out)

    def _placeholder(self, kind: str, value: str) -> str:
        key = (kind, _digits(value) if kind in NUMERIC else " ".join(value.casefold().split()))
        if key not in self._placeholders:
            self._per_kind[kind] += 1
            self._placeholders[key] = f"[{kind}_{self._per_kind[kind]}]"
        return self._placeholders[key]

    @property
    def counts(self) -> dict[str, int]:
        """How many distinct values of each kind were withheld (never the values themselves)."""
        return dict(self._per_kind)
