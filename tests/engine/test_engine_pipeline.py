"""The full Ray pipeline: capture -> Whisper -> scrubber stage, on a local-only cluster."""

import ipaddress
import time

import numpy as np
import psutil
import pytest
import ray
from engine_helpers import SPEECH, wer

from raytranscribe.audio.decode import load_audio
from raytranscribe.engine import FileSource, PushSource, StatusEvent, TranscriptEvent
from raytranscribe.errors import UserError

pytestmark = pytest.mark.slow  # real model, Ray cluster or subprocess


def run(stream):
    return list(stream.events())


@pytest.fixture(scope="module")
def jfk_events(engine):
    return run(engine.open_stream(FileSource(SPEECH / "jfk.wav")))


def finals(events):
    return [e for e in events if isinstance(e, TranscriptEvent) and e.kind == "final"]


def test_file_transcript_matches_reference(jfk_events, references):
    text = " ".join(e.text for e in finals(jfk_events))
    assert wer(references["jfk.wav"], text) <= 0.25


def test_event_timing_fields_are_consistent(jfk_events):
    events = [e for e in jfk_events if isinstance(e, TranscriptEvent)]
    assert {e.kind for e in events} == {"partial", "final"}
    assert all(e.t >= 0 and 0 <= e.audio_start <= e.audio_end <= 11.05 for e in events)
    assert all(a.t <= b.t for a, b in zip(events, events[1:]))
    ends = [e.audio_end for e in finals(events)]
    assert ends == sorted(ends)
    assert events[-1].kind == "partial" and events[-1].text == ""  # the interim line is cleared at the end


def test_demo_clip_is_redacted(engine):
    # The demo clip speaks a name, a date of birth and an insurance ID (invented; see clips.jsonl).
    from importlib import resources

    with resources.as_file(resources.files("raytranscribe.samples") / "demo_visit.wav") as sample:
        events = run(engine.open_stream(FileSource(sample)))
    texts = [e.text for e in events if isinstance(e, TranscriptEvent)]
    shown = " ".join(texts)
    assert "[NAME]" in shown and "[ID]" in " ".join(e.text for e in finals(events))
    # (Whisper may write the ID in digits or as an amount, "five hundred ninety two million ...")
    for secret in ("Steven", "Walsh", "592192587", "1986", "million", "thousand"):
        assert secret not in shown


def test_killed_scrubber_restarts_and_text_flows_again_redacted(engine):
    from importlib import resources

    with resources.as_file(resources.files("raytranscribe.samples") / "demo_visit.wav") as sample:
        audio = load_audio(sample)
    stream = engine.open_stream(PushSource())
    half = audio.size // 2
    stream.push_audio(audio[:half])
    events = stream.events()
    before = [next(e for e in events if isinstance(e, TranscriptEvent))]
    scrubber = engine.scrubbers[0]
    ray.kill(scrubber, no_restart=False)  # mid-session, while text is flowing
    stream.push_audio(audio[half:])
    assert back_within(scrubber, 90), "Ray brings the replica back"
    # The conversation goes on (half the clip again: all of it fits the 30 s ring buffer however far a busy
    # machine's recognizer lags, so no audio is dropped and stream times stay put).
    stream.push_audio(audio[:half])
    stream.end_input()
    after = list(events)
    shown = " ".join(e.text for e in before + after if isinstance(e, TranscriptEvent))
    for secret in ("Steven", "Walsh", "592192587", "1986"):
        assert secret not in shown
    # Text of the audio pushed after the restart is committed (a final may also carry a word held back
    # from before, so it can start a little earlier).
    later = audio.size / 16000
    finals = [e for e in after if isinstance(e, TranscriptEvent) and e.kind == "final"]
    assert [e for e in finals if e.audio_end > later + 2], (  # times and statuses only: no transcript text
        [round(e.audio_end, 1) for e in finals], [e.message for e in after if isinstance(e, StatusEvent)])


def back_within(actor, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return ray.get(actor.ready.remote(), timeout=10)
        except ray.exceptions.RayError:
            time.sleep(0.5)  # restarting
    return False


def test_scrubber_failure_fails_closed(engine):
    from raytranscribe.cluster.actors import ScrubberActor
    from raytranscribe.engine.scrubbers import ScrubberPool
    from raytranscribe.engine.stream import REDACTION_UNAVAILABLE, Stream

    failing = ScrubberActor.remote(engine.settings, "tests.engine.failing_phi")
    capture = engine.capture_pool.reserve()
    ray.get(capture.open.remote("fail-closed", FileSource(SPEECH / "ls_test-clean_6930-75918-0000.flac")))
    whisper = engine.whispers[0]
    ray.get(whisper.open.remote("fail-closed"))
    stream = Stream("fail-closed", capture, whisper, ScrubberPool([failing]))
    stream.start()
    events = run(stream)
    stream.stop()
    engine.capture_pool.release(capture)
    ray.kill(failing)
    assert [e.message for e in events if isinstance(e, StatusEvent)] == [REDACTION_UNAVAILABLE]
    assert not [e for e in events if isinstance(e, TranscriptEvent)]


def test_push_source(engine, references, settings):
    stream = engine.open_stream(PushSource())
    # Silence 1 s longer than the ring, in one push: the reader is behind by more than the ring holds.
    backlog = settings.audio.ring_seconds + 1.0
    stream.push_audio(np.zeros(int(backlog * 16000), dtype=np.float32))
    audio = load_audio(SPEECH / "ls_test-clean_6930-75918-0000.flac")
    for i in range(0, audio.size, 4000):
        stream.push_audio(audio[i : i + 4000])
    stream.end_input()
    events = run(stream)
    assert [e.message for e in events if isinstance(e, StatusEvent)] == [
        "transcription fell behind: 1.0 s of audio skipped"]
    text = " ".join(e.text for e in finals(events))
    assert wer(references["ls_test-clean_6930-75918-0000.flac"], text) <= 0.35
    assert min(e.audio_start for e in finals(events)) >= backlog - 0.5, "speech keeps its true stream time"
    with pytest.raises(UserError, match="NaN"):
        stream.push_audio(np.array([np.nan], dtype=np.float32))


def test_bad_file_is_a_user_error(engine, tmp_path):
    bad = tmp_path / "x.wav"
    bad.write_bytes(b"RIFF" + b"\x00" * 100)
    with pytest.raises(UserError, match="corrupt|no audio"):
        engine.open_stream(FileSource(bad))


def test_every_ray_listener_is_on_loopback(engine):
    session = str(engine.cluster.session_dir)
    procs = [p for p in psutil.process_iter(["cmdline"]) if session in " ".join(p.info["cmdline"] or [])]
    procs += [psutil.Process()] + psutil.Process().children(recursive=True)
    listening = [c for p in {p.pid: p for p in procs}.values() for c in _inet(p) if c.status == psutil.CONN_LISTEN]
    assert listening, "found no Ray listeners to check"
    for conn in listening:
        ip = ipaddress.ip_address(conn.laddr.ip)
        ip = getattr(ip, "ipv4_mapped", None) or ip
        assert ip.is_loopback, f"listener on {conn.laddr}"


def test_status_reports_stages(engine, jfk_events):
    status = engine.status()
    assert status["device"] in {"cpu", "cuda"} and status["whisper_replicas"] >= 1
    assert {"asr", "scrub"} <= set(status["latency"])
    assert ray.is_initialized()


def _inet(proc):
    try:
        return proc.net_connections(kind="inet")
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return []
