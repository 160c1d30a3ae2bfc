"""Load a verified Whisper model with faster-whisper, offline, on the best device CTranslate2 sees."""

from __future__ import annotations

import os
import time
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
# Timing the text decoder's steps at load: this many forced steps of a 5-beam search over a short window of
# silence, each copy this many times (the fastest counts): 1-2 s in all on a 2-core CPU.
TIMED_STEPS = 24
TIMED_RUNS = 3
TIMED_WINDOW_FRAMES = 1200  # 12 s of log-mel frames: the streaming passes' shortest window


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


def choose_threads(settings: ModelSettings, placement: Placement) -> tuple[int, int | None]:
    """CPU threads of the encoder and of the text decoder; None: whichever of 1 and the encoder's count
    runs the decoder's steps faster on this CPU, timed at load (see SplitThreadsWhisper)."""
    if placement.device == "cuda":  # the model's CPU threads only idle (and spin): one is enough
        return (settings.cpu_threads or 1,) * 2
    threads = settings.cpu_threads or min(4, os.cpu_count() or 1)
    if threads == 1 or settings.decoder_threads:
        return threads, min(settings.decoder_threads or 1, threads)
    return threads, None


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
            cpu_threads=decoder_threads or 1, local_files_only=True,  # None: the 1-thread copy, timed below
        )
        if (decoder_threads or 1) < threads:
            encoder = ctranslate2.models.Whisper(str(path), device="cpu", compute_type=placement.compute_type,
                                                 intra_threads=threads)
            if decoder_threads is None and faster_decoder(model, [encoder, model.model]) is encoder:
                model.model = encoder  # one copy for everything; the single-threaded one is released
            else:
                model.model = SplitThreadsWhisper(encoder, model.model)
    except (RuntimeError, ValueError, OSError) as exc:
        raise UserError(f"cannot load model '{settings.name}' ({exc.__class__.__name__}): "
                        "reinstall its package or pick another with --model") from None
    return model, placement


def faster_decoder(model: WhisperModel, copies: list[ctranslate2.models.Whisper]) -> ctranslate2.models.Whisper:
    """The copy (same weights, other thread counts) that runs the text decoder's steps fastest here."""
    import ctranslate2
    import numpy as np
    from faster_whisper.tokenizer import Tokenizer

    tokenizer = Tokenizer(model.hf_tokenizer, copies[0].is_multilingual, task="transcribe", language="en")
    # Forced text tokens are decoded one step at a time, as generated ones are: a fixed amount of work.
    start = [*tokenizer.sot_sequence, *tokenizer.encode(" one" * TIMED_STEPS)[:TIMED_STEPS]]
    silence = np.zeros((1, copies[0].n_mels, TIMED_WINDOW_FRAMES), dtype=np.float32)
    encoded = copies[0].encode(ctranslate2.StorageView.from_array(silence))
    best = [float("inf")] * len(copies)
    for run in range(TIMED_RUNS + 1):  # the first call of each copy sets up its buffers: not timed
        for i, copy in enumerate(copies):
            started = time.perf_counter()
            copy.generate(encoded, [start], beam_size=5, max_length=len(start) + 1)
            if run:
                best[i] = min(best[i], time.perf_counter() - started)
    return copies[best.index(min(best))]


class SplitThreadsWhisper:
    """A CTranslate2 Whisper model whose encoder runs on more CPU threads than the rest.

    The encoder's large matrix products scale with threads; whether a decoding step's small ones (a few beams
    times the model width) do depends on the CPU and its math library. On one 2-core development machine
    (tiny.en int8, 5 beams, real clinical speech in 0.6 s chunks) a pass took 0.79 s with 2 threads for
    everything, 0.59 s with 1, and 0.55 s with 2 for the encoder and 1 for the decoder; on another (AMD EPYC,
    oneDNN) 2 threads decoded 5 beams of a 44-token text in 0.57 s, 1 thread in 0.79 s. So by default the
    load times both (``faster_decoder``) and splits only where one thread wins. CTranslate2 sets threads per
    loaded model, so the encoder is a second copy of the weights (resident: about 50 MB more for tiny.en,
    110 MB for base)."""

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
