"""Per-stage timing: rolling windows of recent measurements, summarised as p50/p90 (no text, no audio)."""

from __future__ import annotations

from collections import defaultdict, deque

import numpy as np

WINDOW = 200


class LatencyMonitor:
    def __init__(self, window: int = WINDOW) -> None:
        self._values: defaultdict[str, deque[float]] = defaultdict(lambda: deque(maxlen=window))
        self._counts: defaultdict[str, int] = defaultdict(int)

    def record(self, stage: str, seconds: float) -> None:
        self._values[stage].append(seconds)
        self._counts[stage] += 1

    def snapshot(self) -> dict[str, dict[str, float]]:
        out = {}
        for stage, values in self._values.items():
            arr = np.fromiter(values, dtype=float)
            out[stage] = {"p50": float(np.percentile(arr, 50)), "p90": float(np.percentile(arr, 90)),
                          "last": float(arr[-1]), "count": float(self._counts[stage])}
        return out
