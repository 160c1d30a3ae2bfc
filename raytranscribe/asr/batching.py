"""Batch several streams' decoding passes into one model call, fairly.

Each stream's policy runs in its own thread and calls ``decode()`` as if it owned the model; the call queues
the request and blocks. One worker thread takes every queued request (first come, first served, at most
``max_batch``), runs them as one ``decode_batch`` call and hands each caller its own result. A stream has at
most one pass in flight, so a request waits for at most the batch being decoded plus its own: no stream waits
behind another's backlog.

Under load, passes that queue while a batch runs form the next batch by themselves. With headroom they rarely
coincide (each stream's chunk clock has its own phase), so batches are formed on purpose: when a pass arrives
at a free decoder, the worker holds it for the streams whose next pass is nearly due (the host marks them with
``set_due``), at most ``max_wait_s`` (about one audio block, the time their next feed takes to arrive), and the
host lets those streams start their pass early while the batch is held (``forming``). Nobody else is waited
for, so a lone stream pays no wait; and a backlog is never held, so early passes never add work to a busy
decoder. Passes that ran together end together, so the streams stay in phase and keep batching.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from raytranscribe.asr.whisper import DecodedPass, DecodeRequest


class BatchDecoder(Protocol):
    def decode_batch(self, requests: list[DecodeRequest]) -> list[DecodedPass]: ...


@dataclass
class PassTimes:
    """What the calling thread's passes cost since it last asked: for the latency controller."""

    passes: int = 0
    wait_s: float = 0.0  # queued, before its batch started (join_s included)
    join_s: float = 0.0  # of that, held while the decoder was free, for due streams to join its batch
    decode_s: float = 0.0  # its batch's model time


@dataclass
class _Pending:
    request: DecodeRequest
    queued_at: float
    done: threading.Event = field(default_factory=threading.Event)
    result: DecodedPass | None = None
    error: BaseException | None = None
    started_at: float = 0.0
    forming_at: float = 0.0  # when the decoder was free for this request's batch


class DecoderClosed(RuntimeError):
    pass


class BatchingDecoder:
    def __init__(self, decoder: BatchDecoder, max_batch: int, max_wait_s: float) -> None:
        self.decoder = decoder
        self.max_batch = max_batch
        self.max_wait_s = max_wait_s
        self.busy_s = 0.0  # model time so far
        self.batches = 0
        self.passes = 0  # requests served (passes / batches = mean batch size)
        self._queue: deque[_Pending] = deque()
        self._due: set[str] = set()  # streams whose next pass is nearly due: a forming batch waits for them
        self._holding = False  # the worker holds a batch at a free decoder for due streams to join
        self._caller = threading.local()  # the stream the calling thread serves now
        self._cond = threading.Condition()
        self._closed = False
        self._times = threading.local()
        self._worker = threading.Thread(target=self._serve, name="whisper-batcher", daemon=True)
        self._worker.start()

    # -- callers (one thread per stream) -------------------------------------------------------------------
    def decode(self, audio: np.ndarray, prompt: str = "", window_s: float = 0.0, beam_size: int = 0,
               prefix: str = "") -> DecodedPass:
        """Same contract as ``WhisperDecoder.decode``; blocks until this request's batch is decoded."""
        pending = _Pending(DecodeRequest(audio, prompt, window_s, beam_size, prefix), time.perf_counter())
        with self._cond:
            if self._closed:
                raise DecoderClosed("decoder closed")
            self._queue.append(pending)
            self._due.discard(getattr(self._caller, "stream", None))
            self._cond.notify_all()
        pending.done.wait()
        times = self.times()
        times.passes += 1
        times.wait_s += pending.started_at - pending.queued_at
        times.join_s += pending.started_at - max(pending.queued_at, pending.forming_at)
        times.decode_s += time.perf_counter() - pending.started_at
        if pending.error is not None:
            raise pending.error
        assert pending.result is not None
        return pending.result

    def times(self) -> PassTimes:
        """This thread's pass times since ``take_times()``."""
        if not hasattr(self._times, "value"):
            self._times.value = PassTimes()
        return self._times.value

    def take_times(self) -> PassTimes:
        times, self._times.value = self.times(), PassTimes()
        return times

    @property
    def queued(self) -> int:
        return len(self._queue)

    @property
    def forming(self) -> bool:
        """A batch is held at a free decoder for due streams: a nearly due pass may start now and join it."""
        return self._holding

    def serve(self, stream_id: str) -> None:
        """The calling thread's passes are this stream's, until it serves another."""
        self._caller.stream = stream_id

    def set_due(self, stream_id: str, due: bool) -> None:
        """Whether the stream's next pass is nearly due, so that a forming batch waits for it."""
        with self._cond:
            if due:
                self._due.add(stream_id)
            else:
                self._due.discard(stream_id)
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._worker.join(timeout=30)

    # -- worker --------------------------------------------------------------------------------------------
    def _next_batch(self) -> list[_Pending]:
        with self._cond:
            free_at = time.perf_counter()
            backlog = bool(self._queue)  # queued while the last batch ran: no time to lose waiting
            while not self._queue and not self._closed:
                self._cond.wait()
            deadline = time.perf_counter() + self.max_wait_s
            self._holding = not backlog and bool(self._due)
            while self._holding and self._due and len(self._queue) < self.max_batch and not self._closed:
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            self._holding = False
            batch = [self._queue.popleft() for _ in range(min(self.max_batch, len(self._queue)))]
            for p in batch:
                p.forming_at = free_at
            return batch

    def _serve(self) -> None:
        while True:
            batch = self._next_batch()
            if not batch:  # closed and drained
                return
            started = time.perf_counter()
            for p in batch:
                p.started_at = started
            try:
                results = self.decoder.decode_batch([p.request for p in batch])
                for p, result in zip(batch, results, strict=True):
                    p.result = result
            except Exception as exc:  # noqa: BLE001 - each caller re-raises it in its own thread
                for p in batch:
                    p.error = exc
            self.busy_s += time.perf_counter() - started
            self.batches += 1
            self.passes += len(batch)
            for p in batch:
                p.done.set()
