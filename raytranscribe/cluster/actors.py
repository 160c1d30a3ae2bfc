"""Ray actors: thin shells around the plain cores (capture, streaming ASR, PHI redaction, latency).

Audio and transcript text move between actors only as object refs; the driver sees redacted events alone.
"""

from __future__ import annotations

import importlib
import threading
import time
from typing import Any

import numpy as np
import ray

from raytranscribe.asr.streaming import RATE, AsrUpdate
from raytranscribe.audio.capture import CaptureHost, ChunkInfo
from raytranscribe.audio.sources import Source
from raytranscribe.control.pass_cost import PassCost, set_pass_cost
from raytranscribe.control.policy import StreamDecision
from raytranscribe.engine.redaction import RedactionState, redact_update
from raytranscribe.settings import Settings


CONTROLLER_NAME = "raytranscribe-latency-controller"


def controller() -> Any:
    """The session's latency controller (actors find it by name, so it is no constructor argument)."""
    return ray.get_actor(CONTROLLER_NAME)


@ray.remote(num_cpus=0)
class LatencyControllerActor:
    """Hosts the controller core: takes timings, ticks every ``controller.tick_s`` and sends each Whisper
    replica the decisions (chunk size, interims on/off) for the streams it hosts."""

    def __init__(self, settings: Settings) -> None:
        from raytranscribe.control.controller import Controller

        self.core = Controller(settings.controller, settings.streaming.min_chunk_s, settings.model.name)
        self.tick_s = settings.controller.tick_s
        self.hosts: dict[str, Any] = {}  # stream id -> the Whisper replica holding its policy
        self.sent: dict[str, StreamDecision] = {}
        self.lock = threading.Lock()  # the ticker thread and the actor's method calls share the core
        threading.Thread(target=self._tick_forever, name="controller-tick", daemon=True).start()

    def add_stream(self, stream_id: str, whisper: Any) -> StreamDecision:
        with self.lock:
            self.core.add_stream(stream_id)
            self.hosts[stream_id] = whisper
            self.sent[stream_id] = self.core.policy.decision(stream_id)
            return self.sent[stream_id]

    def remove_stream(self, stream_id: str) -> None:
        with self.lock:
            self.core.remove_stream(stream_id)
            self.hosts.pop(stream_id, None)
            self.sent.pop(stream_id, None)

    def record(self, stage: str, seconds: float) -> None:
        with self.lock:
            self.core.record(stage, seconds)

    def observe_pass(self, stream_id: str, wait_s: float, model_s: float, audio_s: float,
                     commit_latency_s: float | None) -> None:
        with self.lock:
            self.core.observe_pass(stream_id, wait_s, model_s, audio_s, commit_latency_s)

    def observe_queues(self, queues: dict[str, int]) -> None:
        with self.lock:
            self.core.observe_queues(queues)

    def status(self) -> dict[str, Any]:
        with self.lock:
            return self.core.status()

    def _tick_forever(self) -> None:
        while True:
            time.sleep(self.tick_s)
            with self.lock:
                decisions = self.core.tick()
                changed = {sid: d for sid, d in decisions.items() if self.sent.get(sid) != d and sid in self.hosts}
                by_host: dict[Any, dict[str, StreamDecision]] = {}
                for sid, decision in changed.items():
                    by_host.setdefault(self.hosts[sid], {})[sid] = decision
                self.sent.update(changed)
            for whisper, batch in by_host.items():
                whisper.apply.remote(batch)


def capture_concurrency(streams_per_actor: int) -> int:
    """Threads a capture actor needs: each hosted stream's read may block waiting for audio while a push,
    rewind or stop for it is served, plus one for opening a new stream."""
    return 2 * streams_per_actor + 1


