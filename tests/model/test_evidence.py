"""Cue words are the ticket's own words and phrases, and each one means something."""

from __future__ import annotations

import re

import pytest

from ticket_router.model.evidence import cue_words, readable, surface_forms
from ticket_router.model.registry import load_classifier


def test_stemmed_features_map_back_to_the_words_as_written():
    forms = surface_forms("Data caps and charges")
    assert forms["cap"] == "caps" and forms["data cap"] == "data caps" and forms["charge"] == "charges"


@pytest.mark.parametrize("phrase", ["month and", "me back", "region", "call", "comcast data", "internet", "the"])
def test_fragments_function_words_and_generic_words_are_not_shown(phrase):
    assert not readable(phrase)


@pytest.mark.parametrize("phrase", ["data caps", "refund", "router", "no-show", "voicemail", "no show", "no signal", "no internet"])
def test_words_naming_a_problem_are_shown(phrase):
    assert readable(phrase)


def test_handles_and_hashtags_are_not_the_ticket_s_words():
    assert "vodafoneuk" not in surface_forms("@VodafoneUK my router died #fail")
    assert surface_forms("@VodafoneUK my router died")["router"] == "router"


def test_a_longer_phrase_replaces_the_word_it_contains():
    assert cue_words("Comcast data caps", ["cap", "data cap", "comcast data", "data"]) == ["data caps"]


@pytest.mark.parametrize("name", ["minilm-tfidf-v1", "tfidf-lr-v2"])
@pytest.mark.parametrize("text", [
    "Comcast data caps", "Please call me back about my region", "My bill went up again this month and nobody "
    "called me back", "No signal in my area since Monday, calls keep dropping", "router lights red, modem "
    "keeps rebooting", "Verizon email not syncing on my phone", "@VodafoneUK month and a half without a working "
    "router", "Xfinity no show for install appointment", "Charged twice for the same month and the "
    "late fees are wrong",
])
def test_every_cue_of_a_shipped_model_is_a_readable_phrase_of_the_ticket(name, text):
    evidence = load_classifier(name).predict([text])[0].evidence
    words = re.findall(r"[a-z][a-z0-9'-]+", text.lower())
    for cue in evidence:
        assert readable(cue)
        assert f" {cue} " in f" {' '.join(words)} ", f"{cue!r} is not words of {text!r}"
