"""Engine fixtures: one tiny.en model and one Ray engine per test session."""

from __future__ import annotations

import csv
import pytest

from engine_helpers import SPEECH

from raytranscribe.settings import Settings

@pytest.fixture(scope="session")
def references() -> dict[str, str]:
    with open(SPEECH / "references.tsv", newline="") as f:
        return {row["file"]: row["reference"] for row in csv.DictReader(f, delimiter="\t")}


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings.load()


@pytest.fixture(scope="session")
def whisper_model(settings):
    from raytranscribe.models import load_whisper

    model, _ = load_whisper(settings.model)
    return model


@pytest.fixture(scope="session")
def engine(settings):
    """The real pipeline: tiny.en, raytranscribe.phi scrubber replicas, a local-only Ray cluster."""
    from raytranscribe.engine import Engine

    eng = Engine(settings).start()
    yield eng
    eng.shutdown()
