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
