"""Settings: read from TICKET_ROUTER_* variables, strict, and careful with secrets."""

import pytest

from ticket_router.settings import SettingsError, load_settings


def test_a_misspelt_setting_fails_loudly():
    with pytest.raises(SettingsError, match="TICKET_ROUTER_DATABSE_URL"):
        load_settings({"TICKET_ROUTER_DATABSE_URL": "sqlite:///x.db"})


def test_the_database_label_hides_the_password():
    settings = load_settings({"TICKET_ROUTER_DATABASE_URL": "postgresql://router:s3cret-pass@db.internal:5432/tickets"})
    label = settings.database_label()
    assert "s3cret-pass" not in label and "db.internal:5432/tickets" in label


def test_a_named_file_is_not_the_seeded_default(tmp_path):
    url, is_default = load_settings({"TICKET_ROUTER_DB": str(tmp_path / "t.db")}).database()
    assert url == f"sqlite:///{tmp_path / 't.db'}" and not is_default


@pytest.mark.parametrize("url", ["http://localhost:11434/v1", "http://127.0.0.1:8000/v1", "http://127.1.2.3/v1",
                                 "http://[::1]:8080/v1", "http://LOCALHOST/v1"])
@pytest.mark.parametrize("key", ["ollama", "stub-key", "none"])
def test_a_loopback_openai_compatible_endpoint_takes_a_dummy_key(url, key):
    settings = load_settings({"TICKET_ROUTER_LLM_PROVIDER": "openai", "TICKET_ROUTER_LLM_BASE_URL": url,
                              "TICKET_ROUTER_LLM_API_KEY": key})
    assert settings.llm_api_key is not None and settings.llm_api_key.get_secret_value() == key


@pytest.mark.parametrize("fields", [
    {"TICKET_ROUTER_LLM_PROVIDER": "openai", "TICKET_ROUTER_LLM_BASE_URL": "https://llm.example.com/v1"},
    {"TICKET_ROUTER_LLM_PROVIDER": "openai", "TICKET_ROUTER_LLM_BASE_URL": "http://127.0.0.1.example.com/v1"},
    {"TICKET_ROUTER_LLM_PROVIDER": "openai", "TICKET_ROUTER_LLM_BASE_URL": "http://10.0.0.5:11434/v1"},
    {"TICKET_ROUTER_LLM_PROVIDER": "openai"},
    {"TICKET_ROUTER_LLM_PROVIDER": "anthropic", "TICKET_ROUTER_LLM_BASE_URL": "http://localhost:9/v1"},
])
def test_placeholder_keys_are_still_refused_for_remote_endpoints(fields):
    with pytest.raises(ValueError, match="llm_api_key: a placeholder"):
        load_settings({**fields, "TICKET_ROUTER_LLM_API_KEY": "ollama"})


def test_administrator_keys_are_their_own_comma_separated_setting_and_refuse_placeholders():
    settings = load_settings({"TICKET_ROUTER_API_KEYS": "plain-key-0123456789",
                              "TICKET_ROUTER_ADMIN_API_KEYS": " admin-key-0123456789 , admin-key-9876543210 "})
    assert settings.api_key_list() == ["plain-key-0123456789"]
    assert settings.admin_api_key_list() == ["admin-key-0123456789", "admin-key-9876543210"]
    assert "admin-key" not in repr(settings)
    with pytest.raises(ValueError, match="admin_api_keys") as refused:
        load_settings({"TICKET_ROUTER_ADMIN_API_KEYS": "admin-key-0123456789,changeme"})
    assert "admin-key-0123456789" not in str(refused.value)
