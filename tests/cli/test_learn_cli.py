"""`ticket-router learn` and `ticket-router models …` through the real entry point. One real training run per
session (about a minute): the operator sends eSIM tickets to Account Management, and after `learn --promote`
the router does too. Its exported version then drives the `models` commands on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from backends import backend_url  # noqa: F401 - fixture: both backends
from learning import (BILLING, ESIM, HELD_OUT_ESIM, cli, labelled_records, learn_and_export, training_cache,
                      write_labelled)

from ticket_router.domain import Feedback, Team
from ticket_router.store import open_store


def _tickets(path: Path, texts: list[str], prefix: str) -> Path:
    path.write_text("".join(json.dumps({"ticket_id": f"{prefix}{i}", "description": t}) + "\n"
                            for i, t in enumerate(texts)), encoding="utf-8")
    return path


def _routed(stdout: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def learned(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    bad = ["{broken", json.dumps({"ticket_id": "S", "description": "x", "team": "Sales"})]
    return learn_and_export(tmp_path_factory, "learn", [*labelled_records(), *bad])


@pytest.fixture
def cache(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return training_cache(tmp_path_factory)  # the corpus features the session's first training computed


def test_learn_stores_compares_promotes_and_routing_follows_the_labels(learned, tmp_path):
    result, db, _ = learned
    assert result.returncode == 1, result.stderr  # the two bad records
    assert "line 25: invalid JSON" in result.stderr
    assert "line 26: team 'Sales' is not in the policy" in result.stderr
    assert "learning from 24 labelled tickets" in result.stderr
    assert "promoted 1-op1" in result.stderr
    assert "memory of your tickets: strength" in result.stderr and "chosen out of fold (accuracy" in result.stderr
    for row in ("accuracy", "macro-F1", "review share", "F1 Account Management (14)"):
        assert row in result.stdout
    texts = _tickets(tmp_path / "esim.jsonl", ESIM + HELD_OUT_ESIM, "E")
    before = _routed(cli(["route", str(texts), "--db", str(tmp_path / "fresh.db")], tmp_path).stdout)
    after = _routed(cli(["route", str(texts), "--db", str(db)], tmp_path).stdout)
    def to_account(decisions: list[dict]) -> int:  # type: ignore[type-arg]
        return sum(d["team"] == "Account Management" for d in decisions)

    assert to_account(before) <= 2
    assert {d["model"]["version"] for d in after} == {"1-op1"}
    assert all(d["team"] == "Account Management" for d in after[:len(ESIM)])
    # the reasoning says the operator's own tickets decided it
    assert all("Learned: like" in d["reasoning"] for d in after[:len(ESIM)])
    assert not any("Learned:" in d["reasoning"] for d in before)
    # eSIM tickets it never saw move too (not all: "won't install on my new Pixel" still reads as a device fault)
    assert to_account(after[len(ESIM):]) > to_account(before[len(ESIM):])
    shown = json.loads(cli(["models", "show", "1-op1", "--db", str(db)], tmp_path).stdout)
    assert shown["meta"]["training"]["count"] == 24 and len(shown["meta"]["training"]["sha256"]) == 64
    assert shown["meta"]["cv"]["folds"] == 2 and "accuracy" in shown["meta"]["cv"]["candidate"]


def test_learn_refuses_too_few_records_or_one_team(tmp_path):
    few = tmp_path / "few.jsonl"
    few.write_text("".join(json.dumps({"ticket_id": str(i), "description": "bill", "team": "Billing Support"}) + "\n"
                           for i in range(25)), encoding="utf-8")
    one_team = cli(["learn", str(few), "--db", str(tmp_path / "a.db")], tmp_path)
    assert one_team.returncode == 1 and "refused" in one_team.stderr and "at least 2 teams" in one_team.stderr
    few.write_text(few.read_text().splitlines()[0] + "\n", encoding="utf-8")
    too_few = cli(["learn", str(few), "--db", str(tmp_path / "a.db")], tmp_path)
    assert too_few.returncode == 1 and "1 usable labelled tickets; at least 20" in too_few.stderr
    assert "Traceback" not in too_few.stderr + one_team.stderr
    usage = cli(["learn", "--db", str(tmp_path / "a.db")], tmp_path)
    assert usage.returncode == 2 and "FILE or --from-feedback" in usage.stderr


def test_learn_from_feedback_reads_agents_labels_from_the_store(tmp_path):
    db = tmp_path / "fb.db"
    routed = cli(["route", str(_tickets(tmp_path / "t.jsonl", ESIM[:3], "F")), "--db", str(db)], tmp_path)
    assert routed.returncode == 0, routed.stderr
    store = open_store(f"sqlite:///{db}")
    try:
        for i in range(3):
            store.save_feedback(Feedback(ticket_id=f"F{i}", team=Team.ACCOUNT_MANAGEMENT))
    finally:
        store.close()
    result = cli(["learn", "--from-feedback", "--db", str(db)], tmp_path)
    assert result.returncode == 1 and "3 usable labelled tickets; at least 20" in result.stderr


def test_learn_from_feedback_trains_on_the_agents_latest_labels(cache, tmp_path):
    """Agents confirm and correct routed tickets; `learn --from-feedback` trains on their latest word."""
    fb = tmp_path / "fb.db"
    texts = _tickets(tmp_path / "t.jsonl", ESIM + BILLING, "F")
    assert cli(["route", str(texts), "--db", str(fb)], tmp_path).returncode == 0
    store = open_store(f"sqlite:///{fb}")
    try:
        for i in range(len(ESIM)):  # first confirmed as routed, then corrected: the correction counts
            store.save_feedback(Feedback(ticket_id=f"F{i}", team=Team.TECHNICAL_SUPPORT))
            store.save_feedback(Feedback(ticket_id=f"F{i}", team=Team.ACCOUNT_MANAGEMENT))
        for i in range(len(ESIM), len(ESIM) + len(BILLING)):
            store.save_feedback(Feedback(ticket_id=f"F{i}", team=Team.BILLING_SUPPORT))
    finally:
        store.close()
    result = cli(["learn", "--from-feedback", "--db", str(fb)], tmp_path, **cache)
    assert result.returncode == 0, result.stderr
    assert f"learning from {len(ESIM) + len(BILLING)} labelled tickets (feedback)" in result.stderr
    assert f"F1 Account Management ({len(ESIM)})" in result.stdout
    shown = json.loads(cli(["models", "show", "1-op1", "--db", str(fb)], tmp_path).stdout)
    assert shown["meta"]["training"]["source"] == "feedback"
    assert shown["meta"]["training"]["per_team"] == {"Account Management": len(ESIM), "Billing Support": len(BILLING)}
    assert shown["status"] == "candidate"  # stored, not promoted


def test_promote_refuses_a_candidate_worse_than_the_active_model_unless_forced(learned, cache, tmp_path):
    """The active version was trained on these very tickets (in-sample), so a new candidate scored out of fold
    is worse on them: --promote says why and keeps the active model; --force promotes anyway."""
    _, db, _ = learned
    copy = tmp_path / "copy.db"
    copy.write_bytes(db.read_bytes())
    labelled = write_labelled(tmp_path / "operator.jsonl")
    refused = cli(["learn", str(labelled), "--weight", "20", "--promote", "--db", str(copy)], tmp_path, **cache)
    said = " ".join(refused.stderr.split())  # the console wraps long lines
    assert refused.returncode == 1, said
    assert "not promoted:" in said and "below the active model's" in said
    assert "the active model stays minilm-tfidf-v1 v1-op1 (--force overrides)" in said
    listed = cli(["models", "list", "--db", str(copy)], tmp_path).stdout
    assert "1-op2" in listed
    served = _routed(cli(["route", "--text", ESIM[0], "--json", "--db", str(copy)], tmp_path).stdout)[0]
    assert served["model"]["version"] == "1-op1"
    forced = cli(["learn", str(labelled), "--weight", "20", "--promote", "--force", "--db", str(copy)], tmp_path,
                 **cache)
    assert forced.returncode == 0, forced.stderr
    assert "promoted 1-op3: it is the active model now (forced:" in " ".join(forced.stderr.split())


def test_models_import_promote_shadow_compare_rollback(learned, backend_url, tmp_path):
    _, _, exported = learned
    url = backend_url

    def models(*args: str):  # type: ignore[no-untyped-def]
        return cli(["models", *args], tmp_path, url)

    assert models("import", str(exported)).returncode == 0
    assert models("import", str(exported)).returncode == 1  # a published version never changes
    assert models("promote", "1-op1").returncode == 0
    one = _routed(cli(["route", "--text", HELD_OUT_ESIM[1], "--json"], tmp_path, url).stdout)[0]
    assert one["model"]["version"] == "1-op1"
    rolled = models("rollback")
    assert rolled.returncode == 0 and "the shipped model" in rolled.stderr
    assert models("shadow", "1-op1").returncode == 0
    live = _routed(cli(["route", str(_tickets(tmp_path / "e.jsonl", ESIM, "L"))], tmp_path, url).stdout)
    assert all(d["model"]["version"] != "1-op1" for d in live)
    store = open_store(url)
    try:
        for decision in live:
            store.save_feedback(Feedback(ticket_id=decision["ticket_id"], team=Team.ACCOUNT_MANAGEMENT))
    finally:
        store.close()
    report = json.loads(models("compare", "1-op1", "--json").stdout)
    assert report["tickets"] == report["judged"] == len(ESIM)
    assert report["shadow_accuracy"] == 1.0 and report["active_accuracy"] < 0.5
    assert report["agreement"] == report["active_accuracy"]
    listed = models("list")
    assert "1-op1" in listed.stdout and "shadow" in listed.stdout
    assert models("shadow", "--off").returncode == 0
    nothing = models("rollback")
    assert nothing.returncode == 1 and "nothing to roll back" in nothing.stderr
    assert models("promote", "9-op9").returncode == 1
