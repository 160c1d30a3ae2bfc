"""Latency policy: sizes each stream's segments and the scrubber pool from measured stage times.

Stability comes from three things a naive batcher lacks: measurements are rolling medians (one slow decode
moves nothing), a change needs the same signal for several ticks in a row (persistence), and the grow/shrink
thresholds are far apart (hysteresis band), so a stream near its operating point never flips back and forth.
Growth is multiplicative (catch up fast when falling behind); shrinking is additive (give latency back slowly).

A stream's commit latency is roughly chunk/2 (waiting for the chunk) + decode time + queueing. Only the
queueing part (and decode load above ``max_load``) is cured by longer chunks; when the decoder is lightly
loaded, shorter chunks lower latency. So the policy grows a chunk when the stream is behind (load or queueing
over the band) and shrinks it when there is clear headroom, which steers latency toward the lowest value the
decoder can sustain, and the target bounds how much queueing is tolerated. Headroom is judged on the stream
and on the whole pool: with several streams a stream's time in the decoder includes the batches it shares
with the others, so its own load alone would hold chunks long while the pool idles. A pool with headroom
(utilization under ``pool_headroom``) shrinks every stream that is not behind and queues little, at the
faster pace; the queueing threshold stays apart from the growing one (hysteresis), or streams sharing a pool
push one another back and forth.

Start-up transients must not grow chunks: a stream's first passes (no prompt yet, first window) are not
measured (``warmup_samples``), and after a stream joins no chunk grows for ``join_settle_ticks`` (the joiner's
first passes make every stream queue for a few seconds; a longer chunk would outlast that by minutes), nor
does the pool count as saturated then, so per-stream sizing still acts before every stream is degraded.

A stream's pass cost is sized too: every pass decodes the audio kept before the newest words and the earlier
utterances' text, which helps Whisper (15 s rather than 6 s of it lowers the word error rate), and searches
five beams, which helps more; all of it costs decoder time. A stream whose commit latency stays over the target
steps down to light passes (less context and a shorter buffer, the same beams: about a point of word error
rate), then to cheap ones (a short buffer, greedy search: several points), and steps back up one level at a
time only after a long spell well under the target with the pool under ``full_pass_headroom``.

When the Whisper pool saturates, the policy degrades in a fixed, documented order instead of queueing audio:
  1. LONGER_CHUNKS  - every stream's chunk is pushed to its upper bound (fewer, larger decodes);
  2. FEWER_INTERIMS - interim (partial) decodes are skipped; only committing decodes run;
  3. SMALLER_MODEL  - switch to the configured fallback model (only if one is configured).
Each step needs the pool saturated for three times the per-stream persistence, so per-stream sizing acts
first. Recovery walks the same list backwards, one level at a time, after an equally long calm period.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from enum import IntEnum
from statistics import median

from raytranscribe.control.pass_cost import PassCost
from raytranscribe.settings import ControllerSettings


class Degradation(IntEnum):
    NONE = 0
    LONGER_CHUNKS = 1
    FEWER_INTERIMS = 2
    SMALLER_MODEL = 3


@dataclass(frozen=True)
class StreamSample:
    """One measurement for one stream: how long a decode took for how much new audio, and the latency seen."""

    stream_id: str
    decode_s: float  # wall time of the Whisper call
    audio_s: float  # seconds of new audio that call covered
    commit_latency_s: float  # time from speech to committed display for the words it committed
    # Time its passes queued for the decoder, when measured. Inferring it from the latency would count the
    # streaming policy's own waiting (LocalAgreement commits a word one pass later) as queueing, and growing
    # the chunk raises exactly that: a loop that ends at the upper bound.
    queue_s: float | None = None


@dataclass(frozen=True)
class StreamDecision:
    chunk_s: float
    interims: bool
    pass_cost: PassCost = PassCost.FULL


class _Window:
    """Rolling median of the last few measurements."""

    def __init__(self, size: int) -> None:
        self.values: deque[float] = deque(maxlen=size)

    def add(self, value: float) -> None:
        self.values.append(value)

    @property
    def value(self) -> float | None:
        return median(self.values) if self.values else None


@dataclass
class _StreamTrack:
    chunk_s: float
    window: int
    latency: _Window = field(init=False)  # commit latency
    load: _Window = field(init=False)  # decode_s / audio_s (> 1 means falling behind)
    wait: _Window = field(init=False)  # latency not explained by chunk wait + decode: queueing
    over: int = 0  # consecutive ticks behind
    under: int = 0  # consecutive ticks with headroom
    direction: int = 0  # last change: +1 grew, -1 shrank
    reversals: int = 0  # direction changes in a row
    warmup: int = 0  # samples still to ignore
    pass_cost: PassCost = PassCost.FULL
    slow: int = 0  # consecutive ticks with commit latency over the target
    fast: int = 0  # consecutive ticks well under it

    def __post_init__(self) -> None:
        self.latency, self.load, self.wait = (_Window(self.window) for _ in range(3))

    def patience(self, direction: int, ticks: int) -> int:
        """Ticks needed to move; each reversal of direction doubles it (anti-flapping back-off)."""
        return ticks * 2 ** min(self.reversals, 4) if direction == -self.direction else ticks

    def resize(self, chunk_s: float, direction: int) -> None:
        if chunk_s == self.chunk_s:
            return
        self.reversals = self.reversals + 1 if direction == -self.direction else 0
        self.direction = direction
        # Judge the new size on its own measurements only, or one change would trigger the next.
        self.chunk_s = chunk_s
        self.over = self.under = 0
        self.__post_init__()


@dataclass
class ControllerState:
    """What the UI and the load harness show."""

    chunks: dict[str, float] = field(default_factory=dict)
    pass_costs: dict[str, str] = field(default_factory=dict)  # stream -> PassCost name
    latencies: dict[str, float | None] = field(default_factory=dict)
    scrubbers: int = 1
    scrubber_queue: float = 0.0
    pool_utilization: float = 0.0
    degradation: str = Degradation.NONE.name
    model: str | None = None


class LatencyPolicy:
    """Pure decision logic; call ``observe`` as samples arrive and ``tick`` at a fixed period."""

    def __init__(self, cfg: ControllerSettings, initial_chunk_s: float, model: str | None = None) -> None:
        self.cfg = cfg
        self.initial_chunk_s = min(max(initial_chunk_s, cfg.min_chunk_s), cfg.max_chunk_s)
        self.streams: dict[str, _StreamTrack] = {}
        self.scrubbers = cfg.min_scrubbers
        self.degradation = Degradation.NONE
        self.primary_model = model
        self.model = model
        self._queue = _Window(cfg.window)
        self._utilization = _Window(cfg.window)
        self._scrub_up = self._scrub_down = 0
        self._pool_hot = self._pool_calm = 0
        self._settling = 0  # ticks left in which no chunk grows (a stream just joined)

    # -- inputs -------------------------------------------------------------------------------------------
    def add_stream(self, stream_id: str) -> None:
        if stream_id in self.streams:
            return
        self.streams[stream_id] = _StreamTrack(chunk_s=self.initial_chunk_s, window=self.cfg.window,
                                               warmup=self.cfg.warmup_samples)
        self._settling = self.cfg.join_settle_ticks

    def remove_stream(self, stream_id: str) -> None:
        self.streams.pop(stream_id, None)

    def observe(self, sample: StreamSample) -> None:
        track = self.streams.get(sample.stream_id)
        if track is None or sample.audio_s <= 0:
            return
        if track.warmup > 0:
            track.warmup -= 1
            return
        track.load.add(sample.decode_s / sample.audio_s)
        track.latency.add(sample.commit_latency_s)
        inferred = sample.commit_latency_s - sample.audio_s / 2 - sample.decode_s
        track.wait.add(max(0.0, inferred if sample.queue_s is None else sample.queue_s))

    def observe_pool(self, scrubber_queue: float, pool_utilization: float) -> None:
        """Total items waiting at the scrubbers; fraction of time the Whisper pool was busy (0..1)."""
        self._queue.add(max(scrubber_queue, 0.0))
        self._utilization.add(min(max(pool_utilization, 0.0), 1.0))

    # -- decisions ----------------------------------------------------------------------------------------
    def tick(self) -> ControllerState:
        headroom = self._utilization.value is not None and self._utilization.value < self.cfg.pool_headroom
        for track in self.streams.values():
            self._size_passes(track)
            self._size_chunk(track, headroom)
        self._settling = max(0, self._settling - 1)
        self._scale_scrubbers()
        self._degrade_or_recover()
        return self.state()

    def decision(self, stream_id: str) -> StreamDecision:
        track = self.streams[stream_id]
        chunk = self.cfg.max_chunk_s if self.degradation >= Degradation.LONGER_CHUNKS else track.chunk_s
        return StreamDecision(chunk_s=chunk, interims=self.degradation < Degradation.FEWER_INTERIMS,
                              pass_cost=track.pass_cost)

    def state(self) -> ControllerState:
        return ControllerState(
            chunks={sid: self.decision(sid).chunk_s for sid in self.streams},
            pass_costs={sid: t.pass_cost.name for sid, t in self.streams.items()},
            latencies={sid: t.latency.value for sid, t in self.streams.items()},
            scrubbers=self.scrubbers,
            scrubber_queue=self._queue.value or 0.0,
            pool_utilization=self._utilization.value or 0.0,
            degradation=self.degradation.name,
            model=self.model,
        )

    def _size_chunk(self, track: _StreamTrack, pool_headroom: bool) -> None:
        load, wait = track.load.value, track.wait.value
        if load is None or wait is None:
            return
        cfg = self.cfg
        tolerated = cfg.target_latency_s * cfg.band
        over = (load > cfg.max_load or wait > tolerated) and not self._settling
        idle = load < cfg.max_load * 0.5 and wait < tolerated * 0.5
        under = idle or (pool_headroom and load <= cfg.max_load and wait < tolerated * 0.5)
        track.over = track.over + 1 if over else 0
        track.under = track.under + 1 if under else 0
        if track.over >= track.patience(+1, cfg.persistence):
            track.resize(min(track.chunk_s * cfg.grow_factor, cfg.max_chunk_s), +1)
        elif track.under >= track.patience(-1, cfg.persistence if pool_headroom else cfg.persistence * 2):
            track.resize(max(track.chunk_s - cfg.shrink_step_s, cfg.min_chunk_s), -1)

    def _size_passes(self, track: _StreamTrack) -> None:
        """Audio before a word and a beam search help Whisper, but cost decoder time: a stream whose commit
        latency stays over the target steps down to cheaper passes, one level at a time, and steps back up
        only after a long spell well under the target (cheaper passes themselves lower latency: hysteresis)
        with the pool idle enough to afford it: a costlier pass costs up to twice as much, so a stream's own
        latency alone would flip streams sharing a pool back and forth."""
        latency = track.latency.value
        if latency is None:
            return
        cfg = self.cfg
        utilization = self._utilization.value
        room = utilization is None or utilization < cfg.full_pass_headroom
        track.slow = track.slow + 1 if latency > cfg.target_latency_s and not self._settling else 0
        track.fast = track.fast + 1 if latency < cfg.target_latency_s * 0.6 and room else 0
        # The first step is quick; the next costs more accuracy and needs a longer spell over the target (a
        # stream takes a while to show a new cost: its buffer and context shrink at its next sentence end).
        if track.slow >= cfg.persistence * (1 if track.pass_cost == PassCost.FULL else 4) \
                and track.pass_cost < PassCost.CHEAP:
            track.pass_cost = PassCost(track.pass_cost + 1)
        elif track.fast >= cfg.persistence * 4 and track.pass_cost > PassCost.FULL:
            track.pass_cost = PassCost(track.pass_cost - 1)
        else:
            return
        track.slow = track.fast = 0
        track.__post_init__()  # judge the new cost on its own measurements,
        track.warmup = cfg.warmup_samples  # not on the passes that were queued or running at the switch

    def _scale_scrubbers(self) -> None:
        queue = self._queue.value
        if queue is None:
            return
        cfg = self.cfg
        per_replica = queue / self.scrubbers
        self._scrub_up = self._scrub_up + 1 if per_replica > cfg.scrubber_queue_high else 0
        # Scale down only if the remaining replicas would still sit below the high mark.
        fits_fewer = self.scrubbers > 1 and queue / (self.scrubbers - 1) < cfg.scrubber_queue_high / 2
        self._scrub_down = self._scrub_down + 1 if per_replica < cfg.scrubber_queue_low and fits_fewer else 0
        if self._scrub_up >= cfg.persistence and self.scrubbers < cfg.max_scrubbers:
            wanted = math.ceil(queue / cfg.scrubber_queue_high)
            self.scrubbers = min(max(wanted, self.scrubbers + 1), cfg.max_scrubbers)
            self._scrub_up = 0
        elif self._scrub_down >= cfg.persistence * 3 and self.scrubbers > cfg.min_scrubbers:
            self.scrubbers -= 1
            self._scrub_down = 0

    def _degrade_or_recover(self) -> None:
        utilization = self._utilization.value
        if utilization is None:
            return
        cfg = self.cfg
        hot = utilization > cfg.pool_saturation and not self._settling  # a join is no saturation yet
        calm = utilization < cfg.pool_saturation * 0.6
        self._pool_hot = self._pool_hot + 1 if hot else 0
        self._pool_calm = self._pool_calm + 1 if calm else 0
        top = Degradation.SMALLER_MODEL if cfg.fallback_model else Degradation.FEWER_INTERIMS
        # The pool level moves on a slower time scale than per-stream sizing, so longer chunks where they are
        # needed get their chance before every stream is degraded.
        if self._pool_hot >= cfg.persistence * 3 and self.degradation < top:
            self.degradation = Degradation(self.degradation + 1)
            self._pool_hot = 0
        elif self._pool_calm >= cfg.persistence * 3 and self.degradation > Degradation.NONE:
            self.degradation = Degradation(self.degradation - 1)
            self._pool_calm = 0
        self.model = cfg.fallback_model if self.degradation >= Degradation.SMALLER_MODEL else self.primary_model
