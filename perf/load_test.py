"""Load test: N simulated clinicians stream real interviews through the real Engine at real-time pace.

Each stream replays one of ``../shared/data/speech/osce_*.mp3`` (cycling) with ``FileSource(realtime=True)``,
streams start ``--stagger`` seconds apart and stop after ``--seconds`` of audio. Measured, per stream and
overall, the way perf/streaming_latency.py measures one stream (its helpers are imported): each redacted word
shown is matched to an offline pass of the same model by sequence alignment (placeholders simply do not match),
  commit latency  = when the word was shown as final - its offline end time,
  first display   = when it was first shown (partial or final) - its offline end time,
  WER             = committed text against the human transcript of the same span, and against the offline text;
plus the real-time factor (Whisper model seconds / audio seconds streamed), mean batch size, CPU and memory of
the driver and every Ray process (psutil), and over time (``engine.status()`` each second) the scrubber
replicas, every stream's chunk size, how many streams are on light and cheap passes and the degradation level.
Writes ``results.json``, ``latency.png`` and ``control.png`` to ``--out``.

  python3 perf/load_test.py --streams 4 --model tiny.en --seconds 120 --out perf/out
  python3 perf/load_test.py --streams 4 --seconds 120 --out perf/out --compare   # adaptive and naive, side by side

Timings depend on what else runs on the machine: state it with the numbers.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import jiwer
import numpy as np
import psutil
from streaming_latency import SPEECH, measure, norm, offline_words, pct, reference_span, references

from raytranscribe.audio.decode import load_audio
from raytranscribe.engine import Engine, FileSource, TranscriptEvent
from raytranscribe.models import load_whisper
from raytranscribe.settings import Settings

RATE = 16000
POLICIES = {"adaptive": "local_agreement", "naive": "naive"}
SAMPLE_EVERY_S = 1.0
TAIL_S = 1.0  # words ending this close to the cut may never be committed: left out of the offline words


def settings_for(model: str, policy: str) -> Settings:
    s = Settings.load()
    return s.model_copy(update={
        "model": s.model.model_copy(update={"name": model}),
        "streaming": s.streaming.model_copy(update={"policy": POLICIES[policy]}),
    })


def offline_references(settings: Settings, files: list[str], seconds: float) -> dict[str, dict]:
    """Offline words (with end times) and the human transcript span, per file, for its first ``seconds``."""
    model, _ = load_whisper(settings.model)
    refs = references()
    out = {}
    for name in dict.fromkeys(files):
        audio = load_audio(SPEECH / name, seconds)
        words = [(k, e) for k, e in offline_words(model, audio) if e <= audio.size / RATE - TAIL_S]
        out[name] = {"words": words, "reference": reference_span(refs.get(name, ""), [k for k, _ in words])}
    return out


class Sampler:
    """Every second: engine status and CPU / memory of this process and every process it started (Ray)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.labels: dict[str, str] = {}  # stream id -> "s0", "s1", ...
        self.rows: list[dict] = []
        self.stop = threading.Event()
        self.procs: dict[int, psutil.Process] = {}
        self.gpus = _gpu_handles()
        self.t0 = time.time()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _usage(self) -> tuple[dict[str, float], float]:
        """CPU percent per component (the driver, each Ray actor class, Ray's own daemons) and total RSS."""
        me = psutil.Process()
        cpu: dict[str, float] = {}
        rss = 0.0
        for p in [me, *me.children(recursive=True)]:
            proc = self.procs.setdefault(p.pid, p)
            try:
                name = "driver" if proc.pid == me.pid else _component(proc.cmdline())
                cpu[name] = cpu.get(name, 0.0) + proc.cpu_percent(None)  # since this process's previous sample
                rss += proc.memory_info().rss
            except psutil.Error:
                self.procs.pop(p.pid, None)
        return cpu, rss / 2**20

    def _run(self) -> None:
        while not self.stop.wait(SAMPLE_EVERY_S):
            try:
                status = self.engine.status()
            except Exception:  # noqa: BLE001 - shutting down
                return
            cpu, rss = self._usage()
            control = status["control"]
            self.rows.append({
                "t": round(time.time() - self.t0, 2), "streams": status["streams"],
                "scrubber_replicas": status["scrubber_replicas"], "degradation": control["degradation"],
                "pool_utilization": round(control["pool_utilization"], 3),
                "chunks": {self.labels[sid]: c for sid, c in control["chunks"].items() if sid in self.labels},
                "light_passes": sum(c == "LIGHT" for c in control["pass_costs"].values()),
                "cheap_passes": sum(c == "CHEAP" for c in control["pass_costs"].values()),
                "scrubber_queue": sum(status["queue_lengths"].values()), "cpu_percent": round(sum(cpu.values()), 1),
                "cpu_by_component": {k: round(v, 1) for k, v in sorted(cpu.items())},
                "rss_mb": round(rss, 1), **self._gpu_usage(),
                # The controller's rolling per-stage times (asr_pass, scrub, ...) and how many it has seen.
                "stages": {k: {"p50": round(v["p50"], 3), "p90": round(v["p90"], 3), "count": int(v["count"])}
                           for k, v in status["latency"].items()},
            })

    def _gpu_usage(self) -> dict[str, float]:
        """Summed over the GPUs NVML sees (none without one): busy percent and memory in use (every process)."""
        if not self.gpus:
            return {}
        import pynvml

        return {"gpu_percent": sum(pynvml.nvmlDeviceGetUtilizationRates(h).gpu for h in self.gpus),
                "gpu_mem_mb": round(sum(pynvml.nvmlDeviceGetMemoryInfo(h).used for h in self.gpus) / 2**20, 1)}


