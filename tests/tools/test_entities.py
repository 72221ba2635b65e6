from hypothesis import given
from hypothesis import strategies as st

from ticket_router.domain import Service
from ticket_router.tools.entities import extract_entities, luhn_ok


def test_finds_every_kind_of_identifier():
    text = (
        "Account number 12345678 and ACC-998877 were charged $49.99 and £12 on invoice INV-2026-00421. "
        "Call +44 7700 900123 or 07700 900456 or (555) 123-4567. IMEI 490154203237518, "
        "ICCID 8944110068011234567, circuit CKT-48213, error 651 and code 0x80070005. "
        "Mail jo.doe@example.co.uk, postcode SW1A 1AA. My broadband is down in North."
    )
    found = extract_entities(text, known_regions=["North", "South"])
    assert found.account_numbers == ["12345678", "ACC-998877"]
    assert found.amounts == ["$49.99", "£12"]
    assert found.invoice_numbers == ["INV-2026-00421"]
    assert found.phone_numbers == ["+44 7700 900123", "07700 900456", "(555) 123-4567"]
    assert found.imeis == ["490154203237518"]
    assert found.iccids == ["8944110068011234567"]
    assert found.circuit_ids == ["CKT-48213"]
    assert found.error_codes == ["651", "0x80070005"]
    assert found.emails == ["jo.doe@example.co.uk"]
    assert found.postcode == "SW1A 1AA"
    assert found.region == "North"
    assert found.services == [Service.INTERNET]


def test_imei_must_pass_luhn():
    assert extract_entities("IMEI 490154203237518").imeis == ["490154203237518"]
    assert extract_entities("IMEI 490154203237519").imeis == []


def test_a_number_is_only_one_kind_of_entity():
    found = extract_entities("my IMEI is 356938035643809")
    assert found.imeis == ["356938035643809"]
    assert found.phone_numbers == [] and found.account_numbers == []


def test_services_are_listed_in_the_order_the_text_names_them():
    found = extract_entities("No signal on my mobile, and the TV box and landline are fine")
    assert found.services == [Service.MOBILE, Service.TV, Service.VOICE]
    assert found.service == Service.MOBILE


def test_zip_code_needs_context():
    assert extract_entities("zip code 94107, outage since noon").postcode == "94107"
    assert extract_entities("I paid 94107 times").postcode is None


def test_nothing_found_in_plain_text():
    found = extract_entities("hello, please help")
    assert found.summary() == [] and found.service is None


@given(st.text(max_size=400))
def test_never_crashes_on_arbitrary_text(text):
    extract_entities(text, known_regions=["North"])


@given(st.integers(min_value=10**14, max_value=10**15 - 1))
def test_luhn_accepts_exactly_one_check_digit(body):
    digits = str(body)[:14]
    valid = [d for d in "0123456789" if luhn_ok(digits + d)]
    assert len(valid) == 1
