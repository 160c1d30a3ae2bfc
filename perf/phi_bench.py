"""PHI scrubber benchmark: quality on a gold file and milliseconds per utterance on one CPU core.

    python3 perf/phi_bench.py [GOLD.jsonl ...] [--repeat N] [--show-items]

Defaults to ../shared/data/phi/dev.jsonl and the transcript gold of the spoken clips beside it. Pins the
process to one core and one BLAS thread before numpy loads, so the number means "one core". Prints the
machine load too: on a shared machine timings are noisy; compare runs taken under similar load.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data" / "phi"

from raytranscribe.phi.evaluate import evaluate, load_gold  # noqa: E402
from raytranscribe.phi.scrubber import Scrubber  # noqa: E402
from raytranscribe.settings import Settings  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="*", type=Path, default=[SHARED / "dev.jsonl", SHARED / "audio" / "clips.jsonl"])
    parser.add_argument("--repeat", type=int, default=3, help="timing passes over each file (quality from the first)")
    parser.add_argument("--show-items", action="store_true", help="print leaked/over-redacted items (dev data only)")
    args = parser.parse_args()

    scrubber = Scrubber(Settings.load().phi)
    for path in args.gold:
        items = load_gold(path)
        score = evaluate(scrubber, items, show_items=args.show_items)
        for _ in range(args.repeat - 1):
            again = evaluate(scrubber, items, warmup=0)
            score.ms.extend(again.ms)
            score.cpu_ms.extend(again.cpu_ms)
        summary = score.summary()
        summary["file"] = path.name
        summary["timed_calls"] = len(score.ms)
        summary["load_average_1min"] = round(os.getloadavg()[0], 2)
        summary["cpu_cores_used"] = 1
        print(json.dumps(summary, indent=2))
        if args.show_items:
            print("leaked:", *score.leaked or ["(none)"], sep="\n  ")
            print("over-redacted:", *score.over_redacted or ["(none)"], sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
