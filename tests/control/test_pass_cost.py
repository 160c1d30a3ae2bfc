"""The rule a Whisper replica applies when the controller moves a stream between full, light and cheap passes."""

from raytranscribe.control.pass_cost import PassCost, set_pass_cost
from raytranscribe.settings import ControllerSettings, StreamingSettings

CONFIGURED = StreamingSettings(trim_s=15.0, max_buffer_s=25.0, context_s=10.0, beam_size=5)
CONTROL = ControllerSettings(light_context_s=5.0, light_trim_s=10.0, short_context_s=6.0)


def settings_after(*costs: PassCost, configured: StreamingSettings = CONFIGURED,
                   control: ControllerSettings = CONTROL) -> StreamingSettings:
    stream = configured.model_copy()
    for cost in costs:
        set_pass_cost(stream, configured, control, cost)
    return stream


def test_light_passes_keep_the_beams_with_less_context_and_a_shorter_buffer():
    stream = settings_after(PassCost.LIGHT)
    assert (stream.trim_s, stream.max_buffer_s, stream.context_s, stream.beam_size) == (10.0, 20.0, 5.0, 5)


def test_cheap_passes_shorten_the_buffer_drop_the_context_and_search_greedily():
    stream = settings_after(PassCost.CHEAP)
    assert (stream.trim_s, stream.max_buffer_s, stream.context_s, stream.beam_size) == (6.0, 16.0, 0.0, 1)


def test_full_passes_restore_the_configured_values_from_any_level():
    assert settings_after(PassCost.CHEAP, PassCost.FULL) == CONFIGURED
    assert settings_after(PassCost.LIGHT, PassCost.CHEAP, PassCost.LIGHT) == settings_after(PassCost.LIGHT)
    assert settings_after(PassCost.LIGHT, PassCost.FULL) == CONFIGURED


def test_no_level_lengthens_what_is_configured():
    short = StreamingSettings(trim_s=4.0, max_buffer_s=8.0, context_s=2.0, beam_size=3)
    for cost in PassCost:
        stream = settings_after(cost, configured=short)
        assert stream.trim_s <= short.trim_s and stream.context_s <= short.context_s
        assert stream.beam_size <= short.beam_size


def test_the_buffer_cap_keeps_its_configured_distance_past_the_trim():
    configured = StreamingSettings(trim_s=10.0, max_buffer_s=12.5, beam_size=3)
    for cost in PassCost:
        stream = settings_after(cost, configured=configured, control=CONTROL.model_copy(update={"short_context_s": 4.0}))
        assert stream.max_buffer_s - stream.trim_s == configured.max_buffer_s - configured.trim_s
