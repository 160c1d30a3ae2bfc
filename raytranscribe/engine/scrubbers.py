"""The scrubber replicas the stream pumps send redaction steps to; the Engine resizes it as the controller says.

Replicas are stateless (each step carries the stream's ``RedactionState`` ref in and out), so any replica
can take a stream's next step and a step's order is fixed by that chain, whichever replica runs it. A new
replica joins once it has loaded its models (so no step waits behind a replica starting up); a retired one
takes no new steps and is killed only after every step already sent to it has finished.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Callable
from typing import Any

import ray

RETIRE_TIMEOUT_S = 120.0


class ScrubberPool:
    def __init__(self, replicas: list[Any], start_replica: Callable[[], Any] | None = None) -> None:
        self._start_replica = start_replica
        self._lock = threading.Lock()
        self._replicas = list(replicas)
        self._sent: dict[Any, list[Any]] = {r: [] for r in self._replicas}  # replica -> unfinished step refs
        self._turn = itertools.count()
        self._starting = 0

    @property
    def replicas(self) -> list[Any]:
        return list(self._replicas)

    def __len__(self) -> int:
        return len(self._replicas)

    def _next(self) -> Any:
        """Round robin over the current replicas; call with the lock held."""
        return self._replicas[next(self._turn) % len(self._replicas)]

    def replica(self) -> Any:
        """A replica for a one-off call (any can serve any stream)."""
        with self._lock:
            return self._next()

    def new_state(self) -> Any:
        return self.replica().new_state.remote()

    def process(self, state_ref: Any, update_ref: Any, final: bool) -> tuple[Any, Any]:
        """Send one redaction step; returns (next state ref, events ref)."""
        with self._lock:
            replica = self._next()
            state_ref, events_ref = replica.process.remote(state_ref, update_ref, final)
            sent = self._sent.setdefault(replica, [])
            sent.append(events_ref)
            if len(sent) > 64:  # forget finished steps now and then (the list only serves retirement)
                sent[:] = ray.wait(sent, num_returns=len(sent), timeout=0)[1]
        return state_ref, events_ref

    # -- scaling (Engine's control thread) -------------------------------------------------------------------
    def resize(self, wanted: int) -> None:
        """Start or retire replicas toward ``wanted``, in the background; one step at a time."""
        with self._lock:
            current = len(self._replicas) + self._starting
            if wanted > current and self._start_replica is not None:
                self._starting += 1
                threading.Thread(target=self._add, name="scrubber-start", daemon=True).start()
            elif wanted < current and len(self._replicas) > 1 and not self._starting:
                replica = self._replicas.pop()
                threading.Thread(target=self._retire, args=(replica,), name="scrubber-retire", daemon=True).start()

    def _add(self) -> None:
        assert self._start_replica is not None
        replica = self._start_replica()
        try:
            ray.get(replica.ready.remote())
        except BaseException:  # noqa: BLE001 - failed to start, or the session is shutting down (SystemExit)
            with contextlib.suppress(Exception):
                ray.kill(replica)
            replica = None  # no replica; the controller may ask again
        with self._lock:
            self._starting -= 1
            if replica is not None:
                self._replicas.append(replica)
                self._sent[replica] = []

    def _retire(self, replica: Any) -> None:
        with self._lock:
            sent = self._sent.pop(replica, [])
        if sent:
            ray.wait(sent, num_returns=len(sent), timeout=RETIRE_TIMEOUT_S)
        ray.kill(replica)

    def shutdown(self) -> None:
        with self._lock:
            replicas, self._replicas = self._replicas, []
        for replica in replicas:
            ray.kill(replica)
