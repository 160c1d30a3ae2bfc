"""Audio in: files (any format, resampled to 16 kHz mono), the microphone, pushed blocks, a ring buffer."""

from raytranscribe.audio.sources import FileSource, MicSource, PushSource, Source

__all__ = ["FileSource", "MicSource", "PushSource", "Source"]
