"""The Engine: starts the local cluster and the actor pools, opens streams, reports status."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from raytranscribe.audio.sources import Source
from raytranscribe.cluster.bootstrap import LocalCluster
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
        self.whispers: list[Any] = []
        self.scrubbers: list[Any] = []
        self.controller: Any = None
        self.placement: dict[str, str] = {}
        self._next_whisper: Any = None

    def start(self) -> Engine:
        from raytranscribe.models.loader import choose_placement
        from raytranscribe.models.store import resolve_model_dir

        # Resolve (assemble, verify) the model before starting anything: a missing model fails fast.
        model_dir = str(resolve_model_dir(self.settings.model.name, self.settings.model.cache_dir))
        gpu = choose_placement(self.settings.model).device == "cuda"
        self.cluster.start()
        try:
            self._start_actors(model_dir, gpu)
        except BaseException:
            self.shutdown()
            raise
        return self

    def _start_actors(self, model_dir: str, gpu: bool) -> None:
        from raytranscribe.cluster.actors import CONTROLLER_NAME, LatencyControllerActor, ScrubberActor, WhisperActor

        c = self.settings.cluster
        self.controller = LatencyControllerActor.options(name=CONTROLLER_NAME).remote()
        # On a GPU several Whisper replicas share it (fractional GPUs); on CPU each gets a core's worth.
        whisper_opts = {"num_gpus": c.gpu_fraction, "num_cpus": 0.5} if gpu else {"num_cpus": 1}
        # A replica that dies is restarted by Ray; each stream's pump then re-opens its state (stream.py).
        whisper_opts["max_restarts"] = -1
        self.whispers = [WhisperActor.options(**whisper_opts).remote(self.settings, model_dir)
                         for _ in range(c.whisper_replicas)]
        # A replica that dies is restarted by Ray; meanwhile its results fail and the stream shows nothing.
        self.scrubbers = [ScrubberActor.options(num_cpus=0.5 / c.scrubber_replicas, max_restarts=-1)
                          .remote(self.settings, self.redaction_module)
                          for _ in range(c.scrubber_replicas)]
        self.placement = _get(self.whispers[0].ready.remote(), "speech model")
        for scrubber in self.scrubbers:
            _get(scrubber.ready.remote(), "PHI redaction")
        self._next_whisper = itertools.cycle(self.whispers)

    def open_stream(self, source: Source) -> Stream:
        from raytranscribe.cluster.actors import CaptureActor

        if not self.whispers:
            raise RuntimeError("Engine.start() first")
        capture = CaptureActor.remote(self.settings)
        _get(capture.open.remote(source), "audio source")
        stream_id = uuid.uuid4().hex[:12]
        whisper = next(self._next_whisper)  # streams stay on one replica: it holds their policy state
        _get(whisper.open.remote(stream_id), "speech model")
        stream = Stream(stream_id, capture, whisper, self.scrubbers)
        self.streams[stream_id] = stream
        stream.start()
        return stream

    def close_stream(self, stream: Stream) -> None:
        stream.stop()
        self.streams.pop(stream.id, None)

    def status(self) -> dict[str, Any]:
        latency = _get(self.controller.snapshot.remote(), "latency controller") if self.controller else {}
        return {
            "model": self.settings.model.name,
            **self.placement,
            "whisper_replicas": len(self.whispers),
            "scrubber_replicas": len(self.scrubbers),
            "streams": len(self.streams),
            "latency": latency,
            "queue_lengths": {sid: s.pending for sid, s in self.streams.items()},
        }

    def shutdown(self) -> None:
        for stream in list(self.streams.values()):
            self.close_stream(stream)
        self.whispers, self.scrubbers, self.controller = [], [], None
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