@ray.remote(num_cpus=0)
class CaptureActor:
    """Hosts many streams' captures in one process: a Ray worker costs 1-3 CPU-seconds and 100-300 MB to start.
    Started with ``max_concurrency=capture_concurrency(...)``; a call for a stream it does not host raises
    ``UnknownStream``."""

    def __init__(self, settings: Settings) -> None:
        self.captures = CaptureHost(settings.audio)

    def open(self, stream_id: str, source: Source) -> None:
        self.captures.open(stream_id, source)  # raises UserError for bad files/devices

    @ray.method(num_returns=2)
    def read(self, stream_id: str, timeout: float, min_s: float = 0.0) -> tuple[ChunkInfo, np.ndarray]:
        return self.captures.get(stream_id).read(timeout, min_s)

    def push(self, stream_id: str, samples: np.ndarray) -> None:
        self.captures.get(stream_id).push(samples)

    def end_of_input(self, stream_id: str) -> None:
        self.captures.get(stream_id).end_of_input()

    def rewind(self, stream_id: str, to_s: float) -> float:
        return self.captures.get(stream_id).rewind(to_s)

    def stop(self, stream_id: str) -> None:
        self.captures.stop(stream_id)

    def hosted(self) -> int:
        return len(self.captures)


class StreamNotOpen(LookupError):
    """A Whisper replica was asked for a stream it does not hold (it was restarted and lost the state)."""


