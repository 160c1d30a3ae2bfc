"""Child process for test_gpu.py: an Engine of two base replicas sharing the GPU (fractional GPUs), four
streams at once. Prints one JSON line of placements, GPU resources and per-stream WER (no text)."""

import csv
import json
import threading

import ray
from engine_helpers import SPEECH, wer

from raytranscribe.engine import Engine, FileSource, TranscriptEvent
from raytranscribe.settings import Settings

REPLICAS, FRACTION, STREAMS = 2, 0.25, 4


def main() -> None:
    s = Settings.load()
    settings = s.model_copy(update={
        "model": s.model.model_copy(update={"name": "base"}),
        "cluster": s.cluster.model_copy(update={"whisper_replicas": REPLICAS, "gpu_fraction": FRACTION}),
    })
    with open(SPEECH / "references.tsv", newline="") as f:
        reference = {row["file"]: row["reference"] for row in csv.DictReader(f, delimiter="\t")}
    engine = Engine(settings).start()
    try:
        placements = [ray.get(w.ready.remote()) for w in engine.whispers]
        gpus = {"total": ray.cluster_resources().get("GPU", 0.0), "free": ray.available_resources().get("GPU", 0.0)}
        texts, hosts = [""] * STREAMS, [-1] * STREAMS

        def transcribe(i: int) -> None:
            stream = engine.open_stream(FileSource(SPEECH / "jfk.wav"))
            hosts[i] = engine.whispers.index(stream.whisper)
            events = stream.events()
            texts[i] = " ".join(e.text for e in events if isinstance(e, TranscriptEvent) and e.kind == "final")

        threads = [threading.Thread(target=transcribe, args=(i,)) for i in range(STREAMS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        engine.shutdown()
    print(json.dumps({"placements": placements, "gpus": gpus, "hosts": sorted(hosts),
                      "wers": [round(wer(reference["jfk.wav"], t), 3) for t in texts]}))


if __name__ == "__main__":
    main()
