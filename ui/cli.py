"""``raytranscribe app``: the clinician's screen. Registered through the ``raytranscribe.commands`` entry point."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("app", help="start the engine and the clinician's screen on this machine")
    p.add_argument("--host", help="address to serve on (default 127.0.0.1; others need TLS for the browser mic)")
    p.add_argument("--port", type=int, help="port to serve on")
    p.add_argument("--native", action=argparse.BooleanOptionalAction, default=None, help="open a native window")
    p.add_argument("--line-ttl", type=float, dest="line_ttl_s", help="seconds each line stays on screen")
    p.add_argument("--lock-after", type=float, dest="lock_after_min", help="idle minutes before the page locks")
    p.add_argument("--data-dir", help="where the user store lives (no PHI)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from raytranscribe.settings import Settings
    from ui.server import run as run_app  # NiceGUI loads only when the command runs

    fields = ("host", "port", "native", "line_ttl_s", "lock_after_min", "data_dir")
    settings = Settings.load(args.config, overrides={"ui": {f: getattr(args, f) for f in fields}})
    run_app(settings)
    return 0
