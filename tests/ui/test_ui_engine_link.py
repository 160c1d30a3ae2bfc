"""The UI's engine adapter: fail closed when a stream breaks, PHI-free start errors, browser PCM decoding."""

import time
import types

import numpy as np
import ui_fake_engine as fake_engine

from raytranscribe.errors import UserError
from raytranscribe.settings import Settings
from ui.engine_link import REDACTION_UNAVAILABLE, EngineLink, LiveStream


class BrokenStream(fake_engine.Stream):
    def events(self):
        yield fake_engine.TranscriptEvent("final", "[NAME] ok")
        raise RuntimeError("scrubber crashed while holding: Jane Doe 1970")


def test_a_breaking_stream_reports_redaction_unavailable_and_nothing_else():
    live = LiveStream(BrokenStream(None), from_browser=False)
    live._reader.join(5)
    events = live.drain()
    assert [e.kind for e in events] == ["final", "status"]
    assert events[1].message == REDACTION_UNAVAILABLE
    assert "Jane" not in repr(events)


def test_start_errors_show_user_errors_and_only_the_class_of_others():
    def failing(exc):
        class Engine(fake_engine.Engine):
            def start(self):
                raise exc
        return types.SimpleNamespace(Engine=Engine)

    link = EngineLink(Settings.load(), failing(UserError("model tiny.en missing: run raytranscribe models")))
    link._start()
    assert link.status().state == "failed" and "model tiny.en missing" in link.status().error
    link = EngineLink(Settings.load(), failing(ValueError("patient Jane Doe")))
    link._start()
    assert link.status().error == "engine failed to start (ValueError)"


def test_browser_pcm_reaches_the_stream_as_float32():
    link = EngineLink(Settings.load(), fake_engine)
    link._start()
    live = link.open(from_browser=True)
    pcm = (np.sin(np.linspace(0, 100, 1600)) * 16000).astype("<i2").tobytes()
    live.push_pcm16(pcm + b"\x01")  # a stray odd byte is dropped, not an error
    assert 0.2 < live.level < 0.6
    assert eventually(lambda: live.stream.pushed == 1600)  # pushed off the caller's thread
    live.stop()
    assert eventually(lambda: live.stream.stopped)


def test_workstation_microphone_level_comes_from_the_engine_stream():
    stream = types.SimpleNamespace(level=0.25, events=lambda: iter(()))
    assert LiveStream(stream, from_browser=False).level == 0.25


def eventually(probe, timeout_s: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while not probe():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True
