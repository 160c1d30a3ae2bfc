"""The controller core the latency-controller actor hosts: turns the pipeline's raw timings into the policy's
inputs, and the policy's state into per-stream decisions and a status summary (numbers only, never text).

Inputs, pushed by the other parts:
  * every decoding pass of a stream (Whisper actor): time queued for a batch, time in the model, seconds of
    new audio it covered, and the commit latency of its newest committed word, if it committed any;
  * scrubber queue lengths of the stream pumps (Engine);
  * per-stage times for the rolling p50/p90 summary (``LatencyMonitor``).
The pool's utilization is the share of real time the streams spend queued for or inside the decoder: near 1
the pool cannot keep up however it batches (a work-conserving decoder is always busy, so its own busy time
would say nothing about need).
"""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass

from raytranscribe.cluster.latency import LatencyMonitor
from raytranscribe.control.policy import LatencyPolicy, StreamDecision, StreamSample
from raytranscribe.settings import ControllerSettings

IDLE_S = 3.0  # no pass finished for this long (or twice the slowest recent pass): the pool is idle
RECENT_PASSES = 20


@dataclass
class _Pending:
    """A stream's passes since its last sample (a sample needs a commit to measure latency)."""

    decode_s: float = 0.0
    audio_s: float = 0.0
    queue_s: float = 0.0


class Controller:
    def __init__(self, cfg: ControllerSettings, initial_chunk_s: float, model: str) -> None:
        self.policy = LatencyPolicy(cfg, initial_chunk_s, model)
        self.tick_s = cfg.tick_s
        self.monitor = LatencyMonitor()
        self._pending: dict[str, _Pending] = {}
        self._tick_decode = self._tick_audio = 0.0
        self._queues: dict[str, int] = {}
        self._utilization = 0.0
        self._idle_ticks = 0
        self._recent_passes: deque[float] = deque(maxlen=RECENT_PASSES)  # queued + model time of each
        self.state = self.policy.state()

    # -- inputs -------------------------------------------------------------------------------------------
    def add_stream(self, stream_id: str) -> None:
        self.policy.add_stream(stream_id)
        self._pending[stream_id] = _Pending()
        self.state = self.policy.state()

    def remove_stream(self, stream_id: str) -> None:
        self.policy.remove_stream(stream_id)
        self._pending.pop(stream_id, None)
        self._queues.pop(stream_id, None)
        self.state = self.policy.state()

    def record(self, stage: str, seconds: float) -> None:
        self.monitor.record(stage, seconds)

    def observe_pass(self, stream_id: str, wait_s: float, model_s: float, audio_s: float,
                     commit_latency_s: float | None) -> None:
        pending = self._pending.get(stream_id)
        if pending is None:
            return
        self.monitor.record("asr_wait", wait_s)
        self.monitor.record("asr_pass", wait_s + model_s)
        pending.decode_s += wait_s + model_s
        pending.audio_s += audio_s
        pending.queue_s += wait_s
        self._tick_decode += wait_s + model_s
        self._recent_passes.append(wait_s + model_s)
        self._tick_audio += audio_s
        if commit_latency_s is not None:
            self.monitor.record("commit_latency", commit_latency_s)
            self.policy.observe(StreamSample(stream_id, pending.decode_s, pending.audio_s, commit_latency_s,
                                             queue_s=pending.queue_s))
            self._pending[stream_id] = _Pending()

    def observe_queues(self, queues: dict[str, int]) -> None:
        self._queues = {sid: n for sid, n in queues.items() if sid in self._pending}

    # -- decisions ----------------------------------------------------------------------------------------
    def tick(self) -> dict[str, StreamDecision]:
        """Feed the pool measurements of the last period to the policy, decide, return every stream's decision."""
        # A saturated pool may finish no pass in a tick: keep its last reading until passes stop for a while.
        if self._tick_audio > 0:
            self._utilization, self._idle_ticks = self._tick_decode / self._tick_audio, 0
            self._tick_decode = self._tick_audio = 0.0
        else:
            # On a machine loaded by other work one pass can take seconds: its silence is no idleness.
            self._idle_ticks += 1
            if self._idle_ticks * self.tick_s >= max(IDLE_S, 2 * max(self._recent_passes, default=0.0)):
                self._utilization = 0.0
        self.policy.observe_pool(sum(self._queues.values()), self._utilization)
        self.state = self.policy.tick()
        return {sid: self.policy.decision(sid) for sid in self.policy.streams}

    def status(self) -> dict:
        return {**asdict(self.state), "queues": dict(self._queues), "latency": self.monitor.snapshot()}
