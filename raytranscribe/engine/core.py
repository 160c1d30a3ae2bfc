"""The Engine: starts the local cluster and the actor pools, opens streams, reports status."""

from __future__ import annotations

import threading
import uuid
from typing import Any

from raytranscribe.audio.sources import Source
from raytranscribe.cluster.bootstrap import LocalCluster
from raytranscribe.control.policy import Degradation
from raytranscribe.engine.captures import CapturePool
from raytranscribe.engine.scrubbers import ScrubberPool
from raytranscribe.engine.stream import Stream
from raytranscribe.errors import UserError
from raytranscribe.settings import Settings

PHI_MODULE = "raytranscribe.phi"


class Engine:
    def __init__(self, settings: Settings, redaction_module: str = PHI_MODULE) -> None:
        self.settings = settings
        self.redaction_module = redaction_module
        self.cluster = LocalCluster(settings.cluster)
        self.streams: dict[str, Stream] = {}
        self.pools: dict[str, list[Any]] = {}  # "primary" / "fallback" (the smaller model) -> Whisper replicas
        self.scrubber_pool: ScrubberPool | None = None
        self.capture_pool: CapturePool | None = None
        self.controller: Any = None
        self.placement: dict[str, str] = {}
        self._hosted: dict[Any, int] = {}  # Whisper replica -> streams it hosts
        self._stop_control = threading.Event()
        self._placing = threading.Lock()

    @property
    def whispers(self) -> list[Any]:
        return self.pools.get("primary", [])

    @property
    def scrubbers(self) -> list[Any]:
        return self.scrubber_pool.replicas if self.scrubber_pool is not None else []

    def start(self) -> Engine:
        from raytranscribe.models.loader import choose_placement
        from raytranscribe.models.store import resolve_model_dir

        # Resolve (assemble, verify) the models before starting anything: a missing model fails fast.
        models = {"primary": self.settings.model.name, "fallback": self.settings.controller.fallback_model}
        model_dirs = {role: str(resolve_model_dir(m, self.settings.model.cache_dir)) for role, m in models.items() if m}
        gpu = choose_placement(self.settings.model).device == "cuda"
        self.cluster.start()
        try:
            self._start_actors(model_dirs, gpu)
        except BaseException:
            self.shutdown()
            raise
        threading.Thread(target=self._control_loop, name="engine-control", daemon=True).start()
        return self

    def _start_actors(self, model_dirs: dict[str, str], gpu: bool) -> None:
        import ray

        from raytranscribe.cluster.actors import (
            CONTROLLER_NAME,
            CaptureActor,
            LatencyControllerActor,
            ScrubberActor,
            WhisperActor,
            capture_concurrency,
        )

        c = self.settings.cluster
        self.controller = LatencyControllerActor.options(name=CONTROLLER_NAME).remote(self.settings)
        # On a GPU several Whisper replicas share it (fractional GPUs). CTranslate2 uses the cores it is
        # given either way; the CPU reservation only lets Ray spread replicas over nodes.
        whisper_opts = {"num_gpus": c.gpu_fraction} if gpu else {}
        replicas = {role: c.whisper_replicas if role == "primary" else 1 for role in model_dirs}
        needed, offered = c.gpu_fraction * sum(replicas.values()), ray.cluster_resources().get("GPU", 0.0)
        if gpu and needed > offered + 1e-9:
            # Otherwise a replica would wait forever for a GPU share Ray cannot schedule.
            raise UserError(f"the Whisper replicas need {needed:g} GPUs (cluster.whisper_replicas x "
                            f"cluster.gpu_fraction) but the Ray cluster offers {offered:g}")
        # One thread per hosted stream (each runs its policy; their passes meet in the replica's batcher),
        # plus one for the controller's and the Engine's calls.
        whisper_opts |= {"num_cpus": 0.5, "max_concurrency": c.streams_per_replica + 1}
        # A replica that dies is restarted by Ray; each stream's pump then re-opens its state (stream.py).
        whisper_opts["max_restarts"] = -1
        # The fallback model (last degradation step) gets one replica, started up front so switching is instant.
        for role, model_dir in model_dirs.items():
            self.pools[role] = [WhisperActor.options(**whisper_opts).remote(self.settings, model_dir)
                                 for _ in range(replicas[role])]
        self._hosted = {w: 0 for pool in self.pools.values() for w in pool}
        scrubber_opts = {"num_cpus": 0.5 / max(c.scrubber_replicas, self.settings.controller.max_scrubbers),
                         "max_restarts": -1,  # a replica that dies is restarted; meanwhile its stream shows nothing
                         # A step waits for its stream's ASR pass; in submission order every other stream's
                         # step sent to that replica after it would wait too. A stream's own steps stay in
                         # order through the redaction state each takes from the one before.
                         "allow_out_of_order_execution": True}

        def start_scrubber() -> Any:
            return ScrubberActor.options(**scrubber_opts).remote(self.settings, self.redaction_module)

        self.scrubber_pool = ScrubberPool([start_scrubber() for _ in range(c.scrubber_replicas)], start_scrubber)
        # A capture actor that dies is restarted empty: its streams end ("pipeline unavailable"), new ones open.
        capture_opts = {"max_concurrency": capture_concurrency(c.capture_streams_per_actor), "max_restarts": -1}
        self.capture_pool = CapturePool(c.capture_streams_per_actor,
                                        lambda: CaptureActor.options(**capture_opts).remote(self.settings), ray.kill)
        self.placement = _get(self.whispers[0].ready.remote(), "speech model")
        for whisper in self._hosted:
            _get(whisper.ready.remote(), "speech model")
        for scrubber in self.scrubbers:
            _get(scrubber.ready.remote(), "PHI redaction")

    def open_stream(self, source: Source) -> Stream:
        if not self.whispers or self.scrubber_pool is None or self.capture_pool is None:
            raise RuntimeError("Engine.start() first")
        stream_id = uuid.uuid4().hex[:12]
        capture = self.capture_pool.reserve()
        try:
            _get(capture.open.remote(stream_id, source), "audio source")
            whisper = self._place(stream_id)
        except BaseException:
            self._release_capture(capture, stream_id)
            raise
        # No stream's chunk (the new audio a pass needs) is ever below these bounds.
        read_s = min(self.settings.streaming.min_chunk_s, self.settings.controller.min_chunk_s)
        stream = Stream(stream_id, capture, whisper, self.scrubber_pool, read_s, on_released=self._forget)
        self.streams[stream_id] = stream
        stream.start()
        return stream

    def _place(self, stream_id: str) -> Any:
        """Open the stream on a Whisper replica. Streams stay on one replica (it holds their policy state):
        the least loaded of the pool the controller names (the fallback model's once degradation reaches
        SMALLER_MODEL)."""
        control = _get(self.controller.status.remote(), "latency controller")
        degraded = control["degradation"] == Degradation.SMALLER_MODEL.name
        pool = self.pools["fallback"] if degraded and "fallback" in self.pools else self.whispers
        with self._placing:  # streams opened at once from several threads still spread evenly
            whisper = min(pool, key=lambda w: self._hosted[w])
            full = self._hosted[whisper] >= self.settings.cluster.streams_per_replica
            if not full:
                self._hosted[whisper] += 1
        if full:
            raise UserError("every speech model replica is full (cluster.streams_per_replica, whisper_replicas)")
        try:
            _get(whisper.open.remote(stream_id), "speech model")
            # The stream starts with the controller's current decision (e.g. no interims while degraded).
            decision = _get(self.controller.add_stream.remote(stream_id, whisper), "latency controller")
            _get(whisper.apply.remote({stream_id: decision}), "speech model")
        except BaseException:
            with self._placing:
                self._hosted[whisper] -= 1
            raise
        return whisper

    def _release_capture(self, capture: Any, stream_id: str) -> None:
        """Stop a stream's capture (if it got that far) and give its slot back."""
        capture.stop.remote(stream_id)
        if self.capture_pool is not None:
            self.capture_pool.release(capture)

    def close_stream(self, stream: Stream) -> None:
        stream.stop()  # stops the stream's capture on its actor; the stream then calls _forget

    def _forget(self, stream: Stream) -> None:
        """A stream ended (stopped by whoever holds it, or its source ran out): give back its Whisper and
        capture slots and drop it from the controller, once."""
        if self.streams.pop(stream.id, None) is None:
            return
        with self._placing:
            if stream.whisper in self._hosted:  # not after shutdown
                self._hosted[stream.whisper] -= 1
        if self.capture_pool is not None:
            self.capture_pool.release(stream.capture)
        if self.controller is not None:
            self.controller.remove_stream.remote(stream.id)

    def _control_loop(self) -> None:
        """Every controller tick: report the pumps' scrubber queues, fetch the controller's state and
        resize the scrubber pool to the replicas it asks for."""
        import ray
        from ray.exceptions import RayError

        while not self._stop_control.wait(self.settings.controller.tick_s):
            controller, pool = self.controller, self.scrubber_pool
            if controller is None or pool is None:
                return
            # A pump always keeps its newest step in flight (overlapping the next ASR pass): only the
            # steps behind it are a queue.
            queues = {sid: max(0, s.pending - 1) for sid, s in list(self.streams.items()) if s.running}
            try:
                controller.observe_queues.remote(queues)
                wanted = ray.get(controller.status.remote())["scrubbers"]
            except RayError:
                continue  # shutting down
            pool.resize(wanted)

    def status(self) -> dict[str, Any]:
        control = _get(self.controller.status.remote(), "latency controller") if self.controller else {}
        return {
            "model": self.settings.model.name,
            **self.placement,
            "whisper_replicas": len(self.whispers),
            "scrubber_replicas": len(self.scrubbers),
            "streams": len(self.streams),
            "latency": control.get("latency", {}),
            "queue_lengths": {sid: s.pending for sid, s in self.streams.items()},
            # The controller: per-stream chunk sizes and commit latencies, replicas it wants, degradation level,
            # pool utilization, the model new streams get.
            "control": {k: v for k, v in control.items() if k != "latency"},
            # Per Whisper replica: model seconds so far, passes served in how many batched calls, streams hosted.
            "pool": {role: [_get(w.load.remote(), "speech model") for w in pool] for role, pool in self.pools.items()},
        }

    def shutdown(self) -> None:
        self._stop_control.set()
        for stream in list(self.streams.values()):
            self.close_stream(stream)
        if self.capture_pool is not None:
            self.capture_pool.shutdown()
        self.pools, self.scrubber_pool, self.capture_pool, self.controller, self._hosted = {}, None, None, None, {}
        self.cluster.shutdown()

    def __enter__(self) -> Engine:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def _get(ref: Any, component: str) -> Any:
    """ray.get that turns a failure into a one-line UserError (the cause's UserError message if it has one)."""
    import ray
    from ray.exceptions import RayError, RayTaskError

    try:
        return ray.get(ref)
    except RayTaskError as exc:
        if isinstance(exc.cause, UserError):
            raise UserError(str(exc.cause)) from None
        raise UserError(f"{component} failed to start ({type(exc.cause).__name__})") from None
    except RayError as exc:
        cause = getattr(exc, "cause", None) or getattr(getattr(exc, "creation_task_error", None), "cause", None)
        if isinstance(cause, UserError):
            raise UserError(str(cause)) from None
        raise UserError(f"{component} failed to start ({type(exc).__name__})") from None

