"""A fixed-size circular buffer of the most recent audio, addressed by absolute sample index."""

from __future__ import annotations

import numpy as np

from raytranscribe.privacy.memory import locked_zeros, release


class RingBuffer:
    def __init__(self, seconds: float, sample_rate: int) -> None:
        self.capacity = int(seconds * sample_rate)
        self.sample_rate = sample_rate
        self._data = locked_zeros(self.capacity)  # mlock-ed where permitted: audio never swapped out
        self.written = 0  # absolute index one past the newest sample

    @property
    def oldest(self) -> int:
        """Absolute index of the oldest sample still held."""
        return max(0, self.written - self.capacity)

    def write(self, samples: np.ndarray) -> None:
        samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        total = samples.size
        tail = samples[-self.capacity :] if total else samples  # older samples would be overwritten anyway
        start = (self.written + total - tail.size) % self.capacity
        first = min(tail.size, self.capacity - start)
        self._data[start : start + first] = tail[:first]
        self._data[: tail.size - first] = tail[first:]
        self.written += total

    def read(self, start: int, end: int | None = None) -> np.ndarray:
        """A copy of samples [start, end) by absolute index; start is clamped to what is still held."""
        end = self.written if end is None else min(end, self.written)
        start = max(start, self.oldest)
        if start >= end:
            return np.zeros(0, dtype=np.float32)
        idx = np.arange(start, end) % self.capacity
        return self._data[idx]

    def recent(self, seconds: float) -> np.ndarray:
        return self.read(self.written - int(seconds * self.sample_rate))

    def zero(self) -> None:
        """Overwrite every held sample in place (audio must not linger in memory after a stream stops)."""
        release(self._data)  # zero in place, then unlock: freed locked pages would count against the limit
