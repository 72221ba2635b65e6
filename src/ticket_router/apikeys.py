"""API keys: high-entropy random keys, stored only as sha256 hashes, shown once when created.

Keys come from two places: the environment (`TICKET_ROUTER_API_KEYS`, and `TICKET_ROUTER_ADMIN_API_KEYS` for
administrators; comma-separated, for simple deployments) and the store (`ticket-router keys create [--admin]|list|
revoke`). Any valid key may use every `/v1` route; only an administrator key may change the routing model
(promote, roll back, shadow). A key is never logged; only its public `key_id` is.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


def create_key(store: ServiceStore, name: str = "", clock: Callable[[], datetime] = utcnow, *,
               admin: bool = False) -> tuple[ApiKeyRecord, str]:
    """Store a new key's hash; returns the record and the key, which is not kept anywhere."""
    key_id, key = generate_key()
    record = ApiKeyRecord(key_id=key_id, name=name, key_hash=hash_key(key), created_at=clock(), admin=admin)
    store.add_api_key(record)
    return record, key


@dataclass(frozen=True)
class Caller:
    """Who presented a valid key: its public name (`env-N`, `env-admin-N` or a stored key_id) and whether it may
    administer (change the routing model)."""

    key_id: str
    admin: bool = False


class ApiKeyVerifier:
    """Answers "is this a valid key, whose, and is it an administrator's?" without keeping any key in plain text.
    One store lookup per stored key presented; environment keys need none."""

    def __init__(self, env_keys: Sequence[str], store: ServiceStore | None,
                 admin_env_keys: Sequence[str] = ()) -> None:
        # A key in both lists is an administrator's (the later entry wins in `check_env`).
        self._env = [Caller(f"env-{n}") for n in range(1, len(env_keys) + 1)] + [
            Caller(f"env-admin-{n}", admin=True) for n in range(1, len(admin_env_keys) + 1)]
        self._env_hashes = [hash_key(k) for k in [*env_keys, *admin_env_keys]]
        self._store = store

    def check_env(self, presented: str) -> Caller | None:
        """The caller when the key is one of the configured keys (no database call), else None."""
        digest = hash_key(presented)
        found = None
        for caller, known in zip(self._env, self._env_hashes, strict=True):
            if hmac.compare_digest(digest, known):
                found = caller
        return found

    def check(self, presented: str | None) -> Caller | None:
        """The caller when the key is valid (configured, or stored and not revoked), else None."""
        if not presented:
            return None
        found = self.check_env(presented)
        if found:
            return found
        if self._store is None:
            return None
        record = self._store.find_api_key(hash_key(presented))
        if record is None or record.revoked_at is not None:
            return None
        return Caller(record.key_id, admin=record.admin)
