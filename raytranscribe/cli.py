"""``raytranscribe`` command line.

Each concern registers its own subcommands from a small module that imports nothing heavy at import time
(Ray, spaCy and Whisper load only when a command runs). Front ends outside the engine (``ui``) register
through the ``raytranscribe.commands`` entry-point group, so the engine never imports them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points

from raytranscribe.errors import UserError

# Modules exposing ``register(subparsers)``; each added subparser sets ``func=handler(args) -> int``.
ENGINE_COMMANDS: tuple[str, ...] = ("raytranscribe.phi.cli", "raytranscribe.engine.cli", "raytranscribe.privacy.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="raytranscribe", description=__doc__.splitlines()[0])
    parser.add_argument("--config", help="TOML settings file (overrides configs/default.toml)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    registrars: list[Callable[[argparse._SubParsersAction], None]] = [
        importlib.import_module(name).register for name in ENGINE_COMMANDS
    ]
    for ep in entry_points(group="raytranscribe.commands"):
        try:
            registrars.append(ep.load())
        except ImportError as exc:  # a front end missing its extras must not break the engine CLI
            print(f"raytranscribe: '{ep.name}' command unavailable ({exc.name} not importable)", file=sys.stderr)
    for register in registrars:
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"raytranscribe: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
