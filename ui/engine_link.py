"""The one place the UI talks to the engine (``raytranscribe.engine``, see docs/architecture.md).

The engine starts once per app in a background thread; each clinician session opens one stream, from this
workstation's microphone (the capture actor) or from PCM the browser sends. Engine calls block (Ray), so
none runs on NiceGUI's event loop: a reader thread moves the stream's (already redacted) events into a queue
the page drains on its own timer, a pusher thread feeds browser audio, and engine status is polled here.
"""

from __future__ import annotations

import importlib
import logging
import queue
import threading
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import numpy as np

from raytranscribe.errors import UserError
from raytranscribe.settings import Settings

log = logging.getLogger(__name__)

REDACTION_UNAVAILABLE = "redaction unavailable"
STATUS_EVERY_S = 1.0
MAX_QUEUED_BLOCKS = 100  # ~10 s of browser audio; beyond that the engine is not keeping up and blocks drop


@dataclass(frozen=True)
class EngineStatus:
    state: str  # "starting" | "ready" | "failed"
    error: str = ""
    model: str = ""
    device: str = ""
    scrubbers: int | None = None
    degradation: str = ""  # the latency controller's level: NONE, LONGER_CHUNKS, FEWER_INTERIMS, SMALLER_MODEL
    chunks: dict[str, float] = field(default_factory=dict)  # stream id -> its current chunk size (s)


class EngineLink:
    """``api`` is the engine package (``Engine``, ``MicSource``, ``PushSource``); tests pass a stand-in
    with the same contract. The real one is imported on start, so Ray and Whisper load only then."""

    def __init__(self, settings: Settings, api: ModuleType | None = None) -> None:
        self.settings = settings
        self.api = api
        self.engine: Any = None
        self._status = EngineStatus("starting", model=settings.model.name)
        self._stop = threading.Event()

    def start_in_background(self) -> None:
        threading.Thread(target=self._run, name="engine", daemon=True).start()

    def _run(self) -> None:
        self._start()
        while self.engine is not None and not self._stop.wait(STATUS_EVERY_S):
            self._poll_status()

    def _start(self) -> None:
        try:
            if self.api is None:
                self.api = importlib.import_module("raytranscribe.engine")
            engine = self.api.Engine(self.settings)
            engine.start()
            self.engine = engine
            self._poll_status()
        except UserError as exc:  # e.g. model missing: its message is written to be shown
            self._failed(str(exc))
        except Exception as exc:  # noqa: BLE001 - message may not be PHI-safe, so only its class is shown
            self._failed(f"engine failed to start ({exc.__class__.__name__})")

    def _failed(self, error: str) -> None:
        log.error("engine unavailable: %s", error)
        self._status = EngineStatus("failed", error=error, model=self.settings.model.name)

    def _poll_status(self) -> None:
        try:
            info = dict(self.engine.status())
        except Exception as exc:  # noqa: BLE001
            self._status = EngineStatus("failed", error=f"engine status unavailable ({exc.__class__.__name__})",
                                        model=self.settings.model.name)
            return
        device = {"cuda": "GPU", "cpu": "CPU"}.get(str(info.get("device", "")), str(info.get("device", "")))
        self._status = EngineStatus(
            "ready",
            model=str(info.get("model", self.settings.model.name)),
            device=f"{device} {info.get('compute_type', '')}".strip(),
            scrubbers=info.get("scrubber_replicas"),
            degradation=str(info.get("control", {}).get("degradation", "")),
            chunks=dict(info.get("control", {}).get("chunks", {})),
        )

    def status(self) -> EngineStatus:
        return self._status

    def open(self, from_browser: bool) -> LiveStream:
        """Blocks while the engine sets the stream up: call it off the event loop."""
        if self.engine is None:
            raise UserError(self._status.error or "the engine is still starting")
        source = self.api.PushSource() if from_browser else self.api.MicSource(self.settings.audio.input_device)
        return LiveStream(self.engine.open_stream(source), from_browser)

    def shutdown(self) -> None:
        self._stop.set()
        if self.engine is not None:
            engine, self.engine = self.engine, None
            engine.shutdown()


class LiveStream:
    """One capture session. ``drain()`` returns the events that arrived since the last call."""

    def __init__(self, stream: Any, from_browser: bool) -> None:
        self.stream = stream
        self.from_browser = from_browser
        self._browser_level = 0.0  # RMS of the latest browser audio block
        self.ended = False  # the engine closed the stream (stopped, or the source failed)
        self._events: queue.Queue[Any] = queue.Queue()
        self._audio: queue.Queue[np.ndarray | None] = queue.Queue(MAX_QUEUED_BLOCKS)
        self._reader = threading.Thread(target=self._read, name="stream-events", daemon=True)
        self._reader.start()
        if from_browser:
            threading.Thread(target=self._push, name="stream-audio", daemon=True).start()

    def _read(self) -> None:
        try:
            for event in self.stream.events():
                self._events.put(event)
        except Exception as exc:  # noqa: BLE001 - fail closed: show nothing, say redaction is unavailable
            log.error("stream failed: %s", exc.__class__.__name__)
            self._events.put(StreamFailed(REDACTION_UNAVAILABLE))
        finally:
            self.ended = True

    def _push(self) -> None:
        while (audio := self._audio.get()) is not None:
            try:
                self.stream.push_audio(audio)
            except Exception as exc:  # noqa: BLE001
                log.error("browser audio rejected: %s", exc.__class__.__name__)
                self._events.put(StreamFailed("browser audio could not be processed"))
                return

    def push_pcm16(self, pcm: bytes) -> None:
        """Browser microphone: little-endian int16 mono PCM at 16 kHz."""
        audio = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0
        if audio.size:
            self._browser_level = float(np.sqrt(np.mean(audio * audio)))
            try:
                self._audio.put_nowait(audio)
            except queue.Full:
                pass  # the engine is far behind: dropping audio beats growing memory without bound

    @property
    def level(self) -> float:
        """RMS of the latest audio (0..1) for the level meter: measured here for the browser microphone,
        by the capture actor for this workstation's."""
        return self._browser_level if self.from_browser else float(getattr(self.stream, "level", 0.0))

    def drain(self) -> list[Any]:
        out = []
        while True:
            try:
                out.append(self._events.get_nowait())
            except queue.Empty:
                return out

    def stop(self) -> None:
        """Returns at once; the engine tears the stream down in the background."""
        while True:  # drop audio not yet pushed, then tell the pusher to finish
            try:
                self._audio.get_nowait()
            except queue.Empty:
                break
        self._audio.put(None)
        threading.Thread(target=self.stream.stop, name="stream-stop", daemon=True).start()


@dataclass(frozen=True)
class StreamFailed:
    """Stands in for a StatusEvent when the stream itself breaks."""

    message: str
    kind: str = "status"
