"""Ray actors: thin shells around the plain cores (capture, streaming ASR, PHI redaction, latency).

Audio and transcript text move between actors only as object refs; the driver sees redacted events alone.
"""

from __future__ import annotations

import importlib
import time
from typing import Any

import numpy as np
import ray

from raytranscribe.asr.streaming import AsrUpdate
from raytranscribe.audio.capture import Capture, ChunkInfo
from raytranscribe.audio.sources import Source
from raytranscribe.cluster.latency import LatencyMonitor
from raytranscribe.engine.redaction import RedactionState, redact_update
from raytranscribe.settings import Settings


CONTROLLER_NAME = "raytranscribe-latency-controller"


def controller() -> Any:
    """The session's latency controller (actors find it by name, so it is no constructor argument)."""
    return ray.get_actor(CONTROLLER_NAME)


@ray.remote(num_cpus=0)
class LatencyControllerActor:
    """Collects per-stage times from the other actors (the adaptive policy is the control concern's)."""

    def __init__(self) -> None:
        self.monitor = LatencyMonitor()

    def record(self, stage: str, seconds: float) -> None:
        self.monitor.record(stage, seconds)

    def snapshot(self) -> dict[str, dict[str, float]]:
        return self.monitor.snapshot()


# Threaded so push()/stop() are served while read() waits for audio.
@ray.remote(num_cpus=0, max_concurrency=4)
class CaptureActor:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.capture: Capture | None = None

    def open(self, source: Source) -> None:
        self.capture = Capture(source, self.settings.audio)  # raises UserError for bad files/devices

    @ray.method(num_returns=2)
    def read(self, timeout: float) -> tuple[ChunkInfo, np.ndarray]:
        assert self.capture is not None
        return self.capture.read(timeout)

    def push(self, samples: np.ndarray) -> None:
        assert self.capture is not None
        self.capture.push(samples)

    def end_of_input(self) -> None:
        assert self.capture is not None
        self.capture.end_of_input()

    def rewind(self, to_s: float) -> float:
        assert self.capture is not None
        return self.capture.rewind(to_s)

    def stop(self) -> None:
        if self.capture is not None:
            self.capture.stop()


class StreamNotOpen(LookupError):
    """A Whisper replica was asked for a stream it does not hold (it was restarted and lost the state)."""


@ray.remote
class WhisperActor:
    """One loaded model serving several streams, each with its own streaming policy state."""

    def __init__(self, settings: Settings, model_dir: str) -> None:
        from raytranscribe.asr.vad import SpeechDetector
        from raytranscribe.asr.whisper import WhisperDecoder
        from raytranscribe.models.loader import load_whisper

        model_settings = settings.model.model_copy(update={"name": model_dir})
        model, self.placement = load_whisper(model_settings)
        self.decoder = WhisperDecoder(model, settings.streaming)
        self.settings = settings
        self.controller = controller()
        self.new_detector = SpeechDetector
        self.streams: dict[str, Any] = {}

    def ready(self) -> dict[str, str]:
        return {"device": self.placement.device, "compute_type": self.placement.compute_type}

    def open(self, stream_id: str, start_s: float = 0.0, committed_s: float | None = None) -> None:
        """A stream's policy state; ``start_s`` > 0 re-opens a stream at that stream time after a restart."""
        from raytranscribe.asr.streaming import StreamingTranscriber

        s = self.settings.streaming
        self.close(stream_id)  # a replica that was only unreachable still holds the old state: zero it
        vad = self.new_detector(s.vad_threshold, start_s) if s.vad else None
        self.streams[stream_id] = StreamingTranscriber(self.decoder, s, vad, start_s, committed_s)

    def feed(self, stream_id: str, info: ChunkInfo, audio: np.ndarray) -> AsrUpdate:
        policy = self.streams.get(stream_id)
        if policy is None:
            raise StreamNotOpen("stream not open on this replica")
        started = time.perf_counter()
        update = policy.finish() if info.eof and not audio.size else policy.feed(audio)
        if info.eof and audio.size:
            tail = policy.finish()
            update = AsrUpdate(update.committed + tail.committed, [], tail.audio_end)
        self.controller.record.remote("asr", time.perf_counter() - started)
        if update.committed and info.first_sample_at is not None:
            spoken = update.committed[-1].end
            self.controller.record.remote("commit_latency", time.time() - info.first_sample_at - spoken)
        return update

    def close(self, stream_id: str) -> None:
        policy = self.streams.pop(stream_id, None)
        if policy is not None:
            policy.reset_buffers()


@ray.remote
class ScrubberActor:
    """Hosts ``raytranscribe.phi`` (or a module with the same contract); stateless across streams."""

    def __init__(self, settings: Settings, module: str) -> None:
        phi = importlib.import_module(module)
        self.settings = settings
        self.scrubber = phi.Scrubber(settings.phi)
        self.new_redactor = phi.StreamRedactor
        self.controller = controller()

    def ready(self) -> bool:
        return True

    def new_state(self) -> RedactionState:
        return RedactionState(self.new_redactor(self.settings.phi))

    def committed_until(self, state: RedactionState) -> float:
        """Stream time of the newest committed word the stream's redactor has (released or held): where
        speech recognition resumes after a Whisper restart. A number, so the caller never sees text."""
        return state.pushed_until

    @ray.method(num_returns=2)
    def process(self, state: RedactionState, update: AsrUpdate, final: bool) -> tuple[RedactionState, list]:
        started = time.perf_counter()
        state, events = redact_update(self.scrubber, state, update, time.time(), final)
        self.controller.record.remote("scrub", time.perf_counter() - started)
        return state, events
