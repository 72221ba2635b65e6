"""An operator whose routing differs from ours: it sends eSIM tickets to Account Management (we send them to
Technical Support). Labelled tickets for `learn`, and held-out eSIM tickets to check routing follows the labels."""

from __future__ import annotations

import json
from pathlib import Path

ESIM = [
    "My eSIM profile will not download to the new phone",
    "Need a new eSIM QR code for my smartwatch",
    "eSIM transfer failed when I switched handsets last night",
    "Please reissue the eSIM for my second line",
    "The eSIM activation code says it was already used",
    "Moving my number from a physical SIM to an eSIM",
    "eSIM disappeared after a factory reset, how do I get it back",
    "Requesting an eSIM swap for my daughter's phone",
    "Can't scan the eSIM code you emailed me",
    "eSIM stuck on activating for two days",
    "Order an eSIM instead of a plastic SIM card",
    "Deleted my eSIM by mistake while setting up the phone",
    "Need eSIM download details for a new iPad",
    "My eSIM shows no service after the transfer from my old phone",
]
BILLING = [
    "I was charged twice for the same month",
    "Why is my bill 30 dollars higher than last month",
    "Refund the late fee please, I paid on time",
    "Autopay took money from the wrong card",
    "Promotion credit missing from this invoice",
    "Overage charges for data I never used",
    "Cancel the international add-on you billed me for",
    "Invoice shows a device payment I already finished",
    "Price went up without any notice",
    "Please explain the activation fee on my bill",
]
HELD_OUT_ESIM = [
    "eSIM won't install on my new Pixel",
    "Lost my eSIM when I updated the phone software",
    "How do I get a replacement eSIM for my tablet",
]


def labelled_records() -> list[dict[str, str]]:
    records = [{"ticket_id": f"OP-E{i}", "description": text, "team": "Account Management"}
               for i, text in enumerate(ESIM)]
    records += [{"ticket_id": f"OP-B{i}", "subject": "Bill", "description": text, "team": "Billing Support"}
                for i, text in enumerate(BILLING)]
    return records


def write_labelled(path: Path, extra: list[str] = ()) -> Path:  # type: ignore[assignment]
    path.write_text("".join(json.dumps(r) + "\n" for r in labelled_records()) + "".join(line + "\n" for line in extra),
                    encoding="utf-8")
    return path


def shipped_version(label: str = "test-1", **meta: object):  # type: ignore[no-untyped-def]
    """A stored version whose artefact is the shipped model's: cheap (no training) and loadable."""
    from ticket_router.domain import utcnow
    from ticket_router.model.candidate import shipped_artifact
    from ticket_router.store.versions import ModelVersion

    artifact = shipped_artifact()
    return ModelVersion(name=artifact.name, version=label, created_at=utcnow(), base=f"{artifact.name}/{artifact.version}",
                        status="candidate", meta={"artifact": artifact.meta, **meta}, payload=artifact.payload)


def training_cache(factory) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The environment that points `learn` at one training cache for the whole test session: the corpus features
    and embeddings are computed by the first training run and read by every later one."""
    return {"XDG_CACHE_HOME": str(factory.getbasetemp() / "training-cache")}


def learn_and_export(factory, name: str, records: list, *args: str):  # type: ignore[no-untyped-def]
    """`learn FILE --weight 20 --promote` on `records` (dicts, or raw lines) in a fresh folder and database, then
    `models export` of the version it stored: (the learn run, the database, the exported file)."""
    folder = factory.mktemp(name)
    labelled = folder / "labelled.jsonl"
    labelled.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records),
                        encoding="utf-8")
    db = folder / "learn.db"
    result = cli(["learn", str(labelled), "--weight", "20", "--promote", "--db", str(db), *args], folder,
                 **training_cache(factory))
    exported = folder / "model.json"
    export = cli(["models", "export", "1-op1", str(exported), "--db", str(db)], folder)
    assert export.returncode == 0, export.stderr
    return result, db, exported


def cli(args: list[str], tmp_path: Path, url: str | None = None, **env: str):  # type: ignore[no-untyped-def]
    """The real console entry point in a subprocess, on the database `url` (else whatever `args` name)."""
    import os
    import subprocess
    import sys

    environ = {k: v for k, v in os.environ.items() if not k.startswith("TICKET_ROUTER_")}
    environ.update({"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "xdg"), "COLUMNS": "160", **env})
    if url:
        environ["TICKET_ROUTER_DATABASE_URL"] = url
    return subprocess.run([sys.executable, "-m", "ticket_router", *args], capture_output=True, text=True,
                          env=environ, timeout=600, check=False)


# An operator of six teams (examples/six-teams.toml): the four built-in ones plus a fraud desk and a retention desk.
SIX_TEAMS_POLICY = Path(__file__).resolve().parents[1] / "examples" / "six-teams.toml"
FRAUD = [
    "Someone did a SIM swap on my number and emptied my bank account",
    "I got a text pretending to be you asking for my card PIN, is this a scam",
    "My phone was stolen and the thief is making calls on my line",
    "A new line was opened in my name that I never ordered, this is fraud",
    "Scam caller said he was from your company and asked for my one-time code",
    "Two iPhones were ordered on my account by someone else",
    "I think my number was ported out fraudulently, I never asked for it",
    "Phishing email with your logo asked me to confirm my account details",
]
RETENTION = [
    "I want to cancel my contract and switch to another provider",
    "Thinking of leaving, a competitor offers the same plan for half the price",
    "Please cancel my service at the end of this month",
    "How much is the early termination fee if I leave now",
    "Give me a better offer or I am moving to another operator",
    "I am moving abroad and need to end my contract",
    "Cancel all my lines, I am leaving for another network",
    "What do I need to do to terminate my subscription",
]
NETWORK = [
    "No signal anywhere in my town since yesterday",
    "Internet has been down for the whole street all morning",
    "Mobile data stopped working across the city",
    "Calls keep dropping in the whole neighbourhood",
]
TECHNICAL = [
    "My router keeps rebooting every few minutes",
    "The set-top box shows a black screen",
    "Voicemail will not play my messages on the new phone",
]
ACCOUNT = [
    "I cannot log in to my account, the password reset never arrives",
    "My account is locked after too many attempts",
    "Please change the account holder to my wife",
]
# Tickets the six-team training never saw (close to its wording: 8 examples a team teach words, not concepts).
HELD_OUT_FRAUD = [
    "Scam call pretending to be you asked for my PIN",
    "Someone ordered a phone on my account, this is fraud",
    "Scam text message claiming to be your company asking for my password",
]
HELD_OUT_RETENTION = [
    "Please terminate my subscription, I am switching provider",
    "Cancel my service, I am switching to another provider",
    "I am leaving for another network, cancel my lines",
]


def six_team_records() -> list[dict[str, str]]:
    """Labelled tickets for the six-team policy; the fraud ones say their category, the others leave it out."""
    groups = [(FRAUD, "Fraud & Security"), (RETENTION, "Retention"), (NETWORK, "Network Operations"),
              (BILLING[:3], "Billing Support"), (TECHNICAL, "Technical Support"), (ACCOUNT, "Account Management")]
    records = [{"ticket_id": f"SIX-{team[:3]}-{i}", "description": text, "team": team}
               for texts, team in groups for i, text in enumerate(texts)]
    for record in records:
        if record["team"] == "Fraud & Security":
            record["category"] = "Fraud"
    return records
