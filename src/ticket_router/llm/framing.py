"""Untrusted text made safe to put in a prompt: it can neither close the block it sits in nor open another.

Everything that did not come from us is untrusted: the ticket's subject and text, and the reference data any API
key can set (a customer's region, plan or name, an outage's id, region or description, past tickets' subjects).
The text is NFKC-normalised first, so full-width `＜/ticket＞` becomes `</ticket>`; invisible format and control
characters (zero-width spaces, joiners, bidi overrides) are dropped, so `<\u200b/ticket>` becomes `</ticket>`; then every
angle bracket, and the look-alikes NFKC leaves alone (`‹ 〈 ⟨ ❮ ᐸ`), is escaped as `&lt;`/`&gt;`. No tag of any
name (`</ticket>`, `</system>`, `<context>`), terminated or not, survives.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_KEEP = frozenset("\n\t")
_OPENERS = "<\u2039\u2329\u3008\u27e8\u276e\u1438\u276c\u2770\u29fc"
_CLOSERS = ">\u203a\u232a\u3009\u27e9\u276f\u1433\u276d\u2771\u29fd"
_ESCAPES = str.maketrans({**{c: "&lt;" for c in _OPENERS}, **{c: "&gt;" for c in _CLOSERS}})


def normalise(text: str) -> str:
    """NFKC, without invisible format characters (category Cf) or control characters other than tab/newline."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c in _KEEP or unicodedata.category(c) not in ("Cf", "Cc"))


def escape_tags(text: str) -> str:
    """Every angle bracket (and look-alike) escaped: nothing tag-like is left."""
    return text.translate(_ESCAPES)


def neutralise(text: str) -> str:
    return escape_tags(normalise(text))


def neutralise_values(value: Any) -> Any:
    """`neutralise` applied to every string in a JSON-like value (a tool's result), keys included."""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, dict):
        return {neutralise_values(k): neutralise_values(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [neutralise_values(v) for v in value]
    return value


_PARTIAL_END = re.compile(r"(?:\[[A-Z_0-9]*|&[a-z]{0,3})$")


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, never ending inside a placeholder (`[PHONE_1]`) or an escape (`&lt;`)."""
    if len(text) <= limit:
        return text
    return _PARTIAL_END.sub("", text[:limit])
