"""On a CUDA GPU (skipped without one): base decodes in float16 on the GPU, and the Engine pins its Whisper
replicas to fractions of the GPU, serving several streams at once. CI has no GPU; run these where one is."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from engine_helpers import SPEECH, wer

from raytranscribe.audio.decode import load_audio

ctranslate2 = pytest.importorskip("ctranslate2")
pytestmark = [pytest.mark.gpu, pytest.mark.slow,
              pytest.mark.skipif(ctranslate2.get_cuda_device_count() == 0, reason="no CUDA GPU")]


def test_base_decodes_on_the_gpu_in_float16(settings, references):
    from raytranscribe.models import load_whisper

    model, placement = load_whisper(settings.model.model_copy(update={"name": "base"}))
    assert (placement.device, placement.compute_type) == ("cuda", "float16")
    segments, _ = model.transcribe(load_audio(SPEECH / "jfk.wav"), beam_size=1)
    assert wer(references["jfk.wav"], " ".join(s.text for s in segments)) <= 0.15


def test_engine_shares_the_gpu_between_whisper_replicas():
    child, root = Path(__file__).with_name("gpu_engine_child.py"), Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, str(child)], capture_output=True, text=True, timeout=600, cwd=root,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(child.parent)])})
    assert done.returncode == 0, done.stderr[-2000:]
    run = json.loads(done.stdout.strip().splitlines()[-1])
    assert run["placements"] == [{"device": "cuda", "compute_type": "float16"}] * 2
    assert run["gpus"]["total"] >= 1 and run["gpus"]["free"] == pytest.approx(run["gpus"]["total"] - 0.5)
    assert run["hosts"] == [0, 0, 1, 1], "streams spread over both replicas"
    assert max(run["wers"]) <= 0.25, run["wers"]
