"""The latency policy against simulated timings: grows, shrinks, scales, stays put, degrades in order."""

import random

import pytest

from raytranscribe.control import Degradation, LatencyPolicy, PassCost, StreamSample
from raytranscribe.settings import ControllerSettings


def make(**overrides) -> LatencyPolicy:
    return LatencyPolicy(ControllerSettings(**overrides), initial_chunk_s=1.0, model="base")


class Plant:
    """A stream on a shared decoder: each call costs a fixed overhead plus time per audio second.

    Small chunks pay the overhead too often and fall behind (backlog grows); large chunks wait longer.
    """

    def __init__(self, overhead_s: float, per_audio_s: float, noise: float = 0.0, seed: int = 0) -> None:
        self.overhead_s, self.per_audio_s, self.noise = overhead_s, per_audio_s, noise
        self.backlog = 0.0
        self.rng = random.Random(seed)

    def step(self, stream_id: str, chunk_s: float) -> StreamSample:
        decode = (self.overhead_s + self.per_audio_s * chunk_s) * (1 + self.rng.uniform(-self.noise, self.noise))
        self.backlog = max(0.0, self.backlog + decode - chunk_s)  # seconds of audio waiting
        return StreamSample(stream_id, decode, chunk_s, chunk_s / 2 + decode + self.backlog)


def run(policy: LatencyPolicy, plant: Plant, ticks: int, sid: str = "s") -> list[float]:
    chunks = []
    for _ in range(ticks):
        policy.observe(plant.step(sid, policy.decision(sid).chunk_s))
        policy.tick()
        chunks.append(policy.decision(sid).chunk_s)
    return chunks


def reversals(series: list[float]) -> int:
    moves = [b - a for a, b in zip(series, series[1:]) if b != a]
    return sum(1 for a, b in zip(moves, moves[1:]) if (a > 0) != (b > 0))


def test_chunk_grows_under_load_and_shrinks_when_idle():
    policy = make()
    policy.add_stream("s")
    heavy = run(policy, Plant(overhead_s=1.2, per_audio_s=0.2), 40)
    assert heavy[-1] > 1.0, "a stream that falls behind must get longer chunks"
    grown = heavy[-1]
    light = run(policy, Plant(overhead_s=0.05, per_audio_s=0.05), 120)
    assert light[-1] < grown and light[-1] == pytest.approx(0.5), "an idle stream gives latency back"


def test_bounds_are_respected():
    policy = make(min_chunk_s=0.8, max_chunk_s=2.0)
    policy.add_stream("s")
    assert max(run(policy, Plant(overhead_s=5.0, per_audio_s=0.5), 60)) == 2.0
    assert min(run(policy, Plant(overhead_s=0.0, per_audio_s=0.01), 200)) == 0.8


@pytest.mark.parametrize("seed", range(5))
def test_no_oscillation_at_a_noisy_operating_point(seed):
    # With this plant the chunk that keeps load under max_load sits right at the grow/shrink boundaries, and
    # +-30% timing noise crosses them often: a policy without medians, persistence and back-off flaps ~20 times.
    policy = LatencyPolicy(ControllerSettings(), initial_chunk_s=0.5)
    policy.add_stream("s")
    chunks = run(policy, Plant(overhead_s=0.3, per_audio_s=0.1, noise=0.3, seed=seed), 600)
    assert reversals(chunks) <= 3, chunks
    assert sum(a != b for a, b in zip(chunks[300:], chunks[301:])) <= 1, "settles in the second half"


def test_a_single_spike_changes_nothing():
    policy = make()
    policy.add_stream("s")
    for latency in [1.1] * 10 + [9.0] + [1.1] * 10:  # load 0.5 and little queueing: inside the hold band
        policy.observe(StreamSample("s", decode_s=0.5, audio_s=1.0, commit_latency_s=latency))
        policy.tick()
    assert policy.decision("s").chunk_s == 1.0


