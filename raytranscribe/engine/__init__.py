"""The engine API used by the CLI, the UI and the load harness (see docs/architecture.md).

Names are imported on first use so that ``raytranscribe.engine.cli`` stays light (Ray loads only when a
command runs).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Engine": "raytranscribe.engine.core",
    "Stream": "raytranscribe.engine.stream",
    "Event": "raytranscribe.engine.events",
    "StatusEvent": "raytranscribe.engine.events",
    "TranscriptEvent": "raytranscribe.engine.events",
    "FileSource": "raytranscribe.audio.sources",
    "MicSource": "raytranscribe.audio.sources",
    "PushSource": "raytranscribe.audio.sources",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(name)
    return getattr(importlib.import_module(_EXPORTS[name]), name)
