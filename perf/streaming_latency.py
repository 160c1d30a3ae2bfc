"""Real-time streaming benchmark: per-word display latency and WER of the committed text.

Replays each file at real-time pace (audio becomes available as the wall clock advances) into the same
streaming core the Whisper actors run, one pass at a time over all audio that arrived meanwhile (the
pipeline's loop), and measures per word against an offline faster-whisper pass of the same model:

  commit latency  = wall time the word was committed - offline end time of the word
  first display   = wall time the word first appeared (interim or committed) - offline end time
  drift           = commit latency p50 over the first vs the last minute of the run, and per minute (one
                    minute holds about 100 words: a trend over the minutes says more than two of them);
                    and the decoder's lag per minute: wall time after each pass minus the stream time of the
                    audio it had taken, which grows when a stream falls behind whatever is being said
  WER             = streaming (committed) and offline text, each against the human transcript of the same
                    span (the reference cut where the offline words stop matching it), and the streaming
                    text against the offline text; lowercase, punctuation and hesitation sounds (um, uh) stripped
  busy            = share of wall time spent decoding

With ``--chunk S`` the audio is fed in fixed S-second chunks as fast as the CPU allows instead: the passes,
and so the WER, then repeat exactly from run to run and machine to machine (a real-time run's chunks follow
the machine's timing and move the WER by a point or two); no latency is measured.

Usage:  python3 perf/streaming_latency.py [--models tiny.en base] [--seconds 120] [--files osce_RES0198.mp3 ...]
                                          [--chunk 0.6]
Timings depend on machine load: state the conditions with the numbers.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import re
import sys
import time
from pathlib import Path

import jiwer
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from raytranscribe.asr.streaming import StreamingTranscriber  # noqa: E402
from raytranscribe.asr.vad import SpeechDetector  # noqa: E402
from raytranscribe.asr.whisper import WhisperDecoder  # noqa: E402
from raytranscribe.asr.words import FILLERS, normalize  # noqa: E402
from raytranscribe.audio.decode import load_audio  # noqa: E402
from raytranscribe.models import load_whisper  # noqa: E402
from raytranscribe.settings import Settings  # noqa: E402

SPEECH = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "speech"
DEFAULT_FILES = ["osce_RES0198.mp3", "osce_RES0201.mp3", "osce_RES0204.mp3", "osce_RES0207.mp3"]
RATE = 16000


def norm(text: str) -> list[str]:
    """Lowercase words without punctuation or hesitation sounds (um, uh: as Whisper's English normalizer
    scores; the human transcripts write some, offline Whisper sometimes all, the stream leaves them out)."""
    spoken = " ".join(t for t in text.lower().split() if normalize(t) not in FILLERS)
    return re.sub(r"[^a-z0-9' ]+", " ", spoken.replace("-", " ")).split()


def offline_words(model, audio):
    segments, _ = model.transcribe(audio, language="en", word_timestamps=True, vad_filter=False)
    words = []
    for seg in segments:
        for w in seg.words or []:
            for key in norm(w.word):
                words.append((key, float(w.end)))
    return words


def new_policy(model, settings) -> StreamingTranscriber:
    return StreamingTranscriber(WhisperDecoder(model, settings.streaming), settings.streaming,
                                SpeechDetector(settings.streaming.vad_threshold))


def stream_fixed(model, settings, audio, chunk_s: float) -> list[str]:
    """The committed keys, the audio fed in fixed chunks."""
    policy, step = new_policy(model, settings), int(chunk_s * RATE)
    updates = [policy.feed(audio[i : i + step]) for i in range(0, audio.size, step)] + [policy.finish()]
    return [k for u in updates for w in u.committed for k in norm(w.text)]


def stream_realtime(model, settings, audio):
    """Returns committed [(key, shown_t)], updates [(t, n_committed, interim keys)], lags [(audio_t, lag)],
    busy seconds and the wall time."""
    policy = new_policy(model, settings)
    committed, updates, lags, busy = [], [], [], 0.0
    fed, t0 = 0, time.perf_counter()
    while fed < audio.size:
        due = min(audio.size, int((time.perf_counter() - t0) * RATE))
        if due - fed < int(0.1 * RATE) and due < audio.size:
            time.sleep(0.02)
            continue
        started = time.perf_counter()
        update = policy.feed(audio[fed:due])
        busy += time.perf_counter() - started
        fed = due
        now = time.perf_counter() - t0
        committed += [(k, now) for w in update.committed for k in norm(w.text)]
        updates.append((now, len(committed), [k for w in update.interim for k in norm(w.text)]))
        lags.append((fed / RATE, now - fed / RATE))
    update = policy.finish()
    now = time.perf_counter() - t0
    committed += [(k, now) for w in update.committed for k in norm(w.text)]
    return committed, updates, lags, busy, now


def align(a: list[str], b: list[str]) -> dict[int, int]:
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return {blk.a + i: blk.b + i for blk in sm.get_matching_blocks() for i in range(blk.size)}


def measure(offline, committed, updates):
    okeys = [k for k, _ in offline]
    ends = np.array([e for _, e in offline])
    c2o = align([k for k, _ in committed], okeys)
    commit_lat = {j: committed[i][1] - ends[j] for i, j in c2o.items()}
    first = {j: committed[i][1] for i, j in c2o.items()}
    last_o = [max([c2o[i] for i in range(n) if i in c2o], default=-1) for _, n, _ in updates]
    for (t, n, interim), j0 in zip(updates, last_o):
        window = okeys[j0 + 1 : j0 + 1 + len(interim) + 20]
        for i, j in align(interim, window).items():
            jj = j0 + 1 + j
            first[jj] = min(first.get(jj, t), t)
    first_lat = {j: first[j] - ends[j] for j in first}
    return commit_lat, first_lat, ends


def references() -> dict[str, str]:
    with open(SPEECH / "manifest.tsv", newline="") as f:
        return {row["file"]: row["reference"] for row in csv.DictReader(f, delimiter="\t")}


def reference_span(reference: str, offline_keys: list[str]) -> str:
    """The human transcript up to where the (possibly clipped) offline transcript ends."""
    ref = norm(reference)
    sm = difflib.SequenceMatcher(a=offline_keys, b=ref, autojunk=False)
    # Runs of 3+ words only: a lone "okay" may match anywhere in a 10-minute transcript.
    ends = [blk.b + blk.size for blk in sm.get_matching_blocks() if blk.size >= 3]
    return " ".join(ref[: max(ends)]) if ends else ""


def pct(values, q):
    return float(np.percentile(values, q)) if len(values) else float("nan")


def scores(name: str, okeys: list[str], streamed: list[str]) -> dict:
    """WER of the streamed and the offline keys against the human transcript, and of one against the other."""
    text = " ".join(streamed) or "<empty>"
    ref = reference_span(references().get(name, ""), okeys)
    return {"wer_stream": jiwer.wer(ref, text) if ref else float("nan"),
            "wer_offline": jiwer.wer(ref, " ".join(okeys)) if ref else float("nan"),
            "wer_vs_offline": jiwer.wer(" ".join(okeys), text)}


def realtime(name: str, model, settings, audio, offline) -> dict:
    """Latency, WER and decoder load of a real-time replay."""
    committed, updates, lags, busy, wall = stream_realtime(model, settings, audio)
    commit_lat, first_lat, ends = measure(offline, committed, updates)
    cl = np.array(list(commit_lat.values()))
    fl = np.array(list(first_lat.values()))
    dur = audio.size / RATE
    first_min = [v for j, v in commit_lat.items() if ends[j] < 60]
    last_min = [v for j, v in commit_lat.items() if ends[j] >= dur - 60]
    minutes = [[v for j, v in commit_lat.items() if m * 60 <= ends[j] < (m + 1) * 60]
               for m in range(int(dur // 60) + 1)]
    return {"commit_p50": pct(cl, 50), "commit_p90": pct(cl, 90), "first_display_p50": pct(fl, 50),
            "first_min_commit_p50": pct(first_min, 50), "last_min_commit_p50": pct(last_min, 50),
            "commit_p50_by_minute": [round(pct(m, 50), 2) for m in minutes if m],
            "lag_p50_by_minute": [round(pct([lag for t, lag in lags if m * 60 <= t < (m + 1) * 60], 50), 2)
                                  for m in range(len(minutes))],
            **scores(name, [k for k, _ in offline], [k for k, _ in committed]),
            "words_matched": f"{len(cl)}/{len(offline)}", "busy": busy / wall}


def fixed_chunks(name: str, model, settings, audio, offline, chunk_s: float) -> dict:
    """WER of a replay in fixed chunks, and its real-time factor."""
    started = time.perf_counter()
    streamed = stream_fixed(model, settings, audio, chunk_s)
    rtf = (time.perf_counter() - started) / (audio.size / RATE)
    return {"chunk_s": chunk_s, **scores(name, [k for k, _ in offline], streamed), "rtf": rtf}


def run(model_name: str, files: list[str], seconds: float, settings: Settings, chunk_s: float = 0.0) -> list[dict]:
    s = settings.model_copy(update={"model": settings.model.model_copy(update={"name": model_name})})
    model, placement = load_whisper(s.model)
    rows = []
    for name in files:
        audio = load_audio(SPEECH / name)[: int(seconds * RATE)]
        offline = offline_words(model, audio)
        measured = (fixed_chunks(name, model, s, audio, offline, chunk_s) if chunk_s
                    else realtime(name, model, s, audio, offline))
        row = {"model": model_name, "device": placement.device, "file": name,
               "seconds": round(audio.size / RATE, 1), **measured}
        rows.append(row)
        print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}), flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base"])
    parser.add_argument("--files", nargs="+", default=DEFAULT_FILES)
    parser.add_argument("--seconds", type=float, default=120.0, help="replay the first N seconds of each file")
    parser.add_argument("--chunk", type=float, default=0.0, metavar="S",
                        help="feed fixed S-second chunks as fast as possible (repeatable WER, no latency)")
    args = parser.parse_args()
    settings = Settings.load()
    for model_name in args.models:
        rows = run(model_name, args.files, args.seconds, settings, args.chunk)
        keys = ("wer_stream", "wer_offline", "wer_vs_offline") + (
            ("rtf",) if args.chunk else ("commit_p50", "commit_p90", "first_display_p50", "busy"))
        summary = {k: round(float(np.nanmean([r[k] for r in rows])), 3) for k in keys}
        print(f"SUMMARY {model_name} (mean over {len(rows)} files): {json.dumps(summary)}", flush=True)


if __name__ == "__main__":
    main()
