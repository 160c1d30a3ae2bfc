"""Building a scrubber and redacting URLs and e-mails never touches the network."""

import socket

import pytest

from raytranscribe.phi import Scrubber


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args[:1])
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def test_scrubber_loads_and_runs_offline(no_network, phi_settings):
    scrubber = Scrubber(phi_settings)  # a fresh build: spaCy, Presidio, gazetteer
    red = scrubber.redact("Mail jo.smith@example.org or see https://records.example.com/p/77 and www.clinic.net.")
    assert red.text == "Mail [EMAIL] or see [URL] and [URL]."
    assert no_network == []
