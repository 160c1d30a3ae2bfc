"""The seed's naive streaming policy, kept as the load harness's baseline.

Fixed 10 s segments with 50% overlap: every 5 s of new audio, decode the last 10 s and commit the words that
start in the new half. No VAD, no agreement between passes, no interim text. Same interface as
``StreamingTranscriber`` so the Whisper actors can host either (``streaming.policy``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from raytranscribe.asr.passes import RATE, Decoder, decode_pass
from raytranscribe.asr.streaming import AsrUpdate, BufferedPolicy, drop_before
from raytranscribe.asr.words import Word, join
from raytranscribe.settings import StreamingSettings

SEGMENT_S = 10.0
HOP_S = 5.0


class NaiveTranscriber(BufferedPolicy):
    def __init__(self, decoder: Decoder, settings: StreamingSettings, detector: object = None,
                 start_s: float = 0.0, committed_s: float | None = None) -> None:
        self.decoder = decoder
        self.s = settings  # min_chunk_s is ignored: the segments are fixed
        self.buf = np.zeros(0, dtype=np.float32)
        self.buf_start = start_s  # stream time of the first sample fed (> 0 when re-opened after a restart)
        # Words starting before this were committed by an earlier segment.
        self.committed_end = max(start_s, committed_s or 0.0)
        self.recent: list[Word] = []

    def feed(self, audio: np.ndarray) -> AsrUpdate:
        old, self.buf = self.buf, np.concatenate([self.buf, audio])
        old.fill(0.0)
        committed: list[Word] = []
        while self.buf_end - self.committed_end >= HOP_S:
            committed += self._segment(self.committed_end + HOP_S)
        return AsrUpdate(committed, [], self.buf_end)

    def finish(self) -> AsrUpdate:
        committed = self._segment(self.buf_end) if self.buf_end > self.committed_end else []
        return AsrUpdate(committed, [], self.buf_end)

    def _start_at(self, t: float) -> None:
        self.buf_start = self.committed_end = t

    def _segment(self, end: float) -> list[Word]:
        """Decode the SEGMENT_S of audio ending at ``end``; commit words starting after the last commit."""
        start = max(self.buf_start, end - SEGMENT_S)
        audio = self.buf[int((start - self.buf_start) * RATE) : int((end - self.buf_start) * RATE)]
        words = decode_pass(self.decoder, audio, start, self._prompt)
        new = [w for w in words if self.committed_end <= w.start < end]
        self.committed_end = end
        self.recent = (self.recent + new)[-50:]
        self._cut(end - SEGMENT_S + HOP_S)  # the next segment starts here
        return new

    def _prompt(self, decoded: Sequence[Word]) -> str:
        return join(self.recent + list(decoded))[-self.s.prompt_chars :] if self.s.prompt_chars else ""

    def _cut(self, t: float) -> None:
        self.buf, self.buf_start = drop_before(self.buf, self.buf_start, t)
