"""Engine fixtures: one tiny.en model and one Ray engine per test session."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from engine_helpers import FAIL_FLAG_ENV, SPEECH

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
def fail_flag(tmp_path_factory) -> Path:
    """While this file exists the stand-in scrubber raises (set before Ray starts so workers see it)."""
    return tmp_path_factory.mktemp("flags") / "scrubber-down"


@pytest.fixture(scope="session")
def engine(settings, fail_flag):
    from raytranscribe.engine import Engine

    os.environ[FAIL_FLAG_ENV] = str(fail_flag)
    # The stand-in keeps these tests independent of the PHI library, which has its own suite.
    eng = Engine(settings, redaction_module="tests.engine.fake_phi").start()
    yield eng
    eng.shutdown()