@ray.remote
class WhisperActor:
    """One loaded model serving several streams, each with its own streaming policy state and settings copy.

    Started with ``max_concurrency`` = streams it may host: each stream's ``feed`` runs on its own thread,
    and the policies' decoding passes meet in one ``BatchingDecoder`` that runs them as batched model calls.
    """

    def __init__(self, settings: Settings, model_dir: str) -> None:
        from raytranscribe.asr.batching import BatchingDecoder
        from raytranscribe.asr.vad import SpeechDetector
        from raytranscribe.asr.whisper import WhisperDecoder
        from raytranscribe.models.loader import load_whisper

        model_settings = settings.model.model_copy(update={"name": model_dir})
        model, self.placement = load_whisper(model_settings)
        c = settings.cluster
        if self.placement.device == "cuda":
            WhisperDecoder(model, settings.streaming).warm_up(c.max_batch)
        self.decoder = BatchingDecoder(WhisperDecoder(model, settings.streaming), c.max_batch,
                                       c.batch_wait_ms / 1000)
        self.join_early = c.batch_join_early
        self.settings = settings
        self.controller = controller()
        self.new_detector = SpeechDetector
        self.streams: dict[str, Any] = {}
        self.interims: dict[str, bool] = {}
        self.chunks: dict[str, float] = {}  # the controller's chunk per stream (a pass may start a little early)
        self.pass_costs: dict[str, PassCost] = {}
        self.unpassed_s: dict[str, float] = {}  # audio a stream was fed since its last decoding pass

    def ready(self) -> dict[str, str]:
        return {"device": self.placement.device, "compute_type": self.placement.compute_type}

    def open(self, stream_id: str, start_s: float = 0.0, committed_s: float | None = None) -> None:
        """A stream's policy state; ``start_s`` > 0 re-opens a stream at that stream time after a restart."""
        from raytranscribe.asr.naive import NaiveTranscriber
        from raytranscribe.asr.streaming import StreamingTranscriber

        self.close(stream_id)  # a replica that was only unreachable still holds the old state: zero it
        s = self.settings.streaming.model_copy()  # the controller sizes each stream's chunk apart
        if s.policy == "naive":
            self.streams[stream_id] = NaiveTranscriber(self.decoder, s, None, start_s, committed_s)
        else:
            vad = self.new_detector(s.vad_threshold, start_s) if s.vad else None
            self.streams[stream_id] = StreamingTranscriber(self.decoder, s, vad, start_s, committed_s)
        self.interims[stream_id] = True
        self.chunks[stream_id] = s.min_chunk_s
        self.unpassed_s[stream_id] = 0.0

    def apply(self, decisions: dict[str, StreamDecision]) -> None:
        """The controller's decisions for streams on this replica (a stream closed meanwhile is skipped)."""
        for stream_id, decision in decisions.items():
            policy = self.streams.get(stream_id)
            if policy is not None:
                self.chunks[stream_id] = decision.chunk_s
                self.interims[stream_id] = decision.interims
                if decision.pass_cost != self.pass_costs.get(stream_id, PassCost.FULL):
                    self.pass_costs[stream_id] = decision.pass_cost
                    set_pass_cost(policy.s, self.settings.streaming, self.settings.controller, decision.pass_cost)

    def feed(self, stream_id: str, info: ChunkInfo, audio: np.ndarray) -> AsrUpdate:
        policy = self.streams.get(stream_id)
        if policy is None:
            raise StreamNotOpen("stream not open on this replica")
        started = time.perf_counter()
        chunk = self.chunks[stream_id]
        # Batch with the other streams: while a batch is forming, a pass that is nearly due starts now.
        policy.s.min_chunk_s = chunk * (1 - self.join_early) if self.decoder.forming else chunk
        self.decoder.serve(stream_id)
        # Audio the capture no longer held was skipped: close what the policy holds before the gap.
        updates = [policy.skip_to(info.start_s)] if info.skipped_s > 0 else []
        if audio.size or not info.eof:
            updates.append(policy.feed(audio))
        if info.eof:
            updates.append(policy.finish())
        update = AsrUpdate.merged(updates)
        policy.s.min_chunk_s = chunk
        self.decoder.set_due(stream_id, not info.eof and self._nearly_due(policy, chunk))
        self.controller.record.remote("asr", time.perf_counter() - started)
        self._report(stream_id, info, audio, update)
        if not self.interims.get(stream_id, True):  # degraded: no interim text (finals are never skipped)
            update = AsrUpdate(update.committed, [], update.audio_end)
        return update

    def _nearly_due(self, policy: Any, chunk: float) -> bool:
        """Whether the stream would join a forming batch on its next feed (a pass early by at most
        ``batch_join_early`` of its chunk, with new speech to decode). The naive baseline's segments are fixed."""
        from raytranscribe.asr.streaming import StreamingTranscriber

        if not isinstance(policy, StreamingTranscriber):
            return False
        if policy.buf_end - policy.decoded_end < chunk * (1 - self.join_early):
            return False
        return policy.vad is None or policy.vad.speech_fraction(policy.decoded_end, policy.buf_end) > 0

    def _report(self, stream_id: str, info: ChunkInfo, audio: np.ndarray, update: AsrUpdate) -> None:
        times = self.decoder.take_times()  # this thread's passes: the ones this feed ran
        self.unpassed_s[stream_id] = self.unpassed_s.get(stream_id, 0.0) + audio.size / RATE
        if not times.passes:
            return
        latency = None
        if update.committed and info.first_sample_at is not None:
            latency = time.time() - info.first_sample_at - update.committed[-1].end
        # Waiting for due streams to join is no sign of load (it is bounded and the same at any load): the
        # controller sees only the queueing behind other batches.
        self.controller.observe_pass.remote(stream_id, times.wait_s - times.join_s, times.decode_s,
                                            self.unpassed_s[stream_id], latency)
        self.unpassed_s[stream_id] = 0.0

    def load(self) -> dict[str, float]:
        """Model time so far and how many passes it served in how many batched calls."""
        return {"busy_s": self.decoder.busy_s, "batches": self.decoder.batches, "passes": self.decoder.passes,
                "streams": len(self.streams)}

    def chunk_sizes(self) -> dict[str, float]:
        """The chunk each hosted stream is sized to (the controller's decisions, applied)."""
        return dict(self.chunks)

    def close(self, stream_id: str) -> None:
        policy = self.streams.pop(stream_id, None)
        self.interims.pop(stream_id, None)
        self.chunks.pop(stream_id, None)
        self.pass_costs.pop(stream_id, None)
        self.unpassed_s.pop(stream_id, None)
        self.decoder.set_due(stream_id, False)
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
