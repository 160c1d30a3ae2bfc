"""The local microphone through sounddevice (PortAudio), 16 kHz mono 16-bit, imported only when used."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from raytranscribe.errors import UserError


def _sounddevice() -> Any:
    try:
        import sounddevice as sd
    except OSError:  # sounddevice raises OSError at import when the PortAudio library is missing
        raise UserError("no microphone support: the PortAudio library is not installed (apt install libportaudio2)") from None
    return sd


def check_microphone(device: int | str | None) -> None:
    """Fail with one line when there is no usable input device (before any cluster starts)."""
    sd = _sounddevice()
    try:
        inputs = [d for d in sd.query_devices() if d["max_input_channels"] > 0]
        if not inputs:
            raise UserError("no microphone found (no audio input device)")
        if device is not None and sd.query_devices(device, "input")["max_input_channels"] < 1:
            raise UserError(f"audio device {device} has no input channels")
    except (sd.PortAudioError, ValueError) as exc:
        raise UserError(f"cannot use microphone {device}: {str(exc).splitlines()[0]}") from None


def open_microphone(device: int | str | None, sample_rate: int, block: int,
                    on_audio: Callable[[np.ndarray], None]) -> Any:
    """Start an input stream calling ``on_audio(float32 samples)`` per block; returns the started stream."""
    sd = _sounddevice()
    check_microphone(device)

    def callback(indata: np.ndarray, frames: int, time: Any, status: Any) -> None:
        on_audio(indata[:, 0].astype(np.float32) / 32768.0)

    try:
        stream = sd.InputStream(samplerate=sample_rate, channels=1, dtype="int16", blocksize=block,
                                device=device, callback=callback)
        stream.start()
    except (sd.PortAudioError, ValueError) as exc:
        raise UserError(f"cannot open microphone {device if device is not None else '(default)'}: "
                        f"{str(exc).splitlines()[0]}") from None
    return stream
