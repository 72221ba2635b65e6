"""SQL for API keys: only sha256 hashes are stored. A mixin of `SqlStore`; the interface is `ServiceStore`."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update

from ticket_router.store.schema import api_keys
from ticket_router.store.service import ApiKeyRecord

if TYPE_CHECKING:
    from sqlalchemy import Engine


class SqlApiKeys:
    engine: Engine

    def add_api_key(self, record: ApiKeyRecord) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(api_keys).values(**record.model_dump()))

    def find_api_key(self, key_hash: str) -> ApiKeyRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(api_keys).where(api_keys.c.key_hash == key_hash)).mappings().first()
        return ApiKeyRecord.model_validate(dict(row)) if row else None

    def list_api_keys(self) -> list[ApiKeyRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(api_keys).order_by(api_keys.c.created_at, api_keys.c.key_id)).mappings()
            return [ApiKeyRecord.model_validate(dict(row)) for row in rows]

    def revoke_api_key(self, key_id: str, now: datetime) -> bool:
        with self.engine.begin() as conn:
            revoked = conn.execute(update(api_keys).where(api_keys.c.key_id == key_id, api_keys.c.revoked_at.is_(None))
                                   .values(revoked_at=now).returning(api_keys.c.key_id)).first()
        return revoked is not None
