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
