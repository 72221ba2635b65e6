from datetime import timedelta

from conftest import NOW, ticket
from sqlalchemy import text

from ticket_router.domain import Feedback, Team
from ticket_router.store import open_store
from ticket_router.store.schema import MIGRATIONS


def test_sqlite_runs_in_wal_mode(store):
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_migrations_are_recorded_and_rerun_safely(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    first = open_store(url)
    first.close()
    again = open_store(url)
    with again.engine.connect() as conn:
        versions = conn.execute(text("SELECT version FROM schema_version ORDER BY version")).scalars().all()
    assert versions == [v for v, _ in MIGRATIONS]
    again.close()


def test_reroute_keeps_decision_history_and_latest_wins(router, seeded_store):
    first = router.route(ticket("refund please", ticket_id="R1"))
    second = router.route(ticket("refund please", ticket_id="R1"))
    assert seeded_store.get_decision("R1").decision_id == second.decision_id != first.decision_id
    assert sum(d.ticket_id == "R1" for d in seeded_store.list_decisions()) == 2
    assert seeded_store.get_ticket("R1").description == "refund please"


def test_feedback_roundtrip(seeded_store):
    seeded_store.save_feedback(Feedback(ticket_id="HIST-0001", team=Team.BILLING_SUPPORT, agent="amy",
                                        created_at=NOW))
    assert [f.team for f in seeded_store.list_feedback()] == [Team.BILLING_SUPPORT]
    assert seeded_store.list_feedback(since=NOW + timedelta(seconds=1)) == []


def test_customer_search(seeded_store):
    assert [c.customer_id for c in seeded_store.list_customers(search="hospital")] == ["C-1006"]
    assert "North" in seeded_store.known_regions()
