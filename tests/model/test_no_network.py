"""Routing never reaches the network and the run-time path imports no training library."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

from ticket_router.model.registry import load_classifier
from ticket_router.policy import RoutingPolicy
from ticket_router.router import Router
from ticket_router.store import open_store

from conftest import ticket


def test_the_default_model_loads_and_routes_with_sockets_refused(monkeypatch, tmp_path):
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    from ticket_router.model import registry

    registry.shared_encoder.cache_clear()  # load the encoder again, under the refusal
    store = open_store(f"sqlite:///{tmp_path / 'offline.db'}")
    try:
        decision = Router(load_classifier("minilm-tfidf-v1"), store, RoutingPolicy()).route(
            ticket("Charged twice for my October bill, I want a refund"), save=False)
    finally:
        store.close()
    assert decision.team.value == "Billing Support" and decision.model.name == "minilm-tfidf-v1"


def test_routing_imports_neither_torch_nor_training_libraries():
    code = (
        "import sys, json\n"
        "from ticket_router.model.registry import load_classifier\n"
        "load_classifier('minilm-tfidf-v1').predict(['no signal since monday'])\n"
        "heavy = {'torch', 'sklearn', 'scipy', 'transformers', 'sentence_transformers', 'huggingface_hub'}\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & heavy)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
