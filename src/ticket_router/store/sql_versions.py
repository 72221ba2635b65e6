"""SQL for model versions, their pointers and shadow predictions. A mixin of `SqlStore`; the interface is
`ModelVersionStore` (store/versions.py)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ticket_router.store.schema import decisions, model_events, model_versions, shadow_predictions
from ticket_router.store.versions import (
    ACTIVE,
    SHADOW,
    ModelDecision,
    ModelVersion,
    ModelVersionInfo,
    ShadowPrediction,
    UnknownVersion,
    VersionExists,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

_INFO_COLUMNS = [model_versions.c[name] for name in ModelVersionInfo.model_fields]


def _info(row: dict) -> dict:  # type: ignore[type-arg]
    return {**row, "meta": json.loads(row["meta"])}


def _active_stack(conn: Connection) -> list[str]:
    """Replays the active pointer's log: a promotion pushes a version, a rollback pops the current one."""
    stack: list[str] = []
    query = select(model_events.c.action, model_events.c.version).where(model_events.c.role == ACTIVE)
    for action, version in conn.execute(query.order_by(model_events.c.id)):
        if action == "promote":
            stack.append(version)
        elif stack:
            stack.pop()
    return stack


class SqlModelVersions:
    engine: Engine

    def add_model_version(self, version: ModelVersion) -> None:
        row = version.model_dump()
        row["meta"] = json.dumps(row["meta"], sort_keys=True)
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(model_versions).values(**row))
        except IntegrityError:
            raise VersionExists(f"model version {version.version} already exists") from None

    def get_model_version(self, version: str) -> ModelVersion | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(model_versions).where(model_versions.c.version == version)).mappings().first()
        return ModelVersion.model_validate(_info(dict(row))) if row else None

    def list_model_versions(self) -> list[ModelVersionInfo]:
        query = select(*_INFO_COLUMNS).order_by(model_versions.c.created_at, model_versions.c.version)
        with self.engine.connect() as conn:
            return [ModelVersionInfo.model_validate(_info(dict(row))) for row in conn.execute(query).mappings()]

    def model_pointer(self, role: str) -> str | None:
        with self.engine.connect() as conn:
            if role == ACTIVE:
                stack = _active_stack(conn)
                return stack[-1] if stack else None
            query = (select(model_events.c.version).where(model_events.c.role == role)
                     .order_by(model_events.c.id.desc()).limit(1))
            return conn.execute(query).scalar()

    def model_pointer_stamp(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.max(model_events.c.id))).scalar() or 0

    def _require(self, conn: Connection, version: str) -> None:
        if conn.execute(select(model_versions.c.version).where(model_versions.c.version == version)).first() is None:
            raise UnknownVersion(f"no model version {version!r}")

    def promote_model(self, version: str, at: datetime) -> None:
        with self.engine.begin() as conn:
            self._require(conn, version)
            stack = _active_stack(conn)
            if stack:
                conn.execute(update(model_versions).where(model_versions.c.version == stack[-1])
                             .values(status="retired"))
            conn.execute(update(model_versions).where(model_versions.c.version == version).values(status="active"))
            conn.execute(insert(model_events).values(role=ACTIVE, action="promote", version=version, at=at))

    def rollback_model(self, at: datetime) -> str | None:
        with self.engine.begin() as conn:
            stack = _active_stack(conn)
            if not stack:
                raise LookupError("nothing to roll back: the shipped model is active and no version was promoted")
            conn.execute(update(model_versions).where(model_versions.c.version == stack.pop())
                         .values(status="retired"))
            if stack:
                conn.execute(update(model_versions).where(model_versions.c.version == stack[-1])
                             .values(status="active"))
            conn.execute(insert(model_events).values(role=ACTIVE, action="rollback", version=None, at=at))
        return stack[-1] if stack else None

    def set_shadow_model(self, version: str | None, at: datetime) -> None:
        with self.engine.begin() as conn:
            if version is not None:
                self._require(conn, version)
            conn.execute(insert(model_events).values(role=SHADOW, action="set" if version else "clear",
                                                     version=version, at=at))

    def save_shadow_predictions(self, predictions: list[ShadowPrediction]) -> None:
        if predictions:
            with self.engine.begin() as conn:
                conn.execute(insert(shadow_predictions), [p.model_dump() for p in predictions])

    def list_shadow_predictions(self, version: str | None = None) -> list[ShadowPrediction]:
        columns = [shadow_predictions.c[name] for name in ShadowPrediction.model_fields]
        query = select(*columns).order_by(shadow_predictions.c.predicted_at, shadow_predictions.c.id)
        if version is not None:
            query = query.where(shadow_predictions.c.model_version == version)
        with self.engine.connect() as conn:
            return [ShadowPrediction.model_validate(dict(row)) for row in conn.execute(query).mappings()]

    def list_model_decisions(self, since: datetime | None = None) -> list[ModelDecision]:
        query = select(decisions.c.ticket_id, decisions.c.decided_at, decisions.c.team, decisions.c.model_name,
                       decisions.c.model_version).order_by(decisions.c.decided_at)
        if since is not None:
            query = query.where(decisions.c.decided_at >= since)
        with self.engine.connect() as conn:
            return [ModelDecision.model_validate(dict(row)) for row in conn.execute(query).mappings()]
