"""The capture actors streams' captures live on, each hosting up to ``cluster.capture_streams_per_actor``.

A capture actor is a Ray worker process (1-3 CPU-seconds and 100-300 MB to start), so streams share them: a new
stream goes to the least loaded actor with room, and a new actor starts only when every one is full. One actor
starts with the pool (the first stream does not wait for it); an actor that empties stays for the next stream
unless another empty one already does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class CapturePool:
    def __init__(self, streams_per_actor: int, start_actor: Callable[[], Any],
                 stop_actor: Callable[[Any], None]) -> None:
        self.streams_per_actor = streams_per_actor
        self._start_actor = start_actor
        self._stop_actor = stop_actor
        self._hosted: dict[Any, int] = {start_actor(): 0}  # actor -> stream slots taken on it
        self._lock = threading.Lock()  # streams are opened and closed from several threads at once

    def load(self) -> dict[Any, int]:
        """Stream slots taken per actor."""
        with self._lock:
            return dict(self._hosted)

    def reserve(self) -> Any:
        """Take a stream slot; returns the actor to open the stream's capture on."""
        with self._lock:
            room = [a for a, n in self._hosted.items() if n < self.streams_per_actor]
            actor = min(room, key=self._hosted.__getitem__) if room else self._start_actor()
            self._hosted[actor] = self._hosted.get(actor, 0) + 1
            return actor

    def release(self, actor: Any) -> None:
        """Give back a slot whose capture is stopped (or never opened)."""
        with self._lock:
            if actor not in self._hosted:
                return  # shut down meanwhile
            self._hosted[actor] -= 1
            idle = self._hosted[actor] == 0 and sum(n == 0 for n in self._hosted.values()) > 1
            if idle:
                del self._hosted[actor]
        if idle:
            self._stop_actor(actor)

    def shutdown(self) -> None:
        with self._lock:
            actors, self._hosted = list(self._hosted), {}
        for actor in actors:
            self._stop_actor(actor)