def test_scrubber_replicas_follow_queue_length():
    policy = make(min_scrubbers=1, max_scrubbers=4, scrubber_queue_high=4.0, scrubber_queue_low=0.5)
    seen = []
    for queue in [0.0] * 5 + [20.0] * 15 + [0.0] * 60:
        policy.observe_pool(scrubber_queue=queue, pool_utilization=0.3)
        seen.append(policy.tick().scrubbers)
    assert seen[4] == 1
    assert max(seen) == 4, "a long queue scales up to the bound"
    assert seen[-1] == 1, "an empty queue scales back down"
    peak = seen.index(4)
    assert all(a >= b for a, b in zip(seen[peak:], seen[peak + 1 :])), "scales down monotonically"


def test_scrubbers_hold_steady_on_a_moderate_queue():
    policy = make()
    seen = []
    for i in range(100):
        policy.observe_pool(scrubber_queue=3.0 + (i % 3), pool_utilization=0.3)
        seen.append(policy.tick().scrubbers)
    assert len(set(seen[10:])) == 1


def test_degradation_order_and_recovery():
    policy = make(fallback_model="tiny.en")
    policy.add_stream("s")
    levels = []
    for _ in range(40):  # the first join_settle_ticks after the stream joined do not count
        policy.observe_pool(scrubber_queue=0, pool_utilization=1.0)
        state = policy.tick()
        levels.append(Degradation[state.degradation])
    assert levels[0] == Degradation.NONE
    order = [lvl for i, lvl in enumerate(levels) if i == 0 or lvl != levels[i - 1]]
    assert order == [Degradation.NONE, Degradation.LONGER_CHUNKS, Degradation.FEWER_INTERIMS, Degradation.SMALLER_MODEL]
    decision = policy.decision("s")
    assert decision.chunk_s == policy.cfg.max_chunk_s and not decision.interims
    assert policy.state().model == "tiny.en"
    for _ in range(100):
        policy.observe_pool(scrubber_queue=0, pool_utilization=0.1)
        policy.tick()
    assert policy.degradation == Degradation.NONE and policy.state().model == "base"
    assert policy.decision("s").interims


def test_without_fallback_model_stops_before_switching_models():
    policy = make()
    for _ in range(50):
        policy.observe_pool(scrubber_queue=0, pool_utilization=1.0)
        policy.tick()
    assert policy.degradation == Degradation.FEWER_INTERIMS and policy.state().model == "base"


def test_streams_are_sized_independently():
    policy = make()
    policy.add_stream("busy")
    policy.add_stream("quiet")
    busy, quiet = Plant(1.2, 0.2), Plant(0.05, 0.05)
    for _ in range(60):
        for sid, plant in (("busy", busy), ("quiet", quiet)):
            policy.observe(plant.step(sid, policy.decision(sid).chunk_s))
        policy.tick()
    state = policy.state()
    assert state.chunks["busy"] > state.chunks["quiet"]
    policy.remove_stream("busy")
    assert list(policy.state().chunks) == ["quiet"]


def test_invalid_bounds_are_rejected():
    with pytest.raises(ValueError, match="min_chunk_s"):
        ControllerSettings(min_chunk_s=5, max_chunk_s=1)


def feed(policy: LatencyPolicy, ticks: int, load: float, wait: float, utilization: float,
         streams=("s",)) -> list[float]:
    """Every stream reports the same load and queueing for ``ticks`` ticks; returns the first stream's chunks."""
    chunks = []
    for _ in range(ticks):
        for sid in streams:
            chunk = policy.decision(sid).chunk_s
            policy.observe(StreamSample(sid, decode_s=load * chunk, audio_s=chunk, commit_latency_s=2.0,
                                        queue_s=wait))
        policy.observe_pool(scrubber_queue=0, pool_utilization=utilization)
        policy.tick()
        chunks.append(policy.decision(streams[0]).chunk_s)
    return chunks


