"""A short run of the load harness (perf/load_test.py): 2 staggered streams through the real Engine.

Checks the shape and sanity of what it writes, not timings (those depend on the machine)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # real model, Ray cluster, subprocess

ROOT = Path(__file__).resolve().parents[2]
SPEECH = ROOT.parent / "shared" / "data" / "speech"


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    if not list(SPEECH.glob("osce_*.mp3")):
        pytest.skip("the interview recordings (../shared/data/speech) are not here")
    out = tmp_path_factory.mktemp("load")
    cmd = [sys.executable, str(ROOT / "perf" / "load_test.py"), "--streams", "2", "--seconds", "20",
           "--stagger", "2", "--out", str(out)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=400,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-2000:]
    return out, json.loads((out / "results.json").read_text()), done.stdout


def test_results_structure_and_sane_numbers(results):
    _, r, stdout = results
    assert r["config"]["streams"] == 2 and len(r["streams"]) == 2
    o = r["overall"]
    for key in ("commit_latency", "first_display"):
        p = o[key]
        assert 0 < p["p50"] <= p["p90"] <= p["p99"] < 30, (key, p)
    assert o["first_display"]["p50"] <= o["commit_latency"]["p50"], "a word is never committed before first shown"
    assert o["words_matched"] >= 0.5 * o["words_offline"] > 0, "most offline words were shown"
    assert 0 <= o["wer_stream"] < 0.8 and 0 < o["real_time_factor"] < 2 and o["mean_batch"] >= 1
    assert o["rss_mb_max"] > 100 and o["cpu_percent_mean"] > 0
    assert {s["stream"] for s in r["streams"]} == {"s0", "s1"}
    assert all(s["latency_over_time"] and s["words_matched"] > 0 for s in r["streams"])
    rows = r["timeline"]
    assert rows and all(row["scrubber_replicas"] >= 1 for row in rows)
    assert any(set(row["chunks"]) == {"s0", "s1"} for row in rows), "both streams' chunk sizes were sampled"
    assert '"policy": "adaptive"' in stdout


def test_plots_are_written(results):
    out, _, _ = results
    for name in ("latency.png", "control.png"):
        png = out / name
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
