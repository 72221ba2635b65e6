"""Loading stored versions with their exact name and version, export/import files, and a running router picking up
a promotion and a shadow version without a restart."""

from __future__ import annotations

import json

import pytest
from conftest import NOW, ticket
from learning import shipped_version

from ticket_router.bootstrap import build_router
from ticket_router.model.versions import ModelFileError, export_version, import_version, load_version
from ticket_router.settings import Settings
from ticket_router.store.versions import VersionExists


def test_a_loaded_version_records_its_exact_name_and_version():
    classifier = load_version(shipped_version("7-op3"))
    assert classifier.info.version == "7-op3"
    assert classifier.predict(["charged twice"])[0].probabilities


def test_export_import_round_trip_and_damaged_files_refused(store, tmp_path):
    version = shipped_version("1-op1", training={"count": 3})
    export_version(version, tmp_path / "m.json")
    imported = import_version(store, (tmp_path / "m.json").read_bytes())
    assert (imported.version, imported.status, imported.payload) == ("1-op1", "imported", version.payload)
    assert store.get_model_version("1-op1").meta["training"] == {"count": 3}
    with pytest.raises(VersionExists):
        import_version(store, (tmp_path / "m.json").read_bytes())
    document = json.loads((tmp_path / "m.json").read_text())
    document["payload"] = document["payload"][:-8] + "AAAAAAA="
    with pytest.raises(ModelFileError, match="sha256"):
        import_version(store, json.dumps(document).encode())
    with pytest.raises(ModelFileError, match="not a ticket-router model file"):
        import_version(store, b'{"format": "other"}')
    with pytest.raises(ModelFileError):
        import_version(store, b"\x00garbage")


def test_a_running_router_swaps_to_a_promoted_version_and_back(store, tmp_path):
    settings = Settings(db=tmp_path / "test.db")
    router = build_router(settings, store)
    shipped = router.classifier.info
    assert router.watcher is not None and router.shadow is not None
    store.add_model_version(shipped_version("1-op1"))
    store.promote_model("1-op1", NOW)
    assert router.classifier.info == shipped  # nothing changes until the poll
    assert router.watcher.refresh()
    assert router.route(ticket("my bill is wrong", ticket_id="A")).model.version == "1-op1"
    assert not router.watcher.refresh()  # nothing new: no reload
    store.rollback_model(NOW)
    router.watcher.refresh()
    assert router.route(ticket("my bill is wrong", ticket_id="B")).model == shipped


def test_a_new_router_starts_on_the_active_version(store, tmp_path):
    store.add_model_version(shipped_version("1-op1"))
    store.promote_model("1-op1", NOW)
    router = build_router(Settings(db=tmp_path / "test.db"), store)
    assert router.classifier.info.version == "1-op1"


def test_a_shadow_version_scores_saved_decisions_silently(store, tmp_path):
    router = build_router(Settings(db=tmp_path / "test.db"), store)
    store.add_model_version(shipped_version("s1"))
    store.set_shadow_model("s1", NOW)
    router.watcher.refresh()
    decision = router.route(ticket("I was charged twice", ticket_id="S1"))
    router.route(ticket("not saved", ticket_id="S2"), save=False)
    [row] = store.list_shadow_predictions("s1")
    assert (row.ticket_id, row.decision_id, row.active_team) == ("S1", decision.decision_id, decision.team.value)
    assert row.team == "Billing Support" and row.model_version == "s1"


def test_a_shadow_that_fails_never_touches_the_decision(store, tmp_path):
    router = build_router(Settings(db=tmp_path / "test.db"), store)

    class Broken:
        info = router.classifier.info

        def predict(self, texts):  # type: ignore[no-untyped-def]
            raise RuntimeError("boom")

    router.shadow.classifier = Broken()
    decision = router.route(ticket("I was charged twice", ticket_id="S1"))
    assert not decision.needs_review and store.get_decision("S1") is not None


def test_a_version_that_does_not_load_leaves_the_shipped_model(store, tmp_path):
    broken = shipped_version("bad").model_copy(update={"payload": b"not a model"})
    store.add_model_version(broken)
    store.promote_model("bad", NOW)
    router = build_router(Settings(db=tmp_path / "test.db"), store)
    assert router.classifier.info.version != "bad"
    assert router.route(ticket("refund", ticket_id="Q")).team.value == "Billing Support"


def test_an_explicitly_configured_model_wins_over_the_active_version(store, tmp_path):
    store.add_model_version(shipped_version("1-op1"))
    store.promote_model("1-op1", NOW)
    router = build_router(Settings(db=tmp_path / "test.db", model="keywords-v1"), store)
    assert router.classifier.info.name == "keywords" and router.watcher is None


def _fraud_version(label: str):  # type: ignore[no-untyped-def]
    """A stored TF-IDF version that also predicts 'Fraud' (the shipped model, widened by a zero row): no training."""
    from ticket_router.domain import Category
    from ticket_router.model.candidate import shipped_artifact
    from ticket_router.model.tfidf import TfidfClassifier
    from ticket_router.model.train import widened

    base = TfidfClassifier.from_bytes(shipped_artifact("tfidf-lr-v2").payload)
    categories, coef, intercept = widened(base.categories, base.coef, base.intercept,
                                          sorted([*base.categories, Category("Fraud")], key=str))
    model = TfidfClassifier(base.word_names, base.word_idf, base.char_names, base.char_idf, coef, intercept,
                            categories, base.temperature, base.meta)
    return shipped_version(label).model_copy(update={"name": "tfidf-lr-v2", "payload": model.to_bytes()})


def test_a_version_predicting_a_category_the_policy_lacks_is_never_served(store, tmp_path):
    from ticket_router.model.versions import check_version
    from ticket_router.policy import DEFAULT_POLICY, PolicyMismatch

    router = build_router(Settings(db=tmp_path / "test.db"), store)
    shipped = router.classifier.info
    store.add_model_version(_fraud_version("1-op9"))
    with pytest.raises(PolicyMismatch, match="model tfidf-lr-v2 v1-op9 predicts categories that policy "
                                             "'policy-v2' lacks: 'Fraud'"):
        check_version(store.get_model_version("1-op9"), DEFAULT_POLICY)
    store.promote_model("1-op9", NOW)  # promoted behind the checks' back (another process, an older version)
    router.watcher.refresh()
    assert router.classifier.info == shipped  # the running router keeps routing with what it can serve
    with pytest.raises(PolicyMismatch, match="'Fraud'"):
        build_router(Settings(db=tmp_path / "test.db"), store)  # and a new one refuses to start
