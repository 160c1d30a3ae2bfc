"""A stream's pass cost: the levels the controller steps a stream through, and what each sets in its settings."""

from __future__ import annotations

from enum import IntEnum

from raytranscribe.settings import ControllerSettings, StreamingSettings


class PassCost(IntEnum):
    """Cheaper passes, in the order a stream over its latency target gets them."""

    FULL = 0  # the configured buffer, earlier-utterance context and beams
    LIGHT = 1  # less context and a shorter buffer, the same beam search: a little less accurate
    CHEAP = 2  # a short buffer, no context, greedy search: faster still, less accurate


def set_pass_cost(stream: StreamingSettings, configured: StreamingSettings, control: ControllerSettings,
                  cost: PassCost) -> None:
    """Set a stream's settings for ``cost``; never longer buffers or context than configured. The buffer's cap
    keeps the configured distance past its trim point, so a shorter trim shortens every pass."""
    trim, context, beams = configured.trim_s, configured.context_s, configured.beam_size
    if cost == PassCost.LIGHT:
        trim, context = min(control.light_trim_s, trim), min(control.light_context_s, context)
    elif cost == PassCost.CHEAP:
        trim, context, beams = min(control.short_context_s, trim), 0.0, 1
    stream.trim_s = trim
    stream.max_buffer_s = trim + (configured.max_buffer_s - configured.trim_s)
    stream.context_s = context
    stream.beam_size = beams
