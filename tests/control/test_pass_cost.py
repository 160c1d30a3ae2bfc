"""The rule a Whisper replica applies when the controller switches a stream between full and cheap passes."""

from raytranscribe.control.pass_cost import set_pass_cost
from raytranscribe.settings import StreamingSettings

CONFIGURED = StreamingSettings(trim_s=15.0, max_buffer_s=25.0, beam_size=5)


def test_cheap_passes_shorten_the_buffer_and_search_greedily_and_full_ones_restore_the_configured_values():
    stream = CONFIGURED.model_copy()
    set_pass_cost(stream, CONFIGURED, short_context_s=6.0, cheap=True)
    assert (stream.trim_s, stream.max_buffer_s, stream.beam_size, stream.context_s) == (6.0, 16.0, 1, 0.0)
    set_pass_cost(stream, CONFIGURED, short_context_s=6.0, cheap=False)
    assert stream == CONFIGURED


def test_a_short_context_longer_than_the_configured_trim_keeps_the_trim():
    stream = CONFIGURED.model_copy()
    set_pass_cost(stream, CONFIGURED, short_context_s=20.0, cheap=True)
    assert (stream.trim_s, stream.max_buffer_s, stream.beam_size) == (15.0, 25.0, 1)


def test_the_buffer_cap_keeps_its_configured_distance_past_the_trim():
    configured = StreamingSettings(trim_s=10.0, max_buffer_s=12.5, beam_size=3)
    stream = configured.model_copy()
    set_pass_cost(stream, configured, short_context_s=4.0, cheap=True)
    assert stream.max_buffer_s - stream.trim_s == configured.max_buffer_s - configured.trim_s
    assert stream.trim_s == 4.0
    set_pass_cost(stream, configured, short_context_s=4.0, cheap=False)
    assert stream == configured
