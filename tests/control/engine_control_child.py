"""Child process for test_engine_control.py: runs the scenario on a real Engine (its own Ray cluster, apart
from the test session's) and prints what the tests check as one JSON line (ids, counts, WER; no text)."""

import csv
import json
import re
import threading
import time
from pathlib import Path

import jiwer
import ray

from raytranscribe.settings import Settings

SPEECH = Path(__file__).resolve().parent.parent / "data" / "speech"
MAX_CHUNK_S = 2.0


def eager_settings() -> Settings:
    base = Settings.load()
    controller = base.controller.model_copy(update=dict(
        tick_s=0.25, persistence=1, max_chunk_s=MAX_CHUNK_S,
        pool_saturation=0.05,  # any decoding counts as saturation: walk the whole degradation ladder
        fallback_model="tiny.en",  # a second, separate pool stands in for the smaller model
        scrubber_queue_high=1.0, scrubber_queue_low=0.25, max_scrubbers=2,  # slow_phi builds such a queue
    ))
    return base.model_copy(update={"controller": controller})


def until(condition, seconds: float, every: float = 0.25):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    return None


class Reader:
    def __init__(self, stream) -> None:
        self.stream, self.events = stream, []
        self.thread = threading.Thread(target=lambda: self.events.extend(stream.events()), daemon=True)
        self.thread.start()

    def texts(self, kind: str) -> list[str]:
        return [e.text for e in self.events if getattr(e, "kind", "") == kind]


def words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split())


class RealtimeFeeder:
    """Pushes whole copies of a clip at real-time pace until told to stop (a clinician who keeps talking)."""

    def __init__(self, stream, audio) -> None:
        self.stream, self.audio, self.copies = stream, audio, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        block = 8000
        while not self.stop.is_set():
            for i in range(0, self.audio.size, block):
                self.stream.push_audio(self.audio[i : i + block])
                time.sleep(block / 16000)
            self.copies += 1
        self.stream.end_input()


def main() -> None:
    from raytranscribe.audio.decode import load_audio
    from raytranscribe.engine import Engine, FileSource, PushSource

    engine = Engine(eager_settings(), redaction_module="tests.control.slow_phi").start()
    try:
        first = Reader(engine.open_stream(PushSource()))
        feeder = RealtimeFeeder(first.stream, load_audio(SPEECH / "jfk.wav"))
        seen = {"replicas": set(), "levels": []}
        watching = threading.Event()

        def watch() -> None:  # every status change, also the short-lived ones
            while not watching.is_set():
                status = engine.status()
                seen["replicas"].add(status["scrubber_replicas"])
                seen["levels"].append(status["control"]["degradation"])
                seen["status"] = status
                time.sleep(0.1)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        status = until(lambda: seen.get("status", {}).get("control", {}).get("degradation") == "SMALLER_MODEL"
                       and seen["status"], 60)
        applied = ray.get(first.stream.whisper.chunk_sizes.remote())
        before_second = len(seen["levels"])
        second = Reader(engine.open_stream(FileSource(SPEECH / "ls_test-clean_1089-134686-0002.wav", realtime=True)))
        until(lambda: 2 in seen["replicas"] and not second.thread.is_alive(), 60)
        watching.set()
        watcher.join()
        feeder.stop.set()
        for thread in (feeder.thread, first.thread, second.thread):
            thread.join(timeout=60)
        for reader in (first, second):
            engine.close_stream(reader.stream)
        recovered = until(lambda: (s := engine.status())["control"]["degradation"] == "NONE"
                          and s["scrubber_replicas"] == 1 and s, 40)
        with open(SPEECH / "references.tsv", newline="") as f:
            reference = {r["file"]: r["reference"] for r in csv.DictReader(f, delimiter="\t")}["jfk.wav"]
        first_id = first.stream.id
        result = {
            "levels": seen["levels"], "replicas_seen": sorted(seen["replicas"]), "recovered": bool(recovered),
            "decided_chunk": status["control"]["chunks"][first_id] if status else None,
            "applied": applied.get(first_id), "applied_streams": len(applied),
            "second_on_fallback": second.stream.whisper in engine.pools["fallback"],
            "first_on_primary": first.stream.whisper in engine.pools["primary"],
            "second_finals": len([t for t in second.texts("final") if t]),
            "second_partials_shown": len([t for t in second.texts("partial") if t]),
            "levels_during_second": sorted(set(seen["levels"][before_second:])),
            "first_wer": jiwer.wer(" ".join([words(reference)] * feeder.copies),
                                   words(" ".join(first.texts("final")))),
        }
    finally:
        engine.shutdown()
    print(json.dumps(result))


if __name__ == "__main__":
    main()


