from datetime import timedelta

from conftest import NOW, ticket

from ticket_router.domain import Feedback
from ticket_router.stats import compute_stats


def test_stats_count_latest_decision_per_ticket_and_accuracy_from_feedback(router, seeded_store):
    a = router.route(ticket("refund the double charge", ticket_id="S1"))
    router.route(ticket("refund the double charge", ticket_id="S1"))  # reroute: still one ticket
    b = router.route(ticket("my router is broken", ticket_id="S2"))
    seeded_store.save_feedback(Feedback(ticket_id="S1", team=a.team, priority=a.priority, created_at=NOW))
    seeded_store.save_feedback(Feedback(ticket_id="S2", team="Account Management", created_at=NOW))
    stats = compute_stats(seeded_store.list_decisions(since=NOW - timedelta(hours=1)), seeded_store.list_feedback())
    assert stats.count == 2 and stats.feedback_count == 2
    assert stats.accuracy == 0.5 and stats.priority_accuracy == 1.0
    assert stats.by_team[b.team.value] >= 1
    assert [d.day for d in stats.per_day] == [NOW.date()]
