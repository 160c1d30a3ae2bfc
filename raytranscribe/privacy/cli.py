"""``raytranscribe doctor``: print the privacy posture of this machine; exit 1 when something is unsafe."""

from __future__ import annotations

import argparse
import json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("doctor", help="check this machine's privacy posture (exit 1 if unsafe)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from raytranscribe.privacy.posture import survey  # psutil, numpy: only when the command runs
    from raytranscribe.settings import Settings

    checks = survey(Settings.load(args.config))
    unsafe = any(c.status == "unsafe" for c in checks)
    if args.json:
        print(json.dumps({"safe": not unsafe, "checks": [c.as_dict() for c in checks]}, indent=2))
    else:
        for check in checks:
            print(f"{check.status.upper():6} {check.name}: {check.detail}")
        print("UNSAFE: fix the items above before handling PHI" if unsafe else "privacy posture OK")
    return 1 if unsafe else 0
