"""Load a verified Whisper model with faster-whisper, offline, on the best device CTranslate2 sees."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from raytranscribe.errors import UserError
from raytranscribe.models.store import resolve_model_dir
from raytranscribe.settings import ModelSettings

if TYPE_CHECKING:
    import ctranslate2
    from faster_whisper import WhisperModel

# Nothing may be fetched from a model hub, whatever the caller's environment says.
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1"}


@dataclass(frozen=True)
class Placement:
    device: str
    compute_type: str


def choose_placement(settings: ModelSettings) -> Placement:
    import ctranslate2

    device = settings.device
    if device == "auto":
        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    elif device == "cuda" and ctranslate2.get_cuda_device_count() == 0:
        raise UserError("model.device is 'cuda' but CTranslate2 sees no CUDA GPU")
    compute = settings.compute_type
    if compute == "auto":
        compute = "float16" if device == "cuda" else "int8"
    return Placement(device, compute)


def choose_threads(settings: ModelSettings, placement: Placement) -> tuple[int, int]:
    """CPU threads of the encoder and of the text decoder."""
    if placement.device == "cuda":  # the model's CPU threads only idle (and spin): one is enough
        return (settings.cpu_threads or 1,) * 2
    threads = settings.cpu_threads or min(4, os.cpu_count() or 1)
    return threads, min(settings.decoder_threads or threads, threads)  # see SplitThreadsWhisper


def load_whisper(settings: ModelSettings) -> tuple[WhisperModel, Placement]:
    os.environ.update(OFFLINE_ENV)
    import ctranslate2
    from faster_whisper import WhisperModel

    path = resolve_model_dir(settings.name, settings.cache_dir)
    placement = choose_placement(settings)
    if placement.device == "cuda":
        _sleep_while_waiting_for_the_gpu()
    threads, decoder_threads = choose_threads(settings, placement)
    try:
        model = WhisperModel(
            str(path), device=placement.device, compute_type=placement.compute_type,
            cpu_threads=decoder_threads, local_files_only=True,
        )
        if decoder_threads < threads:
            encoder = ctranslate2.models.Whisper(str(path), device="cpu", compute_type=placement.compute_type,
                                                 intra_threads=threads)
            model.model = SplitThreadsWhisper(encoder, model.model)
    except (RuntimeError, ValueError, OSError) as exc:
        raise UserError(f"cannot load model '{settings.name}' ({exc.__class__.__name__}): "
                        "reinstall its package or pick another with --model") from None
    return model, placement


class SplitThreadsWhisper:
    """A CTranslate2 Whisper model whose encoder runs on more CPU threads than the rest.

    The encoder's large matrix products scale with threads; a decoding step's are small (a few beams times
    the model width), and extra threads there mostly add synchronisation. On the 2-core development machine
    (tiny.en int8, 5 beams, real clinical speech in 0.6 s chunks) a pass took 0.79 s with 2 threads for
    everything, 0.59 s with 1, and 0.55 s with 2 for the encoder and 1 for the decoder. CTranslate2 sets
    threads per loaded model, so the encoder is a second copy of the weights (resident: about 50 MB more for
    tiny.en, 110 MB for base)."""

    def __init__(self, encoder: ctranslate2.models.Whisper, decoder: ctranslate2.models.Whisper) -> None:
        self._encoder = encoder
        self._decoder = decoder

    def encode(self, *args: Any, **kwargs: Any) -> ctranslate2.StorageView:
        return self._encoder.encode(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:  # generate, align, detect_language, is_multilingual, ...
        return getattr(self._decoder, name)


CU_CTX_SCHED_BLOCKING_SYNC = 0x04


def _sleep_while_waiting_for_the_gpu() -> None:
    """By default CUDA spins a CPU core whenever a thread waits for the GPU (a process has fewer GPU contexts
    than there are cores), and CTranslate2 waits at every decoding step: with several Whisper replicas per
    GPU that burns a core per replica. Blocking sync puts the waiting thread to sleep instead. It is a flag
    of the device's primary context (driver API), which CTranslate2's CUDA runtime then uses; best effort."""
    import ctypes

    try:
        cuda = ctypes.CDLL("libcuda.so.1")
        set_flags = getattr(cuda, "cuDevicePrimaryCtxSetFlags_v2", None) or cuda.cuDevicePrimaryCtxSetFlags
    except (OSError, AttributeError):
        return
    device = ctypes.c_int()
    if cuda.cuInit(0) == 0 and cuda.cuDeviceGet(ctypes.byref(device), 0) == 0:
        set_flags(device, CU_CTX_SCHED_BLOCKING_SYNC)
