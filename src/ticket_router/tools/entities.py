"""Tool 2: extract_entities — identifiers, amounts, contact details, service and place from ticket text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from ticket_router.domain import MAX_TOOL_CHARS, Service


class Entities(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    account_numbers: list[str] = Field(default_factory=list)
    phone_numbers: list[str] = Field(default_factory=list)
    imeis: list[str] = Field(default_factory=list)
    iccids: list[str] = Field(default_factory=list)
    circuit_ids: list[str] = Field(default_factory=list)
    error_codes: list[str] = Field(default_factory=list)
    invoice_numbers: list[str] = Field(default_factory=list)
    amounts: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    services: list[Service] = Field(default_factory=list)
    region: str | None = None
    postcode: str | None = None

    @property
    def service(self) -> Service | None:
        """The affected service: the first one the text names."""
        return self.services[0] if self.services else None

    def summary(self) -> list[str]:
        """Short `kind: value` strings for reasoning and display, most useful first."""
        parts = []
        for label, values in (
            ("account", self.account_numbers),
            ("circuit", self.circuit_ids),
            ("invoice", self.invoice_numbers),
            ("amount", self.amounts),
            ("error", self.error_codes),
            ("IMEI", self.imeis),
            ("ICCID", self.iccids),
            ("phone", self.phone_numbers),
            ("email", self.emails),
        ):
            parts.extend(f"{label} {value}" for value in values[:2])
        return parts


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


_I = re.IGNORECASE
# Starts only where a run of address characters starts: from every dot of "a.a.a.a…" it would rescan to the run's
# end, quadratic in its length.
EMAIL = re.compile(r"(?<![\w.+-])[.+-]*\b([\w+-][\w.+-]*@[\w-]+(?:\.[\w-]+)+)\b")
ICCID = re.compile(r"(?<!\d)89\d{17,18}(?!\d)")
IMEI = re.compile(r"(?<![\d-])(\d{2}[- ]?\d{6}[- ]?\d{6}[- ]?\d)(?![\d-])")
INVOICE = re.compile(r"\b(?:INV[-#]?\s?[A-Z0-9][A-Z0-9-]{3,}|invoice\s*(?:number|no\.?|#)?\s*[:#]?\s*[A-Z0-9-]*\d[A-Z0-9-]*)", _I)
CIRCUIT = re.compile(
    r"\b(?:(?:CKT|CIR|SVC|SID)[-_]?[A-Z0-9]*\d{3,}[A-Z0-9]*|circuit\s*(?:id|ref(?:erence)?|number|no\.?)?\s*[:#]?\s*[A-Z0-9/-]*\d[A-Z0-9/-]*)",
    _I,
)
ACCOUNT = re.compile(r"\b(?:ACC|ACCT)[-#]?\s?\d{4,}|\baccount\s*(?:number|no\.?|num|#|id)?\s*[:#]?\s*\d{5,12}\b", _I)
ERROR = re.compile(
    r"\b(?:error|err)\s*(?:code|message)?\s*[:#]?\s*\"?([A-Z]{0,4}[-_]?\d{2,6}|0x[0-9a-f]{4,8})\b"
    r"|\bcode\s*[:#]?\s*(0x[0-9a-f]{4,8}|[A-Z]{1,4}-\d{2,6})\b"
    r"|\b(E-?\d{3,5})\b",
    _I,
)
MONEY = re.compile(
    # (?<![\d,]): a number is read from its first digit only (from every digit of "1,1,1,…" would be quadratic)
    r"(?:[$£€]\s?\d[\d,]*(?:\.\d{1,2})?|(?<![\d,])\b\d[\d,]*(?:\.\d{1,2})?\s?(?:USD|GBP|EUR|dollars|bucks|pounds|quid|euros?)\b)",
    _I
)
PHONE_E164 = re.compile(r"(?<![\w+])\+\d[\d\s().-]{6,18}\d(?!\d)")
PHONE_NATIONAL = re.compile(r"(?<![\w+])(?:0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}|\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4})(?!\d)")
UK_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})\b")
ZIP = re.compile(r"\b(?:zip(?:\s?code)?|postcode|postal code)\s*[:#]?\s*(\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})\b", _I)

SERVICE_WORDS: dict[Service, tuple[str, ...]] = {
    Service.INTERNET: ("internet", "broadband", "wifi", "wi-fi", "fibre", "fiber", "modem", "router", "dsl",
                       "online", "ethernet", "mbps", "download", "upload", "connection", "xfinity internet"),
    Service.MOBILE: ("mobile", "cell", "cellphone", "4g", "5g", "lte", "sim", "esim", "signal", "bars",
                     "text message", "sms", "roaming", "data plan", "mobile data", "handset", "iphone", "android"),
    Service.TV: ("tv", "television", "cable box", "set-top", "set top", "dvr", "channel", "channels",
                 "on demand", "streaming box", "remote"),
    Service.VOICE: ("landline", "home phone", "dial tone", "voip", "phone line", "voice", "sip trunk", "pbx"),
}
_SERVICE_OF = {word: service for service, words in SERVICE_WORDS.items() for word in words}
# One pass over the lowercased text (a case-insensitive alternation is several times slower in `re`).
_SERVICE_WORD = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in sorted(_SERVICE_OF, key=len, reverse=True)) + r")\b"
)


class _Masked:
    """The text with already-claimed spans blanked, so one number is never two kinds of entity.

    The spans a pattern claims are blanked together, in one pass over the text: blanking them one by one would copy
    the whole text per match (a ticket full of e-mail addresses took 42 s for 1.6 MB)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def take(self, pattern: re.Pattern[str], group: int | None = None) -> list[str]:
        found: list[str] = []
        spans: list[tuple[int, int]] = []
        for match in pattern.finditer(self.text):
            value = match.group(group) if group is not None else _first_group(match)
            if value:
                found.append(value.strip())
                spans.append(match.span())
        self.blank(spans)
        return _unique(found)

    def blank(self, spans: list[tuple[int, int]]) -> None:
        """Blank the spans (in text order, not overlapping) in one pass."""
        if not spans:
            return
        parts, last = [], 0
        for start, end in spans:
            parts += [self.text[last:start], " " * (end - start)]
            last = end
        parts.append(self.text[last:])
        self.text = "".join(parts)


