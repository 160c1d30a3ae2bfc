"""A stand-in for ``raytranscribe.engine`` with the same contract (docs/architecture.md), for page-flow
tests that need no model or Ray. Tests drive it by emitting events into the open stream."""

from __future__ import annotations

import queue
from dataclasses import dataclass

from raytranscribe.errors import UserError


@dataclass(frozen=True)
class TranscriptEvent:
    kind: str
    text: str
    t: float = 0.0
    audio_start: float = 0.0
    audio_end: float = 0.0


@dataclass(frozen=True)
class StatusEvent:
    message: str
    kind: str = "status"


class MicSource:
    available = True

    def __init__(self, device=None) -> None:
        if not MicSource.available:
            raise UserError("no microphone found (audio.input_device)")


class PushSource:
    pass


class Stream:
    def __init__(self, source) -> None:
        self.id = f"fake-{id(self)}"
        self.source = source
        self.pushed = 0
        self.stopped = False
        self._q: queue.Queue = queue.Queue()

    def emit(self, event) -> None:
        self._q.put(event)

    def push_audio(self, audio) -> None:
        # Report each full second of pushed audio, so a browser test can check the rate that arrives.
        before, self.pushed = self.pushed, self.pushed + len(audio)
        if self.pushed // 16000 > before // 16000:
            seconds = self.pushed // 16000
            self.emit(TranscriptEvent("final", f"received {seconds} s of audio", seconds + 0.5, seconds - 1, seconds))

    def events(self):
        while (event := self._q.get()) is not None:
            yield event

    def stop(self) -> None:
        self.stopped = True
        self._q.put(None)


class Engine:
    streams: list[Stream] = []

    def __init__(self, settings) -> None:
        self.settings = settings

    def start(self) -> None:
        pass

    def open_stream(self, source) -> Stream:
        stream = Stream(source)
        Engine.streams.append(stream)
        return stream

    def status(self) -> dict:
        # The latency controller's view: every stream on 2 s chunks, the first degradation level.
        return {"model": self.settings.model.name, "device": "cpu", "scrubber_replicas": 1,
                "control": {"degradation": "LONGER_CHUNKS", "chunks": {s.id: 2.0 for s in Engine.streams}}}

    def shutdown(self) -> None:
        pass
