"""Latency control: a plain policy object (unit-tested with simulated timings) hosted by the controller actor."""

from raytranscribe.control.pass_cost import PassCost
from raytranscribe.control.policy import (
    ControllerState,
    Degradation,
    LatencyPolicy,
    StreamDecision,
    StreamSample,
)

__all__ = ["ControllerState", "Degradation", "LatencyPolicy", "PassCost", "StreamDecision", "StreamSample"]
