"""Loss of service is critical whatever the wording (issue 11, item 9): "internet down" is as severe as
"internet is down", "no signal" and "no service"."""

from __future__ import annotations

import itertools

import pytest

from ticket_router.domain import Category
from ticket_router.policy import RoutingPolicy
from ticket_router.tools.severity import assess_severity

POLICY = RoutingPolicy()
SUBJECTS = ["internet", "Internet", "broadband", "wifi", "wi-fi", "network", "fibre", "connection", "mobile data"]
STATES = ["down", "is down", "'s down", "went down", "has been down", "is completely down", "totally down",
          "keeps going down", "has stopped working", "has gone down", "is out", "has died", "cut out"]
TAILS = ["", " since 6am", " again", " at home, please help", ". Working from home today."]
OTHER = ["no signal", "no service", "No internet at all", "no mobile signal", "no phone service", "no broadband",
         "no connection since the storm", "no network coverage", "no dial tone", "lost my signal",
         "lost internet this morning", "we lost all service", "been without internet for two days",
         "without any signal", "can't get online", "cannot make calls", "unable to connect to the internet",
         "it's been down since Monday", "down again", "NO  SIGNAL", "internet down!"]
PHRASINGS = [f"{s} {st}{t}".replace(" '", "'") for s, st, t in itertools.product(SUBJECTS, STATES, TAILS)] + OTHER
CALM = ["download speeds are a bit slow in the evening", "how do I change my wifi password",
        "I'd like to downgrade my plan", "the engineer was great, thanks", "my router light is blinking orange",
        "question about the line rental on my invoice"]


def test_the_reference_phrasing_is_critical():
    assert assess_severity("internet is down", Category.NETWORK_OUTAGE, POLICY).critical


@pytest.mark.parametrize("text", PHRASINGS)
def test_every_wording_of_a_loss_of_service_gets_the_same_severity(text):
    reference = assess_severity("internet is down", Category.NETWORK_OUTAGE, POLICY)
    found = assess_severity(text, Category.NETWORK_OUTAGE, POLICY)
    assert (found.critical, found.value, found.service_affecting) == (True, reference.value, True), text


@pytest.mark.parametrize("text", CALM)
def test_ordinary_wording_is_not_a_loss_of_service(text):
    assert not assess_severity(text, Category.TECHNICAL_PROBLEM, POLICY).critical


def test_the_router_gives_internet_down_the_priority_of_internet_is_down(classifier):
    from ticket_router.domain import Ticket
    from ticket_router.router import Router
    from ticket_router.store.sql import SqlStore

    router = Router(classifier, SqlStore.from_url("sqlite://"), POLICY)
    texts = ["internet down", "internet is down", "no signal", "no service"]
    decisions = router.route_many([Ticket(ticket_id=str(n), description=t) for n, t in enumerate(texts)], save=False)
    assert {d.priority for d in decisions} == {decisions[1].priority}, [(t, d.priority) for t, d in zip(texts, decisions)]