def test_a_pool_with_headroom_shrinks_a_stream_that_queues_briefly_behind_others():
    # Load 0.5 with short queueing: the stream alone shows no clear headroom (the hold band), but the pool is
    # 30% utilized, so its time in the decoder is other streams' passes batched with its own, not a backlog.
    policy = make()
    policy.add_stream("s")
    policy.streams["s"].chunk_s = 2.0
    held = feed(policy, 40, load=0.5, wait=0.15, utilization=0.7)
    assert held[-1] == 2.0, "a busy pool keeps the chunk"
    shrunk = feed(policy, 40, load=0.5, wait=0.15, utilization=0.3)
    assert shrunk[-1] == 0.5, "an idle pool gives latency back"
    assert shrunk.index(0.5) <= 35, "back to the lower bound within ~half a minute"


def test_a_joining_stream_does_not_grow_chunks():
    policy = make()
    for sid in ("a", "b"):
        policy.add_stream(sid)
    feed(policy, 20, load=0.5, wait=0.15, utilization=0.7, streams=("a", "b"))  # inside the hold band
    policy.add_stream("c")
    # The joiner's first passes and everyone's queueing behind them: a few seconds, then steady again.
    feed(policy, 4, load=1.2, wait=0.8, utilization=0.95, streams=("a", "b", "c"))
    steady = feed(policy, 20, load=0.5, wait=0.15, utilization=0.7, streams=("a", "b", "c"))
    assert set(policy.state().chunks.values()) == {1.0} and set(steady) == {1.0}
    assert policy.degradation == Degradation.NONE


def test_a_saturated_pool_after_a_join_sizes_streams_before_degrading():
    policy = make()
    policy.add_stream("a")
    policy.add_stream("b")
    chunks, levels = [], []
    for _ in range(20):
        chunks += feed(policy, 1, load=1.2, wait=0.8, utilization=1.0, streams=("a", "b"))
        levels.append(policy.degradation)
    grown = next(i for i, c in enumerate(chunks) if c > 1.0)
    degraded = levels.index(Degradation.LONGER_CHUNKS)
    assert grown < degraded, "per-stream sizing first, then the pool level"


def test_a_lasting_overload_after_a_join_still_grows_chunks():
    policy = make()
    policy.add_stream("a")
    policy.add_stream("b")
    chunks = feed(policy, 20, load=1.2, wait=0.8, utilization=0.95, streams=("a", "b"))
    settle = policy.cfg.join_settle_ticks
    assert set(chunks[:settle]) == {1.0} and chunks[-1] > 1.0


def test_first_samples_of_a_stream_are_not_measured():
    policy = make(warmup_samples=3)
    policy.add_stream("s")
    for _ in range(3):
        policy.observe(StreamSample("s", decode_s=3.0, audio_s=1.0, commit_latency_s=9.0, queue_s=2.0))
    assert policy.streams["s"].load.value is None
    policy.observe(StreamSample("s", decode_s=0.3, audio_s=1.0, commit_latency_s=1.0, queue_s=0.0))
    assert policy.streams["s"].load.value == pytest.approx(0.3)


class SharedPool:
    """Streams sharing one decoder: a pass costs ``pass_s``; queueing rises steeply as the decoder fills
    (M/D/1 mean wait), so shorter chunks buy latency until the pool saturates."""

    def __init__(self, pass_s: float, noise: float, seed: int) -> None:
        self.pass_s, self.noise, self.rng = pass_s, noise, random.Random(seed)

    def step(self, policy: LatencyPolicy) -> None:
        chunks = {sid: policy.decision(sid).chunk_s for sid in policy.streams}
        rho = min(sum(self.pass_s / c for c in chunks.values()), 0.95)
        wait = self.pass_s * rho / (2 * (1 - rho))
        loads = []
        for sid, chunk in chunks.items():
            jitter = 1 + self.rng.uniform(-self.noise, self.noise)
            w, d = wait * jitter, self.pass_s * jitter
            loads.append((w + d) / chunk)
            policy.observe(StreamSample(sid, w + d, chunk, chunk / 2 + w + d, queue_s=w))
        policy.observe_pool(0, sum(loads) / len(loads))


