"""The house look: one colour per team everywhere, and customer text that can never turn into markup."""

from __future__ import annotations

import html
import re
import string
from pathlib import Path

from ticket_router.dashboard import theme
from ticket_router.domain import Team
from ticket_router.policy import DEFAULT_CATEGORY_TEAM, DEFAULT_POLICY
from ticket_router.policy_file import load_policy

SIX_TEAMS = Path(__file__).resolve().parents[2] / "examples" / "six-teams.toml"


def test_every_team_has_its_own_colour_and_categories_wear_their_teams() -> None:
    pal = theme.palette(DEFAULT_POLICY)
    assert pal.team_order == [t.value for t in DEFAULT_POLICY.teams]
    assert len(set(pal.team_colors.values())) == 4
    for category, team in DEFAULT_CATEGORY_TEAM.items():
        assert pal.category_colors[category.value] == pal.team_colors[team.value]


def test_a_policy_of_six_teams_keeps_the_built_in_colours_and_gives_its_own_teams_new_ones() -> None:
    six = theme.palette(load_policy(SIX_TEAMS))
    assert six.team_order[-2:] == ["Fraud & Security", "Retention"] and six.category_order[-2:] == ["Fraud",
                                                                                                    "Cancellation"]
    assert {t: six.team_colors[t] for t in theme.BUILTIN_TEAM_COLORS} == theme.BUILTIN_TEAM_COLORS
    assert len(set(six.team_colors.values())) == 6  # the new teams take colours no built-in team wears
    assert six.category_colors["Cancellation"] == six.team_colors["Retention"] == theme.EXTRA_TEAM_COLORS[1]
    assert theme.team_color("Retention", load_policy(SIX_TEAMS)) == theme.EXTRA_TEAM_COLORS[1]
    assert theme.team_color("Retention") == theme.MUTED  # not a team of the built-in policy
    assert theme.ordered(six.team_order, ["Sales", Team.BILLING_SUPPORT.value]) == [*six.team_order, "Sales"]


def test_escaped_text_has_no_markup_left_and_reads_the_same() -> None:
    text = "**bold** _it_ [a](http://x) ![i](http://x/i.png) <script>x</script> $1+1$ :red[r] # h\n- item `c` 50%"
    for escaped in (theme.esc(text), theme.esc_lines(text)):
        left = re.sub(r"&#\d+;|<br>", "", escaped)  # what Markdown would still see as characters
        assert not set(left) & set(string.punctuation), left
        assert html.unescape(escaped.replace("<br>", "\n")).replace("\n", " ") == text.replace("\n", " ")
    assert "<" not in theme.esc(text) and theme.esc_lines("a\r\nb") == "a<br>b"


def test_badges_and_chips_escape_their_text() -> None:
    assert "<b>" not in theme.badge("<b>x</b>", "#000") and "<i>" not in theme.chips(["<i>y</i>"])
