"""Which other categories a ticket talks about: the cue phrases for each category that its text contains.

The classifier is trained to name the main issue of a mixed ticket and is, rightly, sure of it, so its
probabilities alone rarely show the other topics. These cue lists do: a category the text gives two or more
distinct cues for is "also mentioned" (e.g. an outage ticket that also asks for a refund). Only specific phrases
are listed; words every ticket uses ("account", "service", "phone") are left out on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ticket_router.domain import Category

# Cues of the four built-in categories only: a policy's own categories (examples/six-teams.toml) have none, so they
# are secondary only when the model gives them the probability (`secondary_category_threshold`).
MENTION_CUES: Mapping[Category, tuple[str, ...]] = {
    Category.BILLING_DISPUTE: (
        "refund", "refunded", "overcharged", "overcharge", "charged", "charges", "charge", "bill", "billed",
        "billing", "invoice", "fee", "fees", "credit", "payment", "price", "overage", "discount", "promo",
        "promotion", "autopay", "direct debit", "late fee",
    ),
    Category.NETWORK_OUTAGE: (
        "outage", "no signal", "no service", "slow", "speeds", "speed", "dropping", "drops out", "dropped calls",
        "coverage", "latency", "ping", "packet loss", "throttled", "throttling", "intermittent", "went down",
        "is down", "been down", "down for", "down since", "without service", "keeps dropping", "disconnects",
        "keeps disconnecting", "no internet", "no connection", "mbps",
    ),
    Category.TECHNICAL_PROBLEM: (
        "router", "modem", "gateway", "set-top box", "cable box", "tv box", "remote", "sim card", "esim", "apn",
        "voicemail", "firmware", "error code", "technician", "installation", "reboot", "rebooting",
        "factory reset", "settings", "hdmi", "dvr",
    ),
    Category.ACCOUNT_ACCESS: (
        "password", "log in", "login", "locked out", "username", "two-factor", "verification code", "cancel",
        "cancellation", "contract", "upgrade", "downgrade", "moving home", "move house", "authorised user",
        "authorized user", "fraud", "sim swap", "personal details", "sign in",
    ),
}

_CATEGORY_OF = {cue: category for category, cues in MENTION_CUES.items() for cue in cues}
# One pass over the lowercased text for every category's cues (longest first, so "late fee" beats "fee").
_CUES = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in sorted(_CATEGORY_OF, key=len, reverse=True)) + r")\b")


def mentioned_categories(text: str, min_cues: int) -> dict[Category, list[str]]:
    """Each category with at least `min_cues` distinct cue phrases in `text`, and those phrases in text order."""
    cues: dict[Category, list[str]] = {}
    for cue in dict.fromkeys(_CUES.findall(text.lower())):
        cues.setdefault(_CATEGORY_OF[cue], []).append(cue)
    return {category: found for category, found in cues.items() if len(found) >= min_cues}
