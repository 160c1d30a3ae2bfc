"""The latency policy against simulated timings: grows, shrinks, scales, stays put, degrades in order."""

import random

import pytest

from raytranscribe.control import Degradation, LatencyPolicy, StreamSample
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
    for _ in range(30):
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
