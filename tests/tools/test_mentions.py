"""The cue phrases that make a category 'also mentioned'."""

from ticket_router.domain import Category
from ticket_router.tools.mentions import mentioned_categories


def test_two_distinct_cues_make_a_mention_in_text_order():
    found = mentioned_categories("The router reboots and the modem too. The ROUTER again!", min_cues=2)
    assert found == {Category.TECHNICAL_PROBLEM: ["router", "modem"]}


def test_one_cue_or_a_repeated_cue_is_not_enough():
    assert mentioned_categories("refund refund REFUND", min_cues=2) == {}
    assert mentioned_categories("I want a refund", min_cues=1) == {Category.BILLING_DISPUTE: ["refund"]}


def test_words_every_ticket_uses_are_not_cues():
    assert mentioned_categories("My account, my phone and my service, please help with my account", 1) == {}


def test_cues_match_whole_words_only():
    assert mentioned_categories("remotely pinged a feeder", min_cues=1) == {}
