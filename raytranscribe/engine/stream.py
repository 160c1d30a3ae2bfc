"""One audio stream through the pipeline: capture -> Whisper -> scrubber, chained by object refs.

A pump thread keeps one ASR pass in flight per stream (each pass takes all audio that arrived meanwhile,
so a slow pass means a larger next chunk rather than a growing queue) and lets the scrubber step of one
pass overlap the next pass. The driver only ever fetches redacted events.

When the stream's Whisper replica dies, Ray restarts it (max_restarts) and the pump recovers: it re-opens
the stream's policy where the redactor's committed text ends and rewinds the capture there, so the ring
buffer re-feeds the audio the lost state had not committed. A failed redaction is another matter: it shows
"redaction unavailable" and nothing else (fail closed).
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import ray
from ray.exceptions import ActorUnavailableError, RayActorError, RayError

from raytranscribe.audio.decode import check_samples
from raytranscribe.cluster.actors import StreamNotOpen
from raytranscribe.engine.events import Event, StatusEvent, TranscriptEvent
from raytranscribe.engine.scrubbers import ScrubberPool

READ_TIMEOUT_S = 0.5
REDACTION_UNAVAILABLE = "redaction unavailable"
RESTART_TIMEOUT_S = 120.0  # a restarted Whisper replica loads its model again before serving
# Audio re-fed before the end of the committed text. Word timestamps are approximate: starting right at the
# end of the last committed word clips the next one, and starting inside a word garbles it. Whole words of
# this pre-roll are heard again and dropped by time (measured on JFK: 0.0 s and 0.5 s each lost or
# garbled a word at the seam, 1.5 s did not).
RESUME_PREROLL_S = 1.5
_END = object()


class AsrLost(Exception):
    """The stream's Whisper replica died, and the stream's policy state with it."""


class Stream:
    def __init__(self, stream_id: str, capture: Any, whisper: Any, scrubbers: ScrubberPool,
                 read_s: float = 0.0, on_released: Callable[[Stream], None] | None = None) -> None:
        self.id = stream_id
        self._on_released = on_released  # told once the stream ended and its audio and state are gone
        # Each step reads at least this much audio: no pass runs on less, and a step that cannot run one
        # still costs a Whisper and a scrubber call (on a fast GPU, ten of them a second per stream).
        self.read_s = read_s
        self.capture = capture
        self.whisper = whisper
        self._scrubbers = scrubbers  # the current replicas: the Engine may add or retire some meanwhile
        self._events: queue.Queue[Any] = queue.Queue()
        self._stop = threading.Event()
        self._first_sample_at: float | None = None
        self.pending = 0  # scrubber results not yet delivered (a queue length for status)
        self.level = 0.0  # RMS of the latest audio chunk (0..1), for a level meter
        self._good_state: Any = None  # the newest redaction state a replica returned
        self._final_end = 0.0  # audio end of the newest final delivered
        self._redaction_down = False
        self._released = False
        self._release_lock = threading.Lock()
        self._thread = threading.Thread(target=self._pump, name=f"stream-{stream_id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    # -- caller API ----------------------------------------------------------------------------------------
    def push_audio(self, samples: np.ndarray) -> None:
        """PushSource streams: 16 kHz mono float32 samples."""
        ray.get(self.capture.push.remote(self.id, check_samples(samples)))

    def end_input(self) -> None:
        """PushSource streams: no more audio; the remaining text is committed and the events end."""
        ray.get(self.capture.end_of_input.remote(self.id))

    def events(self) -> Iterator[Event]:
        while (event := self._events.get()) is not _END:
            yield event

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        self._release()

    def _release(self) -> None:
        """Zero and drop this stream's audio and policy state (idempotent). The capture actor, shared with
        other streams, stays; the Engine gives back the stream's slot on it."""
        with self._release_lock:
            if self._released:
                return
            self._released = True
        for call in (self.capture.stop.remote(self.id), self.whisper.close.remote(self.id)):
            try:
                ray.get(call, timeout=10)
            except RayError:
                pass  # an actor already gone holds no audio
        if self._on_released is not None:
            self._on_released(self)

    # -- pump ----------------------------------------------------------------------------------------------
    def _pump(self) -> None:
        try:
            self._run()
        except RayError:
            self._emit_status("transcription stopped: pipeline unavailable")
        finally:
            self._release()  # the stream ended: free its audio now, not when the caller stops it
            self._events.put(_END)

    def _run(self) -> None:
        state_ref = self._good_state = self._scrubbers.new_state()
        in_flight: deque[tuple[Any, Any, int]] = deque()  # (events ref, state ref, chain), in stream order
        chain = 0  # steps chained on one another's state; a failure breaks the chain and starts the next
        eof = False
        while not eof:
            stopping = self._stop.is_set()
            info_ref, audio_ref = self.capture.read.remote(self.id, READ_TIMEOUT_S, self.read_s)
            update_ref = self.whisper.feed.remote(self.id, info_ref, audio_ref)
            try:
                # Text is shown as soon as its redaction is done: while the next audio arrives and while
                # the next pass runs, not only once that pass is over (a whole step later).
                if chain in self._deliver_until(info_ref, in_flight):
                    state_ref, chain = self._good_state, chain + 1  # before the next step builds on it
                info = ray.get(info_ref)
                if info.skipped_s > 0:  # the Whisper replica closed the text before the gap (skip_to)
                    self._emit_status(f"transcription fell behind: {info.skipped_s:.1f} s of audio skipped")
                eof = info.eof or stopping
                self.level = info.level
                if self._first_sample_at is None:
                    self._first_sample_at = info.first_sample_at
                state_ref, events_ref = self._scrubbers.process(state_ref, update_ref, eof)
                in_flight.append((events_ref, state_ref, chain))
                broken = self._deliver_until(update_ref, in_flight)  # one ASR pass in flight per stream
                broken |= self._deliver(in_flight, block=eof)
            except AsrLost:
                if self._stop.is_set():
                    return
                state_ref, eof, chain = self._recover(in_flight), False, chain + 1
                continue
            if chain in broken:
                # Continue from the last state a replica returned. Only a failure in the current chain
                # does this: rewinding for an older chain's failure would drop newer steps that succeeded.
                state_ref, chain = self._good_state, chain + 1
                if eof and not stopping:
                    self._redo_last(update_ref, chain)
            self.pending = len(in_flight)

    def _redo_last(self, update_ref: Any, chain: int) -> None:
        """The stream's last step failed: once a replica answers again (it may have been restarting), redo
        it once from the last state a replica returned, so the end of the stream is shown. Steps before it
        that failed stay unshown, and a scrubber that fails on the step itself fails it again: shown nothing."""
        deadline = time.monotonic() + RESTART_TIMEOUT_S
        while not self._stop.is_set():
            try:
                ray.get(self._scrubbers.replica().ready.remote(), timeout=10)
                break
            except RayError:  # still restarting
                if time.monotonic() > deadline:
                    return
                time.sleep(0.5)
        state_ref, events_ref = self._scrubbers.process(self._good_state, update_ref, True)
        try:
            self._deliver(deque([(events_ref, state_ref, chain)]), block=True)
        except AsrLost:
            pass  # the speech it carried is gone with its Whisper replica

    def _recover(self, in_flight: deque) -> Any:
        """Re-open the stream on the restarted Whisper replica where its committed text ends, re-feed the
        audio from there out of the capture's ring buffer, and report the audio lost (numbers only)."""
        in_flight.clear()  # later passes built on the lost one: none of their results is fetched
        committed = self._committed_until()
        start = max(committed - RESUME_PREROLL_S, 0.0)
        start += ray.get(self.capture.rewind.remote(self.id, start))  # the ring may no longer hold all of it
        deadline = time.monotonic() + RESTART_TIMEOUT_S
        while True:
            try:
                ray.get(self.whisper.open.remote(self.id, start, committed), timeout=RESTART_TIMEOUT_S)
                break
            except ActorUnavailableError:  # still restarting
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        lost = max(start - committed, 0.0)  # audio after the committed text that is gone
        self._emit_status(f"speech recognition restarted: {lost:.1f} s of audio lost")
        return self._good_state

    def _committed_until(self) -> float:
        """Stream time after the newest committed word in the redaction state (held-back words included,
        so they are neither heard twice nor lost); the newest final delivered if no replica answers."""
        try:
            return ray.get(self._scrubbers.replica().committed_until.remote(self._good_state), timeout=30)
        except RayError:
            return self._final_end

    def _asr_lost(self, exc: BaseException | None) -> bool:
        """Whether a failed result goes back to the death of this stream's Whisper replica (a task that
        depended on a failed one fails with a RayTaskError whose cause is that failure)."""
        whisper_id = self.whisper._actor_id.hex()
        while exc is not None:
            if isinstance(exc, StreamNotOpen) or (isinstance(exc, RayActorError) and exc.actor_id == whisper_id):
                return True
            exc = getattr(exc, "cause", None)
        return False

    def _deliver_until(self, ref: Any, in_flight: deque) -> set[int]:
        """Wait for ``ref``, meanwhile emitting each step whose redaction finishes (in order); returns the
        chains in which a step failed."""
        broken: set[int] = set()
        while in_flight:
            head = in_flight[0][0]
            ready, _ = ray.wait([ref, head], num_returns=1)
            if head not in ready:
                return broken
            broken |= self._deliver(in_flight, block=False)
        ray.wait([ref], num_returns=1)
        return broken

    def _deliver(self, in_flight: deque, block: bool) -> set[int]:
        """Emit finished scrubber results in order. A failed redaction shows a status, never text;
        returns the chains in which a step failed."""
        broken = set()
        while in_flight:
            events_ref, state_ref, chain = in_flight[0]
            if not block and not ray.wait([events_ref], timeout=0)[0]:
                break
            in_flight.popleft()
            try:
                redacted = ray.get(events_ref)
            except RayError as exc:
                if self._asr_lost(exc):
                    raise AsrLost from None
                broken.add(chain)
                if not self._redaction_down:
                    self._emit_status(REDACTION_UNAVAILABLE)
                self._redaction_down = True
                continue
            self._redaction_down = False
            self._good_state = state_ref
            now = self._now()
            for r in redacted:
                self._events.put(TranscriptEvent(r.kind, r.text, now, r.audio_start, r.audio_end))
                if r.kind == "final":
                    self._final_end = r.audio_end
        return broken

    def _now(self) -> float:
        return time.time() - self._first_sample_at if self._first_sample_at is not None else 0.0

    def _emit_status(self, message: str) -> None:
        self._events.put(StatusEvent(message, self._now()))
