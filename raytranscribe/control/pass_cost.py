"""A stream's pass cost: what the controller's ``cheap_passes`` decision changes in the stream's settings."""

from __future__ import annotations

from raytranscribe.settings import StreamingSettings


def set_pass_cost(stream: StreamingSettings, configured: StreamingSettings, short_context_s: float,
                  cheap: bool) -> None:
    """Set a stream's settings to full passes (the configured buffer and beam) or cheap ones (a buffer trimmed
    past ``short_context_s``, never longer than configured, and greedy search). The buffer's cap keeps the
    configured distance past its trim point, so a cheap pass's buffer is short too, and holds no earlier
    utterances."""
    trim = min(short_context_s, configured.trim_s) if cheap else configured.trim_s
    stream.trim_s = trim
    stream.max_buffer_s = trim + (configured.max_buffer_s - configured.trim_s)
    stream.context_s = 0.0 if cheap else configured.context_s
    stream.beam_size = 1 if cheap else configured.beam_size
