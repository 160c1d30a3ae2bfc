"""The command line: one-line errors with exit 2 and no traceback, and a real end-to-end run."""

import json
import os
import random
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf
from engine_helpers import SPEECH, wer

pytestmark = pytest.mark.slow  # real model, Ray cluster or subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def cli(*args, env=None, timeout=240):
    return subprocess.run([sys.executable, "-m", "raytranscribe", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def assert_one_line_error(result, match):
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip() and "command unavailable" not in line]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert match in lines[0] and result.stdout == ""


def test_bad_files(tmp_path):
    corrupt = tmp_path / "Mary_Major_2024.mp3"
    # Seeded: now and then FFmpeg finds a container with no audio stream in random bytes (another message).
    corrupt.write_bytes(random.Random(0).randbytes(4096))
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    for path, match in ((tmp_path / "missing.wav", "not found"), (empty, "empty"), (corrupt, "corrupt")):
        result = cli("transcribe", str(path))
        assert_one_line_error(result, match)
        assert "Mary" not in result.stderr


def test_unknown_model_and_bad_setting():
    assert_one_line_error(cli("transcribe", str(SPEECH / "jfk.wav"), "--model", "huge"), "unknown model")
    result = cli("transcribe", str(SPEECH / "jfk.wav"), env={"RAYTRANSCRIBE_STREAMING__PAUSE_S": "-1"})
    assert_one_line_error(result, "streaming.pause_s")


def test_live_without_a_microphone():
    sd = pytest.importorskip("sounddevice")
    if any(d["max_input_channels"] > 0 for d in sd.query_devices()):
        pytest.skip("this machine has a microphone")
    assert_one_line_error(cli("live"), "no microphone")


def test_zero_length_audio(tmp_path):
    silent = tmp_path / "nothing.wav"
    sf.write(silent, np.zeros(0, dtype=np.float32), 16000)
    assert_one_line_error(cli("transcribe", str(silent)), "no audio samples")


def test_transcribe_jsonl_end_to_end(references):
    result = cli("transcribe", str(SPEECH / "ls_test-clean_1089-134686-0002.wav"), "--jsonl")
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events and all(set(e) == {"kind", "text", "t", "audio_start", "audio_end"} for e in events)
    assert {e["kind"] for e in events} <= {"partial", "final"}
    text = " ".join(e["text"] for e in events if e["kind"] == "final")
    assert wer(references["ls_test-clean_1089-134686-0002.wav"], text) <= 0.3
    assert "Traceback" not in result.stderr
