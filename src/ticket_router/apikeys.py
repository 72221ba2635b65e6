"""API keys: high-entropy random keys, stored only as sha256 hashes, shown once when created.

Keys come from two places: `TICKET_ROUTER_API_KEYS` (comma-separated, for simple deployments) and the store
(`ticket-router keys create|list|revoke`). A key is never logged; only its public `key_id` is.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime

from ticket_router.domain import utcnow
from ticket_router.store.service import ApiKeyRecord, ServiceStore

KEY_PREFIX = "trk"


def hash_key(key: str) -> str:
    # A plain sha256 is enough here: the keys are 256-bit random, so there is nothing to brute-force.
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def generate_key() -> tuple[str, str]:
    """A new (key_id, key). The key_id is public and names the key in listings and logs."""
    key_id = secrets.token_hex(4)
    return key_id, f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"


def create_key(store: ServiceStore, name: str = "", clock: Callable[[], datetime] = utcnow) -> tuple[ApiKeyRecord, str]:
    """Store a new key's hash; returns the record and the key, which is not kept anywhere."""
    key_id, key = generate_key()
    record = ApiKeyRecord(key_id=key_id, name=name, key_hash=hash_key(key), created_at=clock())
    store.add_api_key(record)
    return record, key


class ApiKeyVerifier:
    """Answers "is this a valid key, and whose?" without keeping any key in plain text."""

    def __init__(self, env_keys: Sequence[str], store: ServiceStore | None) -> None:
        self._env_hashes = [hash_key(k) for k in env_keys]
        self._store = store

    def identify_env(self, presented: str) -> str | None:
        """`env-N` when the key is one of the configured keys (no database call), else None."""
        digest = hash_key(presented)
        found = None
        for number, known in enumerate(self._env_hashes, start=1):
            if hmac.compare_digest(digest, known):
                found = f"env-{number}"
        return found

    def identify(self, presented: str | None) -> str | None:
        """The key's public name (`env-N` or its key_id) when the key is valid, else None."""
        if not presented:
            return None
        found = self.identify_env(presented)
        if found:
            return found
        digest = hash_key(presented)
        if self._store is None:
            return None
        record = self._store.find_api_key(digest)
        if record is None or record.revoked_at is not None:
            return None
        return record.key_id
