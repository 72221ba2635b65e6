"""The house look: one colour per team everywhere, and customer text that can never turn into markup."""

from __future__ import annotations

import html
import re
import string

from ticket_router.dashboard import theme
from ticket_router.domain import Category, Team
from ticket_router.policy import DEFAULT_CATEGORY_TEAM


def test_every_team_has_its_own_colour_and_categories_wear_their_teams() -> None:
    assert set(theme.TEAM_COLORS) == {t.value for t in Team}
    assert len(set(theme.TEAM_COLORS.values())) == len(Team)
    for category in Category:
        assert theme.CATEGORY_COLORS[category.value] == theme.TEAM_COLORS[DEFAULT_CATEGORY_TEAM[category].value]


def test_escaped_text_has_no_markup_left_and_reads_the_same() -> None:
    text = "**bold** _it_ [a](http://x) ![i](http://x/i.png) <script>x</script> $1+1$ :red[r] # h\n- item `c` 50%"
    for escaped in (theme.esc(text), theme.esc_lines(text)):
        left = re.sub(r"&#\d+;|<br>", "", escaped)  # what Markdown would still see as characters
        assert not set(left) & set(string.punctuation), left
        assert html.unescape(escaped.replace("<br>", "\n")).replace("\n", " ") == text.replace("\n", " ")
    assert "<" not in theme.esc(text) and theme.esc_lines("a\r\nb") == "a<br>b"


def test_badges_and_chips_escape_their_text() -> None:
    assert "<b>" not in theme.badge("<b>x</b>", "#000") and "<i>" not in theme.chips(["<i>y</i>"])
