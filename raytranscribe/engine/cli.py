"""``transcribe``, ``live`` and ``demo`` subcommands. Heavy imports happen inside the handlers."""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path

DEMO_SAMPLE = "demo_visit.wav"


def register(sub: argparse._SubParsersAction) -> None:
    t = sub.add_parser("transcribe", help="transcribe and redact an audio file")
    t.add_argument("file", help="audio file (wav, flac, mp3, ...; any rate and channel count)")
    t.add_argument("--realtime", action="store_true", help="replay at real-time pace (default: as fast as possible)")
    _common(t)
    t.set_defaults(func=_transcribe)

    live = sub.add_parser("live", help="transcribe and redact the microphone")
    live.add_argument("--device", help="sounddevice input device index or name")
    _common(live)
    live.set_defaults(func=_live)

    demo = sub.add_parser("demo", help="play the bundled sample through the full pipeline")
    demo.add_argument("--fast", action="store_true", help="replay as fast as possible (default: real time)")
    _common(demo)
    demo.set_defaults(func=_demo)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", help="tiny.en, base, or a CTranslate2 Whisper directory (default: settings)")
    p.add_argument("--jsonl", action="store_true", help="print one JSON event per line instead of the live view")


def _transcribe(args: argparse.Namespace) -> int:
    from raytranscribe.audio.decode import probe_audio
    from raytranscribe.audio.sources import FileSource

    path = Path(args.file)
    probe_audio(path)  # fail before starting the cluster on a missing or corrupt file
    return _run(args, FileSource(path, realtime=args.realtime), {})


def _live(args: argparse.Namespace) -> int:
    from raytranscribe.audio.mic import check_microphone
    from raytranscribe.audio.sources import MicSource

    device = int(args.device) if args.device is not None and args.device.isdigit() else args.device
    check_microphone(device)
    return _run(args, MicSource(device), {"audio": {"input_device": device}})


def _demo(args: argparse.Namespace) -> int:
    from raytranscribe.audio.sources import FileSource

    with resources.as_file(resources.files("raytranscribe.samples") / DEMO_SAMPLE) as sample:
        return _run(args, FileSource(sample, realtime=not args.fast), {})


def _run(args: argparse.Namespace, source: object, overrides: dict) -> int:
    from raytranscribe.engine.core import Engine
    from raytranscribe.engine.view import JsonlView, LiveView
    from raytranscribe.settings import Settings

    settings = Settings.load(config=args.config, overrides={"model": {"name": args.model}, **overrides})
    view = JsonlView() if args.jsonl else LiveView()
    with Engine(settings) as engine:
        stream = engine.open_stream(source)  # type: ignore[arg-type]
        try:
            for event in stream.events():
                view.show(event)
        except KeyboardInterrupt:
            stream.stop()
            raise
        finally:
            view.close()
    return 0

