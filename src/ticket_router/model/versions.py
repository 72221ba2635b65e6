"""Model versions in the store: storing a trained candidate, loading a version with its exact name and version,
export/import files, and keeping a running process on the active (and shadow) version.

The artefact format belongs to `model/candidate.py`; this module only moves artefacts between the store, files
and classifiers.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from ticket_router.domain import ModelInfo, utcnow
from ticket_router.model.base import Classifier, model_categories
from ticket_router.model.candidate import ModelArtifact, load_artifact
from ticket_router.policy import RoutingPolicy
from ticket_router.store.versions import ACTIVE, SHADOW, ModelVersion, ModelVersionStore, VersionExists

log = logging.getLogger(__name__)
EXPORT_FORMAT = "ticket-router-model-v1"


def load_version(version: ModelVersion) -> Classifier:
    """The stored version as a classifier whose decisions record its name and version exactly."""
    return load_artifact(ModelArtifact(name=version.name, version=version.version, payload=version.payload,
                                       meta=version.meta.get("artifact", {})))


def check_version(version: ModelVersion, policy: RoutingPolicy) -> None:
    """Refuses (`PolicyMismatch`, naming them) a version that predicts categories `policy` lacks: promoting it
    would leave every process on this policy unable to route with it."""
    categories = model_categories(load_version(version))
    if categories is not None:
        policy.check_model(categories, f"{version.name} v{version.version}")


def new_version_label(store: ModelVersionStore, artifact: ModelArtifact) -> str:
    """`<base version>-op<n>`: a new, never reused label for a candidate trained from `artifact`'s model."""
    taken = {v.version for v in store.list_model_versions()}
    number = len(taken) + 1
    while f"{artifact.version}-op{number}" in taken:
        number += 1
    return f"{artifact.version}-op{number}"


def store_candidate(store: ModelVersionStore, artifact: ModelArtifact, base: ModelInfo, meta: dict[str, Any],
                    clock: Callable[[], datetime] = utcnow) -> ModelVersion:
    version = ModelVersion(
        name=artifact.name, version=new_version_label(store, artifact), created_at=clock(),
        base=f"{base.name}/{base.version}", status="candidate", meta={**meta, "artifact": artifact.meta},
        payload=artifact.payload,
    )
    store.add_model_version(version)
    return version


# files ---------------------------------------------------------------------------------------------------------
def export_version(version: ModelVersion, path: Path) -> None:
    """One JSON file: the metadata, the artefact (base64) and its sha256, checked on import."""
    document = {
        "format": EXPORT_FORMAT, **version.model_dump(mode="json", exclude={"payload", "status"}),
        "payload_sha256": hashlib.sha256(version.payload).hexdigest(),
        "payload": base64.b64encode(version.payload).decode("ascii"),
    }
    path.write_text(json.dumps(document, sort_keys=True), encoding="utf-8")


class ModelFileError(ValueError):
    pass


def read_export(data: bytes, clock: Callable[[], datetime] = utcnow) -> ModelVersion:
    """The version in an exported file, checked (format, sha256, the artefact loads); status `imported`."""
    try:
        document = json.loads(data)
        if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
            raise ModelFileError(f"not a ticket-router model file (expected format {EXPORT_FORMAT})")
        payload = base64.b64decode(document["payload"], validate=True)
    except (ValueError, KeyError, TypeError) as error:
        if isinstance(error, ModelFileError):
            raise
        raise ModelFileError(f"not a readable model file ({type(error).__name__})") from None
    if hashlib.sha256(payload).hexdigest() != document.get("payload_sha256"):
        raise ModelFileError("the model file is damaged: its artefact does not match its sha256")
    try:
        version = ModelVersion(name=document["name"], version=document["version"],
                               created_at=document.get("created_at") or clock(),
                               base=document.get("base", ""), status="imported", meta=document.get("meta", {}),
                               payload=payload)
    except (KeyError, ValueError) as error:
        raise ModelFileError(f"the model file lacks {error}") from None
    try:
        load_version(version)
    except Exception as error:  # noqa: BLE001 - any failure to load means the file cannot be used
        raise ModelFileError(f"the artefact does not load ({type(error).__name__})") from None
    return version


def import_version(store: ModelVersionStore, data: bytes) -> ModelVersion:
    version = read_export(data)
    if store.get_model_version(version.version) is not None:
        raise VersionExists(f"model version {version.version} already exists")
    store.add_model_version(version)
    return version


# a running process ---------------------------------------------------------------------------------------------
class ModelWatcher:
    """Keeps a running process on the store's active and shadow versions. `refresh()` reads one number (the
    pointer log's last id); only when it changed does it load a version and swap it in with one assignment, so a
    batch in flight finishes on the model it started with. `start()` refreshes every `interval_s` in a thread."""

    def __init__(self, store: ModelVersionStore, on_active: Callable[[Classifier], None],
                 on_shadow: Callable[[Classifier | None], None], default: Callable[[], Classifier],
                 interval_s: float = 30.0, loaded_active: str | None = None,
                 check: Callable[[Classifier], object] = lambda classifier: classifier) -> None:
        self.store = store
        self.on_active = on_active
        self.on_shadow = on_shadow
        self.default = default
        self.interval_s = interval_s
        self.check = check  # raises for a version this process's policy cannot route with
        self._stamp: int | None = None
        self._loaded: dict[str, str | None] = {ACTIVE: loaded_active, SHADOW: None}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def refresh(self) -> bool:
        """Load whatever changed since the last call; True when anything was swapped."""
        stamp = self.store.model_pointer_stamp()
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        changed = False
        for role in (ACTIVE, SHADOW):
            wanted = self.store.model_pointer(role)
            if wanted == self._loaded[role]:
                continue
            classifier = self._load(wanted, role)
            if role == ACTIVE:
                self.on_active(classifier or self.default())
            else:
                self.on_shadow(classifier)
            self._loaded[role] = wanted
            changed = True
            log.info("model swapped", extra={"role": role, "model_version": wanted or "shipped"})
        return changed

    def _load(self, version: str | None, role: str) -> Classifier | None:
        if version is None:
            return None
        stored = self.store.get_model_version(version)
        if stored is None:
            return None
        try:
            classifier = load_version(stored)
            self.check(classifier)
            return classifier
        except Exception as error:  # noqa: BLE001 - a version that fails to load leaves the shipped model in use
            log.error("model version failed to load", extra={"role": role, "model_version": version,
                                                              "error": type(error).__name__})
            return None

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="model-watcher", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.refresh()
            except Exception as error:  # noqa: BLE001 - a failed poll keeps the current model; try again later
                log.warning("model pointer poll failed", extra={"error": type(error).__name__})

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
