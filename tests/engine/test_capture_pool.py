"""Streams share capture actors: one Ray worker process hosts many streams' captures."""

import threading

import pytest
import ray
from engine_helpers import SPEECH, wer

from raytranscribe.audio.capture import UnknownStream
from raytranscribe.audio.decode import load_audio
from raytranscribe.engine import FileSource, PushSource, StatusEvent, TranscriptEvent
from raytranscribe.engine.captures import CapturePool
from raytranscribe.errors import UserError

CLIPS = ("jfk.wav", "ls_test-clean_6930-75918-0000.flac")


def final_text(events) -> str:
    return " ".join(e.text for e in events if isinstance(e, TranscriptEvent) and e.kind == "final")


# -- the pool's bookkeeping (no Ray) ---------------------------------------------------------------------------
class FakeActors:
    def __init__(self) -> None:
        self.started: list[str] = []
        self.stopped: list[str] = []

    def start(self) -> str:
        self.started.append(f"actor{len(self.started)}")
        return self.started[-1]


def test_pool_fills_the_least_loaded_actor_and_starts_one_only_when_all_are_full():
    actors = FakeActors()
    pool = CapturePool(2, actors.start, actors.stopped.append)
    assert actors.started == ["actor0"], "one actor is ready before the first stream"
    assert [pool.reserve(), pool.reserve()] == ["actor0", "actor0"]
    assert pool.reserve() == "actor1" and pool.load() == {"actor0": 2, "actor1": 1}
    pool.release("actor0")
    assert pool.reserve() == "actor0", "a freed slot is used before any new actor"
    assert pool.reserve() == "actor1" and pool.reserve() == "actor2" and pool.load() == {"actor0": 2, "actor1": 2, "actor2": 1}


def test_pool_keeps_one_empty_actor_and_stops_the_rest():
    actors = FakeActors()
    pool = CapturePool(1, actors.start, actors.stopped.append)
    first, second = pool.reserve(), pool.reserve()
    pool.release(first)
    assert actors.stopped == [] and pool.load() == {"actor0": 0, "actor1": 1}, "the last empty actor stays for the next stream"
    pool.release(second)
    assert actors.stopped == ["actor1"] and pool.load() == {"actor0": 0}
    pool.shutdown()
    assert actors.stopped == ["actor1", "actor0"] and pool.load() == {}
    pool.release(first)  # a stream closed after shutdown
    assert pool.load() == {}


# -- the Engine's pool on the real cluster -----------------------------------------------------------------------
def test_streams_opened_at_once_share_one_capture_actor_and_each_gets_its_own_audio(engine, references):
    assert len(engine.capture_pool.load()) == 1, "precondition: a pool with one actor (this module's tests close their streams)"
    streams, events = {}, {}

    def run(clip: str) -> None:
        streams[clip] = engine.open_stream(FileSource(SPEECH / clip))
        events[clip] = list(streams[clip].events())

    threads = [threading.Thread(target=run, args=(clip,)) for clip in CLIPS]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert streams[CLIPS[0]].capture == streams[CLIPS[1]].capture
    for clip in CLIPS:
        assert wer(references[clip], final_text(events[clip])) <= 0.35, clip
        engine.close_stream(streams[clip])


def test_a_stopped_streams_capture_is_gone_while_the_other_goes_on(engine, references):
    clip = "ls_test-clean_6930-75918-0000.flac"
    audio = load_audio(SPEECH / clip)
    stopped, going = engine.open_stream(PushSource()), engine.open_stream(PushSource())
    capture = going.capture
    assert stopped.capture == capture
    hosted = ray.get(capture.hosted.remote())
    stopped.push_audio(audio[: audio.size // 2])
    going.push_audio(audio[: audio.size // 2])
    slots = sum(engine.capture_pool.load().values())
    engine.close_stream(stopped)
    assert ray.get(capture.hosted.remote()) == hosted - 1
    assert sum(engine.capture_pool.load().values()) == slots - 1
    with pytest.raises(ray.exceptions.RayTaskError) as err:
        ray.get(capture.read.remote(stopped.id, 0.0)[0])
    assert isinstance(err.value.cause, UnknownStream)
    going.push_audio(audio[audio.size // 2 :])
    going.end_input()
    assert wer(references[clip], final_text(going.events())) <= 0.35
    engine.close_stream(going)


def test_a_bad_file_leaves_the_pool_usable(engine, tmp_path):
    bad = tmp_path / "Jane_Doe.wav"
    bad.write_bytes(b"RIFF" + b"\x00" * 100)
    load = engine.capture_pool.load()
    hosted = {a: ray.get(a.hosted.remote()) for a in load}
    with pytest.raises(UserError, match="corrupt|no audio") as err:
        engine.open_stream(FileSource(bad))
    assert "\n" not in str(err.value) and "Jane" not in str(err.value)
    assert engine.capture_pool.load() == load, "no slot leaked"
    assert {a: ray.get(a.hosted.remote()) for a in load} == hosted
    stream = engine.open_stream(PushSource())
    assert sum(engine.capture_pool.load().values()) == sum(load.values()) + 1
    engine.close_stream(stream)
    assert engine.capture_pool.load() == load


def test_a_second_capture_actor_starts_only_when_every_actor_is_full(engine, references):
    pool = engine.capture_pool
    before = pool.load()
    per_actor = pool.streams_per_actor
    pool.streams_per_actor = max(before.values())  # every actor is full now
    try:
        stream = engine.open_stream(PushSource())
    finally:
        pool.streams_per_actor = per_actor
    assert len(pool.load()) == len(before) + 1
    assert ray.get(stream.capture.hosted.remote()) == 1
    stream.push_audio(load_audio(SPEECH / "jfk.wav"))
    stream.end_input()
    assert wer(references["jfk.wav"], final_text(stream.events())) <= 0.25, "the new actor captures"
    engine.close_stream(stream)


def test_a_capture_actor_that_dies_ends_its_streams_and_comes_back_for_new_ones(engine, references):
    victim = engine.open_stream(PushSource())
    load = engine.capture_pool.load()
    victim.push_audio(load_audio(SPEECH / "jfk.wav")[:16000])
    ray.kill(victim.capture, no_restart=False)
    statuses = [e.message for e in victim.events() if isinstance(e, StatusEvent)]
    assert statuses == ["transcription stopped: pipeline unavailable"]
    engine.close_stream(victim)
    stream = engine.open_stream(FileSource(SPEECH / "jfk.wav"))  # on the restarted actor: an empty host
    assert stream.capture == victim.capture and engine.capture_pool.load() == load
    assert wer(references["jfk.wav"], final_text(stream.events())) <= 0.25
    engine.close_stream(stream)


def test_a_stream_that_ends_gives_its_slots_back_without_close_stream(engine):
    # The app stops streams itself (Stream.stop) and a file's stream ends at its end: neither may leave a
    # Whisper or capture slot taken, or a long-running app runs out of them.
    load, hosted = engine.capture_pool.load(), sum(engine._hosted.values())
    ended = engine.open_stream(FileSource(SPEECH / "jfk.wav"))
    list(ended.events())
    stopped = engine.open_stream(PushSource())
    stopped.stop()
    assert ended.id not in engine.streams and stopped.id not in engine.streams
    assert engine.capture_pool.load() == load and sum(engine._hosted.values()) == hosted