def _first_group(match: re.Match[str]) -> str:
    return next((g for g in match.groups() if g), match.group(0))


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def extract_entities(text: str, known_regions: Iterable[str] = ()) -> Entities:
    """Find account numbers, phone numbers (national and E.164), IMEIs (Luhn-checked), ICCIDs, circuit ids,
    error codes, invoice numbers, money amounts, emails, the affected services and a region or postcode, in the
    first `MAX_TOOL_CHARS` characters of the text."""
    text = text[:MAX_TOOL_CHARS]
    masked = _Masked(text)
    emails = masked.take(EMAIL)
    iccids = masked.take(ICCID)
    imeis, imei_spans = [], []
    for match in IMEI.finditer(masked.text):
        digits = _digits(match.group(1))
        if luhn_ok(digits):
            imeis.append(digits)
            imei_spans.append(match.span())
    masked.blank(imei_spans)
    invoices = [_tail_id(v) for v in masked.take(INVOICE, group=0)]
    circuits = [_tail_id(v) for v in masked.take(CIRCUIT, group=0)]
    accounts = [_tail_id(v) for v in masked.take(ACCOUNT, group=0)]
    postcode_context = masked.take(ZIP, group=1)
    errors = masked.take(ERROR)
    amounts = masked.take(MONEY, group=0)
    phones = [p for p in masked.take(PHONE_E164, group=0) + masked.take(PHONE_NATIONAL, group=0)
              if 8 <= len(_digits(p)) <= 15]
    postcodes = postcode_context or UK_POSTCODE.findall(masked.text)
    services = list(dict.fromkeys(_SERVICE_OF[word] for word in _SERVICE_WORD.findall(text.lower())))
    return Entities(
        account_numbers=_unique(a for a in accounts if a),
        phone_numbers=_unique(phones),
        imeis=_unique(imeis),
        iccids=iccids,
        circuit_ids=_unique(c for c in circuits if c),
        error_codes=errors,
        invoice_numbers=_unique(i for i in invoices if i),
        amounts=amounts,
        emails=emails,
        services=services,
        region=_find_region(text, known_regions),
        postcode=postcodes[0] if postcodes else None,
    )


_ID_TAIL = re.compile(r"[A-Z0-9][A-Z0-9/_-]*\d[A-Z0-9/_-]*$", _I)
_LABEL = re.compile(r"^(?:invoice|circuit|account)\s*(?:number|no\.?|num|id|ref(?:erence)?|#)?\s*[:#]?\s*", _I)


def _tail_id(value: str) -> str:
    """`account number: 12345678` → `12345678`; `ACC-123456` and `INV-2026-001` stay whole."""
    stripped = _LABEL.sub("", value).strip()
    match = _ID_TAIL.search(stripped)
    return match.group(0) if match else ""


def _find_region(text: str, known_regions: Iterable[str]) -> str | None:
    for region in known_regions:
        if region and re.search(rf"\b{re.escape(region)}\b", text):
            return region
    return None