def _gpu_handles() -> list:
    try:
        import pynvml  # nvidia-ml-py, where a GPU driver is installed

        pynvml.nvmlInit()
        return [pynvml.nvmlDeviceGetHandleByIndex(i) for i in range(pynvml.nvmlDeviceGetCount())]
    except Exception:  # noqa: BLE001 - no NVML, no driver or no GPU: CPU numbers only
        return []


def run_streams(engine: Engine, files: list[str], seconds: float, stagger: float, sampler: Sampler) -> tuple:
    """Open the streams (staggered), collect their events, stop each after ``seconds``; also returns when
    each stream opened on the sampler's clock."""
    results: list[list] = [[] for _ in files]
    opened = [0.0 for _ in files]

    def clinician(i: int, name: str) -> None:
        time.sleep(i * stagger)
        stream = engine.open_stream(FileSource(SPEECH / name, realtime=True, seconds=seconds + 5))
        opened[i] = round(time.time() - sampler.t0, 2)
        sampler.labels[stream.id] = f"s{i}"
        timer = threading.Timer(seconds, engine.close_stream, args=(stream,))
        timer.start()
        results[i] = [e for e in stream.events() if isinstance(e, TranscriptEvent)]
        timer.join()

    threads = [threading.Thread(target=clinician, args=(i, f)) for i, f in enumerate(files)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, opened


def score(events: list[TranscriptEvent], ref: dict) -> dict:
    committed, updates = [], []
    for e in events:
        if e.kind == "final":
            committed += [(k, e.t) for k in norm(e.text)]
        updates.append((e.t, len(committed), norm(e.text) if e.kind == "partial" else []))
    commit_lat, first_lat, ends = measure(ref["words"], committed, updates)
    okeys = [k for k, _ in ref["words"]]
    streamed = " ".join(k for k, _ in committed) or "<empty>"
    return {
        "commit": commit_lat, "first": first_lat, "ends": ends,
        "words_matched": len(commit_lat), "words_offline": len(okeys),
        "wer_stream": jiwer.wer(ref["reference"], streamed) if ref["reference"] else None,
        "wer_offline": jiwer.wer(ref["reference"], " ".join(okeys)) if ref["reference"] else None,
        "wer_vs_offline": jiwer.wer(" ".join(okeys), streamed) if okeys else None,
    }


def percentiles(values) -> dict:
    values = np.asarray(list(values), dtype=float)
    return {f"p{q}": round(pct(values, q), 3) for q in (50, 90, 99)}


def run(args: argparse.Namespace) -> dict:
    settings = settings_for(args.model, args.policy)
    speech = sorted(p.name for p in SPEECH.glob("osce_*.mp3"))
    files = [speech[i % len(speech)] for i in range(args.streams)]
    refs = offline_references(settings, files, args.seconds)
    engine = Engine(settings).start()
    placement = engine.placement
    try:
        sampler = Sampler(engine)
        started = time.time()
        events, opened = run_streams(engine, files, args.seconds, args.stagger, sampler)
        wall = time.time() - started
        sampler.stop.set()
        sampler.thread.join()
        pool = engine.status()["pool"]
    finally:
        engine.shutdown()
    scored = [score(ev, refs[f]) for ev, f in zip(events, files)]
    replicas = [r for role in pool.values() for r in role]
    busy = sum(r["busy_s"] for r in replicas)
    rows = sampler.rows
    streams = [{
        "stream": f"s{i}", "file": f, "opened_at_s": opened[i],
        **{k: s[k] for k in ("words_matched", "words_offline", "wer_stream", "wer_offline", "wer_vs_offline")},
        "commit_latency": percentiles(s["commit"].values()), "first_display": percentiles(s["first"].values()),
        "latency_over_time": [[round(float(s["ends"][j]), 2), round(v, 3)] for j, v in sorted(s["commit"].items())],
    } for i, (f, s) in enumerate(zip(files, scored))]
    wers = [s["wer_stream"] for s in scored if s["wer_stream"] is not None]
    return {
        "config": {"streams": args.streams, "model": args.model, "policy": args.policy, "seconds": args.seconds,
                   "stagger_s": args.stagger, "cpu_count": psutil.cpu_count(),
                   "load_average_at_start": args.load_at_start, "placement": placement,
                   "cluster": settings.cluster.model_dump(mode="json"),
                   "controller": settings.controller.model_dump(mode="json")},
        "overall": {
            "commit_latency": percentiles(v for s in scored for v in s["commit"].values()),
            "first_display": percentiles(v for s in scored for v in s["first"].values()),
            # Words spoken once every stream had opened: the load without the ramp-up's start costs.
            "commit_latency_all_open": percentiles(v for s, at in zip(scored, opened) for j, v in s["commit"].items()
                                                   if s["ends"][j] + at >= max(opened)),
            "wer_stream": round(float(np.mean(wers)), 4) if wers else None,
            "wer_offline": _mean(s["wer_offline"] for s in scored),
            "words_matched": sum(s["words_matched"] for s in scored),
            "words_offline": sum(s["words_offline"] for s in scored),
            "real_time_factor": round(busy / (args.streams * args.seconds), 4),
            "mean_batch": round(sum(r["passes"] for r in replicas) / max(1, sum(r["batches"] for r in replicas)), 2),
            "passes": sum(r["passes"] for r in replicas), "batches": sum(r["batches"] for r in replicas),
            "cpu_percent_mean": _mean(r["cpu_percent"] for r in rows),
            "cpu_percent_mean_by_component": {
                k: _mean(r["cpu_by_component"].get(k, 0.0) for r in rows)
                for k in sorted({k for r in rows for k in r["cpu_by_component"]})},
            "rss_mb_max": max((r["rss_mb"] for r in rows), default=None),
            "rss_mb_last": rows[-1]["rss_mb"] if rows else None,
            "gpu_percent_mean": _mean(r.get("gpu_percent") for r in rows),
            "gpu_mem_mb_max": max((r["gpu_mem_mb"] for r in rows if "gpu_mem_mb" in r), default=None),
            "scrubber_replicas_max": max((r["scrubber_replicas"] for r in rows), default=None),
            "degradation_levels": sorted({r["degradation"] for r in rows}),
            "wall_s": round(wall, 1),
        },
        "streams": streams,
        "timeline": rows,
    }


def _component(cmdline: list[str]) -> str:
    """A Ray worker's title is ``ray::Class.method`` while busy (``ray::IDLE`` otherwise); a daemon's is its path."""
    head = cmdline[0] if cmdline else "?"
    return head.split(".")[0] if head.startswith("ray::") else Path(head).name


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(float(np.mean(values)), 4) if values else None


def plot(results: dict, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    title = f"{results['config']['streams']} streams, {results['config']['model']}, {results['config']['policy']}"
    fig, ax = plt.subplots(figsize=(8, 4), dpi=80)
    for s in results["streams"]:
        pts = np.array(s["latency_over_time"]).reshape(-1, 2)
        ax.plot(pts[:, 0] + s["opened_at_s"], pts[:, 1], ".", ms=3, label=s["stream"])
    ax.axhline(3.0, color="grey", lw=0.8, ls="--")
    ax.set(xlabel="run time (s): when the word was spoken", ylabel="commit latency (s)", title=title)
    if len(results["streams"]) <= 16:  # beyond that a legend hides the plot
        ax.legend(fontsize=7, ncol=4)
    fig.tight_layout()
    fig.savefig(out / "latency.png")
    plt.close(fig)

    rows = results["timeline"]
    t = [r["t"] for r in rows]
    fig, axes = plt.subplots(3, 1, figsize=(8, 6), dpi=80, sharex=True)
    axes[0].step(t, [r["scrubber_replicas"] for r in rows], where="post", label="scrubber replicas")
    axes[0].step(t, [r["streams"] for r in rows], where="post", label="streams")
    axes[0].step(t, [r["light_passes"] for r in rows], where="post", label="streams on light passes")
    axes[0].step(t, [r["cheap_passes"] for r in rows], where="post", label="streams on cheap passes")
    axes[0].legend(fontsize=7)
    for s in results["streams"]:
        axes[1].step(t, [r["chunks"].get(s["stream"], np.nan) for r in rows], where="post", label=s["stream"])
    axes[1].set(ylabel="chunk (s)")
    levels = ["NONE", "LONGER_CHUNKS", "FEWER_INTERIMS", "SMALLER_MODEL"]
    axes[2].step(t, [levels.index(r["degradation"]) for r in rows], where="post", label="degradation level")
    axes[2].plot(t, [r["pool_utilization"] for r in rows], label="pool utilization")
    axes[2].set(xlabel="run time (s)")
    axes[2].legend(fontsize=7)
    axes[0].set_title(title)
    fig.tight_layout()
    fig.savefig(out / "control.png")
    plt.close(fig)


def summary_line(results: dict) -> dict:
    o = results["overall"]
    return {"policy": results["config"]["policy"], "streams": results["config"]["streams"],
            "commit_p50": o["commit_latency"]["p50"], "commit_p90": o["commit_latency"]["p90"],
            "commit_p99": o["commit_latency"]["p99"], "all_open_p50": o["commit_latency_all_open"]["p50"],
            "all_open_p90": o["commit_latency_all_open"]["p90"], "first_p50": o["first_display"]["p50"],
            "first_p90": o["first_display"]["p90"], "wer": o["wer_stream"], "wer_offline": o["wer_offline"],
            "matched": f"{o['words_matched']}/{o['words_offline']}", "rtf": o["real_time_factor"],
            "batch": o["mean_batch"], "cpu%": o["cpu_percent_mean"], "rss_mb_max": o["rss_mb_max"],
            "gpu%": o["gpu_percent_mean"], "gpu_mem_mb_max": o["gpu_mem_mb_max"],
            "scrubbers_max": o["scrubber_replicas_max"], "degradation": o["degradation_levels"]}


def compare(args: argparse.Namespace) -> None:
    """Each policy in its own process (its own Ray cluster), one after the other, then side by side."""
    lines = []
    for policy in POLICIES:
        out = args.out / policy
        cmd = [sys.executable, __file__, "--streams", str(args.streams), "--model", args.model, "--seconds",
               str(args.seconds), "--stagger", str(args.stagger), "--policy", policy, "--out", str(out)]
        subprocess.run(cmd, check=True)
        lines.append(summary_line(json.loads((out / "results.json").read_text())))
    keys = list(lines[0])
    print("\n" + " | ".join(f"{k:>12}" for k in keys))
    for line in lines:
        print(" | ".join(f"{str(line[k]):>12}" for k in keys))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=4)
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--seconds", type=float, default=120.0, help="audio each stream replays")
    parser.add_argument("--stagger", type=float, default=3.0, help="seconds between stream starts")
    parser.add_argument("--policy", choices=list(POLICIES), default="adaptive")
    parser.add_argument("--compare", action="store_true", help="run both policies and print them side by side")
    parser.add_argument("--out", type=Path, default=Path("perf/out"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.compare:
        compare(args)
        return
    args.load_at_start = [round(v, 2) for v in psutil.getloadavg()]
    results = run(args)
    (args.out / "results.json").write_text(json.dumps(results, indent=1))
    plot(results, args.out)
    print(json.dumps(summary_line(results)), flush=True)


if __name__ == "__main__":
    main()
