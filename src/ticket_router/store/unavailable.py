"""A store that cannot be reached: every call raises `StoreUnavailable`.

The CLI routes with it when the configured database cannot be opened, so every ticket still gets a decision:
the router treats each failed lookup as missing data and flags the decision for review, and nothing is saved.
"""

from __future__ import annotations

from typing import Any, NoReturn


class StoreUnavailable(RuntimeError):
    pass


class UnavailableStore:
    def __init__(self, error: BaseException) -> None:
        self.error = error

    def _fail(self, *_args: Any, **_kwargs: Any) -> NoReturn:
        raise StoreUnavailable(f"database unavailable ({type(self.error).__name__})")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._fail

    def close(self) -> None:
        """Nothing was opened."""
