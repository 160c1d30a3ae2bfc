"""PHI test fixtures: one Scrubber per session (loading spaCy + Presidio takes seconds)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from raytranscribe.phi import Scrubber
from raytranscribe.settings import Settings

PHI_DATA = Path(__file__).parent.parent / "data" / "phi"
_MARK = re.compile(r"\{([A-Z_]+):([^{}]+)\}")


def parse_marked(line: str) -> dict:
    """``"call {PHONE:555 0143} now"`` -> {"text": "call 555 0143 now", "spans": [{start, end, type, text}]}."""
    text, spans, pos = [], [], 0
    length = 0
    for m in _MARK.finditer(line):
        plain = line[pos : m.start()]
        text.append(plain)
        length += len(plain)
        spans.append({"start": length, "end": length + len(m.group(2)), "type": m.group(1), "text": m.group(2)})
        text.append(m.group(2))
        length += len(m.group(2))
        pos = m.end()
    text.append(line[pos:])
    return {"text": "".join(text), "spans": spans}


def marked_items(name: str) -> list[dict]:
    lines = (PHI_DATA / name).read_text(encoding="utf-8").splitlines()
    items = [parse_marked(line) for line in lines if line.strip() and not line.startswith("#")]
    for k, item in enumerate(items):
        item["id"] = f"{name}:{k}"
    return items


@pytest.fixture(scope="session")
def phi_settings():
    return Settings.load().phi


@pytest.fixture(scope="session")
def scrubber(phi_settings) -> Scrubber:
    return Scrubber(phi_settings)
