"""What opening streams costs in capture processes: N streams opened one after another on the real Engine.

Prints, for the open phase: open_stream wall time per stream, how many capture actor processes there are,
their CPU seconds (Python start, imports, the captures) and RSS, and the RSS all Ray processes and the driver
grew by. Uses only the Engine API and psutil, so the same script measures an older checkout too
(``PYTHONPATH=<checkout> python3 perf/capture_pool.py``). Timings depend on what else runs on the machine.

  python3 perf/capture_pool.py --streams 8
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import psutil

from raytranscribe.engine import Engine, PushSource
from raytranscribe.settings import Settings

CAPTURE = "ray::CaptureActor"


def processes() -> list[psutil.Process]:
    me = psutil.Process()
    return [me, *me.children(recursive=True)]


def capture_usage() -> tuple[int, float, float]:
    """Capture actor processes: count, CPU seconds, RSS MB."""
    count, cpu, rss = 0, 0.0, 0.0
    for proc in processes():
        try:
            if proc.cmdline() and proc.cmdline()[0].split(".")[0] == CAPTURE:
                times = proc.cpu_times()
                count, cpu, rss = count + 1, cpu + times.user + times.system, rss + proc.memory_info().rss
        except psutil.Error:
            pass
    return count, cpu, rss / 2**20


def total_rss_mb() -> float:
    rss = 0.0
    for proc in processes():
        try:
            rss += proc.memory_info().rss
        except psutil.Error:
            pass
    return rss / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=8)
    parser.add_argument("--settle", type=float, default=5.0, help="seconds to wait after the last open")
    args = parser.parse_args()
    with Engine(Settings.load()) as engine:
        time.sleep(args.settle)  # the engine's own start-up work is done
        rss_before = total_rss_mb()
        opens, streams = [], []
        started = time.perf_counter()
        for _ in range(args.streams):
            t = time.perf_counter()
            streams.append(engine.open_stream(PushSource()))
            opens.append(time.perf_counter() - t)
            streams[-1].push_audio(np.zeros(1600, dtype=np.float32))
        open_all = time.perf_counter() - started
        time.sleep(args.settle)  # spawned workers finish importing
        count, cpu, rss = capture_usage()
        result = {
            "streams": args.streams,
            "open_all_s": round(open_all, 2),
            "open_stream_s_mean": round(float(np.mean(opens)), 3),
            "open_stream_s_max": round(max(opens), 3),
            "capture_processes": count,
            "capture_cpu_s": round(cpu, 2),
            "capture_rss_mb": round(rss, 1),
            "rss_growth_mb": round(total_rss_mb() - rss_before, 1),
        }
        for stream in streams:
            engine.close_stream(stream)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
