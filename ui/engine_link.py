"""The one place the UI talks to the engine (``raytranscribe.engine``, see docs/architecture.md).

The engine starts once per app in a background thread; each clinician session opens one stream, from this
workstation's microphone (the capture actor) or from PCM the browser sends. A reader thread moves the
stream's (already redacted) events into a queue that the page drains on its own timer.
"""

from __future__ import annotations

import importlib
import logging
import queue
import threading
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from raytranscribe.errors import UserError
from raytranscribe.settings import Settings

log = logging.getLogger(__name__)

REDACTION_UNAVAILABLE = "redaction unavailable"


@dataclass(frozen=True)
class EngineStatus:
    state: str  # "starting" | "ready" | "failed"
    error: str = ""
    model: str = ""
    device: str = ""
    scrubbers: int | None = None
    latency_s: float | None = None


class EngineLink:
    """``api`` is the engine package (``Engine``, ``MicSource``, ``PushSource``); tests pass a stand-in
    with the same contract. The real one is imported on start, so Ray and Whisper load only then."""

    def __init__(self, settings: Settings, api: ModuleType | None = None) -> None:
        self.settings = settings
        self.api = api
        self.engine: Any = None
        self.error = ""
        self._ready = threading.Event()

    def start_in_background(self) -> None:
        threading.Thread(target=self._start, name="engine-start", daemon=True).start()

    def _start(self) -> None:
        try:
            if self.api is None:
                self.api = importlib.import_module("raytranscribe.engine")
            engine = self.api.Engine(self.settings)
            engine.start()
            self.engine = engine
        except UserError as exc:  # e.g. model missing: its message is written to be shown
            self.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - message may not be PHI-safe, so only its class is shown
            self.error = f"engine failed to start ({exc.__class__.__name__})"
            log.error("engine failed to start: %s", exc.__class__.__name__)
        finally:
            self._ready.set()

    def wait_ready(self, timeout: float | None = None) -> bool:
        return self._ready.wait(timeout) and self.engine is not None

    def status(self) -> EngineStatus:
        if not self._ready.is_set():
            return EngineStatus("starting", model=self.settings.model.name)
        if self.engine is None:
            return EngineStatus("failed", error=self.error, model=self.settings.model.name)
        try:
            raw = self.engine.status()
        except Exception as exc:  # noqa: BLE001
            return EngineStatus("failed", error=f"engine status unavailable ({exc.__class__.__name__})")
        info = raw.model_dump() if hasattr(raw, "model_dump") else dict(raw)
        return EngineStatus(
            "ready",
            model=str(info.get("model", self.settings.model.name)),
            device=str(info.get("device", "")),
            scrubbers=info.get("scrubber_replicas", info.get("scrubbers")),
            latency_s=info.get("latency_s"),
        )

    def open(self, from_browser: bool) -> LiveStream:
        if self.engine is None:
            raise UserError(self.error or "the engine is still starting")
        source = self.api.PushSource() if from_browser else self.api.MicSource(self.settings.audio.input_device)
        return LiveStream(self.engine.open_stream(source), from_browser)

    def shutdown(self) -> None:
        if self.engine is not None:
            self.engine.shutdown()
            self.engine = None


class LiveStream:
    """One capture session. ``drain()`` returns the events that arrived since the last call."""

    def __init__(self, stream: Any, from_browser: bool) -> None:
        self.stream = stream
        self.from_browser = from_browser
        self.level = 0.0  # RMS of the latest audio block, 0..1, for the level meter
        self.ended = False  # the engine closed the stream (stopped, or the source failed)
        self._events: queue.Queue[Any] = queue.Queue()
        self._reader = threading.Thread(target=self._read, name="stream-events", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            for event in self.stream.events():
                self._events.put(event)
        except Exception as exc:  # noqa: BLE001 - fail closed: show nothing, say redaction is unavailable
            log.error("stream failed: %s", exc.__class__.__name__)
            self._events.put(StreamFailed(REDACTION_UNAVAILABLE))
        finally:
            self.ended = True

    def push_pcm16(self, pcm: bytes) -> None:
        """Browser microphone: little-endian int16 mono PCM at 16 kHz."""
        audio = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0
        if audio.size:
            self.level = float(np.sqrt(np.mean(audio * audio)))
            self.stream.push_audio(audio)

    def drain(self) -> list[Any]:
        out = []
        while True:
            try:
                out.append(self._events.get_nowait())
            except queue.Empty:
                return out

    def stop(self) -> None:
        self.stream.stop()


@dataclass(frozen=True)
class StreamFailed:
    """Stands in for a StatusEvent when the stream itself breaks."""

    message: str
    kind: str = "status"
