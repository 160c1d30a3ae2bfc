"""``raytranscribe redact`` and ``raytranscribe eval-phi``. Imports nothing heavy until a command runs."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    redact = subparsers.add_parser("redact", help="redact PHI from text lines on stdin")
    redact.add_argument("--jsonl", action="store_true", help='read {"id","text"} lines; write text, spans')
    redact.add_argument("--score-threshold", type=float, help="minimum detector confidence (default from settings)")
    redact.set_defaults(func=run_redact)

    evaluate = subparsers.add_parser("eval-phi", help="score PHI redaction against a gold JSONL file")
    evaluate.add_argument("gold", type=Path, help='lines of {"id","text","spans":[{"start","end","type"}]}')
    evaluate.add_argument("--show-items", action="store_true",
                          help="also print leaked and over-redacted items (they contain the gold text: dev data only)")
    evaluate.add_argument("--score-threshold", type=float, help="minimum detector confidence (default from settings)")
    evaluate.set_defaults(func=run_eval)


def _scrubber(args: argparse.Namespace):
    from raytranscribe.phi.scrubber import Scrubber
    from raytranscribe.settings import Settings

    settings = Settings.load(args.config, overrides={"phi": {"score_threshold": args.score_threshold}})
    return Scrubber(settings.phi)


def run_redact(args: argparse.Namespace) -> int:
    from raytranscribe.errors import UserError
    from raytranscribe.phi.types import RedactionError

    scrubber = _scrubber(args)
    for number, line in enumerate(sys.stdin, start=1):
        line = line.rstrip("\n")
        try:
            if args.jsonl:
                item = _parse(line, number)
                if item is None:
                    continue
                red = scrubber.redact(item["text"])
                spans = [{"start": s.start, "end": s.end, "type": s.type, "score": s.score} for s in red.spans]
                out = json.dumps({"id": item.get("id"), "text": red.text, "spans": spans})
            else:
                out = scrubber.redact(line).text
        except RedactionError:
            raise UserError(f"redaction failed on input line {number}; nothing was written for it") from None
        print(out, flush=True)
    return 0


def _parse(line: str, number: int) -> dict | None:
    from raytranscribe.errors import UserError

    if not line.strip():
        return None
    try:
        item = json.loads(line)
    except json.JSONDecodeError:
        raise UserError(f"input line {number} is not valid JSON") from None
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise UserError(f'input line {number} needs a "text" string field')
    return item


def run_eval(args: argparse.Namespace) -> int:
    from raytranscribe.phi.evaluate import evaluate, load_gold

    items = load_gold(args.gold)
    score = evaluate(_scrubber(args), items, show_items=args.show_items)
    print(json.dumps(score.summary(), indent=2))
    if args.show_items:
        print("\nleaked entities:", *score.leaked or ["(none)"], sep="\n  ")
        print("\nover-redacted tokens:", *score.over_redacted or ["(none)"], sep="\n  ")
    return 0