@pytest.mark.parametrize("seed", range(3))
def test_several_streams_on_a_shared_pool_settle_without_oscillating(seed):
    policy = LatencyPolicy(ControllerSettings(), initial_chunk_s=2.0)
    for sid in ("a", "b", "c"):
        policy.add_stream(sid)
    pool, series = SharedPool(pass_s=0.3, noise=0.3, seed=seed), {sid: [] for sid in policy.streams}
    for _ in range(600):
        pool.step(policy)
        policy.tick()
        for sid in series:
            series[sid].append(policy.decision(sid).chunk_s)
    for chunks in series.values():
        assert chunks[-1] < 2.0, "headroom was given back"
        assert reversals(chunks) <= 3, chunks
        assert sum(a != b for a, b in zip(chunks[300:], chunks[301:])) <= 1, "settles in the second half"


def context_run(policy: LatencyPolicy, latency_s, ticks: int, seed: int = 0) -> list[PassCost]:
    """A stream whose commit latency depends on its passes' cost: ``latency_s(pass_cost)``, with noise."""
    rng, costs = random.Random(seed), []
    for _ in range(ticks):
        latency = latency_s(policy.decision("s").pass_cost) * (1 + rng.uniform(-0.2, 0.2))
        policy.observe(StreamSample("s", decode_s=0.2, audio_s=1.0, commit_latency_s=latency, queue_s=0.0))
        policy.tick()
        costs.append(policy.decision("s").pass_cost)
    return costs


def by_cost(full: float, light: float, cheap: float):
    return lambda cost: (full, light, cheap)[cost]


def changes(costs: list[PassCost]) -> int:
    return sum(a != b for a, b in zip(costs, costs[1:]))


@pytest.mark.parametrize("seed", range(3))
def test_passes_get_lighter_over_the_latency_target_and_come_back_when_well_under(seed):
    policy = make(warmup_samples=0)
    policy.add_stream("s")
    # A quiet machine: full passes meet the target, so the stream keeps them.
    assert set(context_run(policy, by_cost(0.9, 0.7, 0.5), 60, seed)) == {PassCost.FULL}
    # Loaded: full passes miss the target, light ones meet it (1.2 s: not "well under"): one step, and it stays.
    loaded = context_run(policy, by_cost(2.4, 1.2, 0.9), 200, seed)
    assert loaded[-1] == PassCost.LIGHT and loaded.index(PassCost.LIGHT) < 20 and changes(loaded) == 1
    assert policy.state().pass_costs == {"s": "LIGHT"}
    # Load gone: well under the target for long enough, full passes return and hold.
    quiet = context_run(policy, by_cost(0.9, 0.5, 0.4), 200, seed)
    assert quiet[-1] == PassCost.FULL and changes(quiet) == 1


@pytest.mark.parametrize("seed", range(3))
def test_a_stream_still_over_the_target_on_light_passes_gets_cheap_ones_and_steps_back_one_level_at_a_time(seed):
    policy = make(warmup_samples=0)
    policy.add_stream("s")
    loaded = context_run(policy, by_cost(3.0, 2.0, 1.2), 200, seed)
    assert loaded[-1] == PassCost.CHEAP and changes(loaded) == 2
    assert loaded.index(PassCost.LIGHT) < loaded.index(PassCost.CHEAP) < 40
    quiet = context_run(policy, by_cost(0.8, 0.6, 0.5), 400, seed)
    assert quiet[-1] == PassCost.FULL and changes(quiet) == 2
    assert quiet.index(PassCost.LIGHT) < quiet.index(PassCost.FULL)


def test_lighter_passes_stay_while_the_pool_is_busy():
    policy = make(warmup_samples=0)
    policy.add_stream("s")
    assert context_run(policy, by_cost(2.4, 1.2, 1.0), 60)[-1] == PassCost.LIGHT
    # Well under the target on light passes, but the pool is busy: full ones (up to 2x the cost) would not fit.
    for _ in range(5):
        policy.observe_pool(0.0, 0.6)
    assert set(context_run(policy, by_cost(2.4, 0.5, 0.4), 200)) == {PassCost.LIGHT}
    # The pool idles: full passes come back.
    for _ in range(5):
        policy.observe_pool(0.0, 0.1)
    assert context_run(policy, by_cost(0.9, 0.5, 0.4), 200)[-1] == PassCost.FULL
