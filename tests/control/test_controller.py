"""The controller core: raw pipeline timings in, policy samples, pool readings and per-stream decisions out."""

import pytest

from raytranscribe.control.controller import IDLE_S, Controller
from raytranscribe.settings import ControllerSettings


def make(**overrides) -> Controller:
    return Controller(ControllerSettings(**overrides), initial_chunk_s=0.5, model="tiny.en")


def test_passes_without_commit_are_folded_into_the_next_sample():
    ctl = make(warmup_samples=0)
    ctl.add_stream("s")
    ctl.observe_pass("s", wait_s=0.1, model_s=0.2, audio_s=0.5, commit_latency_s=None)
    ctl.observe_pass("s", wait_s=0.1, model_s=0.2, audio_s=0.5, commit_latency_s=1.2)
    track = ctl.policy.streams["s"]
    assert track.load.value == pytest.approx(0.6) and track.latency.value == 1.2
    assert ctl.monitor.snapshot()["asr_wait"]["count"] == 2


def test_a_stream_that_spends_its_time_in_the_decoder_gets_longer_chunks():
    ctl = make()
    ctl.add_stream("s")
    chunks = []
    for _ in range(30):
        ctl.observe_pass("s", wait_s=0.4, model_s=0.5, audio_s=1.0, commit_latency_s=2.5)
        chunks.append(ctl.tick()["s"].chunk_s)
    assert chunks[0] == 0.5 and chunks[-1] > 1.0
    assert ctl.status()["pool_utilization"] == pytest.approx(0.9)


def test_pool_reading_holds_through_a_slow_pass_then_decays_when_idle():
    ctl = make(tick_s=0.5)
    ctl.add_stream("s")
    ctl.observe_pass("s", wait_s=0.0, model_s=0.95, audio_s=1.0, commit_latency_s=None)
    ctl.tick()
    for _ in range(int(IDLE_S / 0.5) - 1):
        ctl.tick()
    assert ctl._utilization == 0.95, "a tick without a finished pass is no evidence of idleness"
    ctl.tick()
    assert ctl._utilization == 0.0


def test_scrubber_queues_drive_the_replica_count_and_closed_streams_drop_out():
    ctl = make(scrubber_queue_high=1.0, scrubber_queue_low=0.2, max_scrubbers=3)
    for sid in ("a", "b"):
        ctl.add_stream(sid)
    for _ in range(10):
        ctl.observe_queues({"a": 3, "b": 3, "gone": 50})  # a stream the controller does not know is ignored
        ctl.tick()
    assert ctl.status()["scrubbers"] == 3 and ctl.status()["queues"] == {"a": 3, "b": 3}
    ctl.remove_stream("a")
    assert set(ctl.tick()) == {"b"} and "a" not in ctl.status()["chunks"]


def test_latency_from_the_policy_own_agreement_wait_is_not_queueing():
    # LocalAgreement commits a word a pass or two after it was heard: latency 3 s with no queueing and a light
    # decoder. Inferring queueing from that latency would grow the chunk, which raises the latency further.
    ctl = make()
    ctl.add_stream("s")
    for _ in range(40):
        ctl.observe_pass("s", wait_s=0.0, model_s=0.15, audio_s=0.5, commit_latency_s=3.0)
        decisions = ctl.tick()
    assert decisions["s"].chunk_s == 0.5
    for _ in range(40):  # the same stream now queueing behind other streams' batches
        ctl.observe_pass("s", wait_s=0.6, model_s=0.15, audio_s=0.5, commit_latency_s=3.0)
        decisions = ctl.tick()
    assert decisions["s"].chunk_s > 0.5


def test_a_pool_slowed_by_other_work_is_not_taken_for_idle():
    # Passes of 2.5 s (a machine busy with other work): 3 s without a finished pass is one slow pass, not an
    # idle pool, and reading it as idle would undo the degradation exactly when it is needed.
    ctl = make(tick_s=0.5)
    ctl.add_stream("s")
    ctl.observe_pass("s", wait_s=0.5, model_s=2.0, audio_s=2.0, commit_latency_s=None)
    ctl.tick()
    for _ in range(int(2 * 2.5 / 0.5) - 1):
        ctl.tick()
    assert ctl._utilization == 1.25
    ctl.tick()
    assert ctl._utilization == 0.0
