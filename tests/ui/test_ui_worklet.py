"""The browser-mic AudioWorklet's resampler, run under Node: 16 kHz out, speech band kept, aliases removed."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent
WORKLET = HERE.parents[1] / "ui" / "static" / "pcm-worklet.js"
pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs node")


def run(rate: int, freq: int) -> dict:
    out = subprocess.run(["node", str(HERE / "worklet_harness.js"), str(WORKLET), str(rate), str(freq)],
                         capture_output=True, text=True, check=True, timeout=60)
    return json.loads(out.stdout)


@pytest.mark.parametrize("rate", [48000, 44100, 16000])
def test_resampler_keeps_speech_and_drops_what_would_alias(rate):
    speech = run(rate, 1000)
    assert 32000 - 1600 <= speech["samples"] <= 32000 + 1600  # 2 s in, 2 s out in whole 100 ms blocks
    assert speech["rms"] == pytest.approx(0.5 / 2**0.5, rel=0.02)  # unity gain in the passband
    if rate > 16000:
        assert run(rate, 12000)["rms"] < 0.005  # above 8 kHz it would fold back into speech
