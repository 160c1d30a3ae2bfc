"""The capture core: fills a ring buffer from a source and hands out the audio not yet read.

Thread-safe: the microphone callback, ``push`` and ``read`` may run on different threads.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from raytranscribe.audio.decode import check_samples, load_audio
from raytranscribe.audio.mic import open_microphone
from raytranscribe.audio.ring import RingBuffer
from raytranscribe.audio.sources import FileSource, MicSource, PushSource, Source
from raytranscribe.settings import AudioSettings

# Fast file replay hands out this much audio per read, like a microphone that is never waited for.
FAST_CHUNK_S = 1.0


@dataclass(frozen=True)
class ChunkInfo:
    """What a read returned, without the audio: absolute times in seconds since the first sample."""

    start_s: float
    end_s: float
    eof: bool
    first_sample_at: float | None  # wall-clock time (time.time()) the first sample was fed
    level: float = 0.0  # RMS of the chunk (0..1), for a level meter
    skipped_s: float = 0.0  # audio lost just before start_s: the reader fell more than the ring behind


class Capture:
    def __init__(self, source: Source, settings: AudioSettings) -> None:
        self.source = source
        self.rate = settings.sample_rate
        self.block = int(settings.block_ms * self.rate / 1000)
        self.ring = RingBuffer(settings.ring_seconds, self.rate)
        self._cond = threading.Condition()
        self._read_pos = 0
        self._closed = False  # no more audio will come (end of file, stop, end of push)
        self._first_at: float | None = None
        self._file: np.ndarray | None = None
        self._mic: Any = None
        if isinstance(source, FileSource):
            self._file = load_audio(source.path, source.seconds)
        elif isinstance(source, MicSource):
            device = source.device if source.device is not None else settings.input_device
            self._mic = open_microphone(device, self.rate, self.block, self._append)

    # -- producers ---------------------------------------------------------------------------------------
    def push(self, samples: np.ndarray) -> None:
        if not isinstance(self.source, PushSource):
            raise TypeError("push() is for PushSource streams")
        self._append(check_samples(samples))

    def end_of_input(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def _append(self, samples: np.ndarray) -> None:
        with self._cond:
            if self._closed:
                return
            if self._first_at is None and samples.size:
                self._first_at = time.time()
            self.ring.write(samples)
            self._cond.notify_all()

    def _feed_file(self) -> None:
        """Move the part of the file that is due by now into the ring buffer."""
        assert self._file is not None
        if self._first_at is None:
            self._first_at = time.time()
        done = self.ring.written
        if self.source.realtime:  # type: ignore[union-attr]
            due = int((time.time() - self._first_at) * self.rate)
        else:
            due = done + int(FAST_CHUNK_S * self.rate) if done <= self._read_pos else done
        due = min(due, self._file.size)
        if due > done:
            self.ring.write(self._file[done:due])
        if self.ring.written >= self._file.size:
            self._closed = True

    # -- consumer ----------------------------------------------------------------------------------------
    def read(self, timeout: float = 1.0, min_s: float = 0.0) -> tuple[ChunkInfo, np.ndarray]:
        """Audio since the last read: waits for at least one block and ``min_s`` seconds of it (or the end)
        up to ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        wanted = max(self.block, int(min_s * self.rate))
        with self._cond:
            while True:
                if self._file is not None and not self._closed:
                    self._feed_file()
                available = self.ring.written - self._read_pos
                remaining = deadline - time.monotonic()
                if available >= wanted or self._closed or remaining <= 0:
                    break
                wait = remaining if self._file is None else min(remaining, (wanted - available) / self.rate)
                self._cond.wait(max(wait, 0.001))
            start = max(self._read_pos, self.ring.oldest)  # a reader that fell behind loses the oldest audio
            skipped = start - self._read_pos
            audio = self.ring.read(start)
            self._read_pos = start + audio.size
            eof = self._closed and self._read_pos >= self.ring.written
            level = float(np.sqrt(np.mean(audio * audio))) if audio.size else 0.0
            info = ChunkInfo(start / self.rate, self._read_pos / self.rate, eof, self._first_at, level,
                             skipped / self.rate)
        return info, audio

    def rewind(self, to_s: float) -> float:
        """Hand out the audio from stream time ``to_s`` on again, from the ring buffer (a restarted recognizer
        re-hears what its lost state had not committed). Returns the seconds of it the ring no longer held."""
        with self._cond:
            wanted = max(int(round(to_s * self.rate)), 0)
            start = min(max(wanted, self.ring.oldest), self._read_pos)
            self._read_pos = start
            self._cond.notify_all()
        return max(start - wanted, 0) / self.rate

    def stop(self) -> None:
        """Close the source and zero every buffer that held audio."""
        if self._mic is not None:
            self._mic.stop()
            self._mic.close()
            self._mic = None
        with self._cond:
            self._closed = True
            self.ring.zero()
            if self._file is not None:
                self._file.fill(0.0)
            self._cond.notify_all()


class UnknownStream(LookupError):
    """A call named a stream that has no capture here (never opened, or already stopped)."""


class CaptureHost:
    """The captures one process hosts, keyed by stream id. Thread-safe: calls for different streams (and a
    stream's reads, pushes and stop) arrive on different threads."""

    def __init__(self, settings: AudioSettings) -> None:
        self.settings = settings
        self._captures: dict[str, Capture] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._captures)

    def open(self, stream_id: str, source: Source) -> None:
        capture = Capture(source, self.settings)  # outside the lock: decoding a file takes a while
        with self._lock:
            clash = stream_id in self._captures
            if not clash:
                self._captures[stream_id] = capture
        if clash:
            capture.stop()
            raise ValueError("a capture for this stream id is already open")

    def get(self, stream_id: str) -> Capture:
        with self._lock:
            capture = self._captures.get(stream_id)
        if capture is None:
            raise UnknownStream("no capture open for this stream (never opened, or stopped)")
        return capture

    def stop(self, stream_id: str) -> None:
        """Stop the stream's capture (zeroing its buffers) and forget it; an unknown id is a no-op."""
        with self._lock:
            capture = self._captures.pop(stream_id, None)
        if capture is not None:
            capture.stop()
