"""Decode an audio file of any common format, rate and channel count into 16 kHz mono float32 (PyAV)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from raytranscribe.errors import UserError

SAMPLE_RATE = 16000


def probe_audio(path: str | Path) -> None:
    """Cheap check that ``path`` is a readable audio file: opens it and decodes its first audio frame."""
    path = _existing(path)
    import av

    try:
        with _open(av, path) as container:
            if not container.streams.audio:
                raise UserError("file has no audio stream")
            next(container.decode(audio=0))
    except PermissionError:
        raise UserError("audio file is not readable (permission denied)") from None
    except StopIteration:
        raise UserError("audio file has no audio samples") from None
    except (av.FFmpegError, ValueError, OSError, IndexError):
        raise UserError("audio file is corrupt or not in a supported audio format") from None


def _existing(path: str | Path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise UserError("audio file not found or not a regular file")
    if path.stat().st_size == 0:
        raise UserError("audio file is empty")
    return path


def load_audio(path: str | Path, seconds: float | None = None) -> np.ndarray:
    """Samples in [-1, 1] at 16 kHz mono; only the first ``seconds`` if given (decoding stops there).
    Errors name the problem, never the file's content or name."""
    path = _existing(path)
    limit = None if seconds is None else max(int(seconds * SAMPLE_RATE), 1)
    import av

    try:
        with _open(av, path) as container:
            if not container.streams.audio:
                raise UserError("file has no audio stream")
            # Float output (not faster-whisper's int16 path) so NaN or infinite samples stay detectable.
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            chunks, got = [], 0
            for frame in container.decode(audio=0):
                new = [out.to_ndarray().reshape(-1) for out in resampler.resample(frame)]
                chunks += new
                got += sum(c.size for c in new)
                if limit and got >= limit:
                    break
            else:
                chunks += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
    except PermissionError:
        raise UserError("audio file is not readable (permission denied)") from None
    except (av.FFmpegError, ValueError, OSError, IndexError):
        raise UserError("audio file is corrupt or not in a supported audio format") from None
    return check_samples(np.concatenate(chunks)[:limit] if chunks else np.zeros(0, dtype=np.float32))


def check_samples(audio: np.ndarray) -> np.ndarray:
    """Reject audio the recogniser cannot use; returns float32 mono."""
    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim != 1:
        raise UserError("audio must be mono (one channel)")
    if audio.size == 0:
        raise UserError("audio has no samples")
    if not np.isfinite(audio).all():
        raise UserError("audio contains NaN or infinite samples")
    return audio


def _open(av, path: Path):
    # Undecodable metadata must not reject the audio; PyAV 19 dropped the option (and no longer fails on it).
    try:
        return av.open(str(path), metadata_errors="ignore")
    except TypeError:
        return av.open(str(path))
