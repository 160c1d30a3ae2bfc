"""Scores the scrubber against a gold file (``{"id", "text", "spans": [{"start", "end", "type"}]}`` lines).

Tokens are alphanumeric runs (``[A-Za-z0-9]+``). A token is PHI when it overlaps a gold span, and
redacted when a predicted span covers it entirely.

- PHI token recall: redacted PHI tokens / PHI tokens (also per gold type).
- Entity leak rate: gold spans with at least one PHI token left visible / gold spans.
- False-positive rate: redacted non-PHI tokens / non-PHI tokens.
- Speed: wall time of ``Scrubber.redact`` per utterance, p50 and p99, after warm-up; also the CPU time
  of the calling thread, which a busy shared machine disturbs far less than wall time.

Leaked and over-redacted items hold the gold text; they are returned only when asked for
(``show_items``), for synthetic development data, never for real transcripts.
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from raytranscribe.errors import UserError
from raytranscribe.phi.scrubber import Scrubber
from raytranscribe.phi.types import Span

_TOKEN = re.compile(r"[A-Za-z0-9]+")


@dataclass
class Score:
    utterances: int = 0
    phi_tokens: int = 0
    phi_redacted: int = 0
    entities: int = 0
    entities_leaked: int = 0
    other_tokens: int = 0
    other_redacted: int = 0
    by_type: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    leaked: list[str] = field(default_factory=list)
    over_redacted: list[str] = field(default_factory=list)
    ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)

    @staticmethod
    def percentile(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    def summary(self) -> dict[str, object]:
        return {
            "utterances": self.utterances,
            "phi_token_recall": round(self.phi_redacted / max(1, self.phi_tokens), 4),
            "entity_leak_rate": round(self.entities_leaked / max(1, self.entities), 4),
            "false_positive_rate": round(self.other_redacted / max(1, self.other_tokens), 4),
            "recall_by_type": {t: round(r / max(1, n), 4) for t, (r, n) in sorted(self.by_type.items())},
            "ms_per_utterance_p50": round(self.percentile(self.ms, 0.5), 2),
            "ms_per_utterance_p99": round(self.percentile(self.ms, 0.99), 2),
            "cpu_ms_per_utterance_p50": round(self.percentile(self.cpu_ms, 0.5), 2),
            "cpu_ms_per_utterance_p99": round(self.percentile(self.cpu_ms, 0.99), 2),
        }


def _covered(start: int, end: int, spans: list[Span]) -> bool:
    return any(s.start <= start and end <= s.end for s in spans)


def score_item(score: Score, item: dict, spans: list[Span], show_items: bool) -> None:
    text, gold = item["text"], item["spans"]
    score.utterances += 1
    leaked_entities: set[int] = set()
    for tok in _TOKEN.finditer(text):
        owners = [k for k, g in enumerate(gold) if g["start"] < tok.end() and tok.start() < g["end"]]
        hidden = _covered(tok.start(), tok.end(), spans)
        if owners:
            score.phi_tokens += 1
            score.phi_redacted += hidden
            for k in owners:
                score.by_type[gold[k]["type"]][0] += hidden
                score.by_type[gold[k]["type"]][1] += 1
                if not hidden:
                    leaked_entities.add(k)
        else:
            score.other_tokens += 1
            score.other_redacted += hidden
            if hidden and show_items:
                score.over_redacted.append(f"{item['id']}: {tok.group()!r}")
    score.entities += len(gold)
    score.entities_leaked += len(leaked_entities)
    if show_items:
        for k in sorted(leaked_entities):
            g = gold[k]
            score.leaked.append(f"{item['id']} {g['type']}: {text[g['start']:g['end']]!r}  in  {text!r}")


def load_gold(path: Path) -> list[dict]:
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"cannot read gold file {path.name}: {exc.__class__.__name__}") from None


def evaluate(scrubber: Scrubber, items: list[dict], show_items: bool = False, warmup: int = 5) -> Score:
    score = Score()
    for item in items[:warmup]:
        scrubber.redact(item["text"])
    for item in items:
        t0, c0 = time.perf_counter(), time.thread_time()
        redaction = scrubber.redact(item["text"])
        score.ms.append((time.perf_counter() - t0) * 1000)
        score.cpu_ms.append((time.thread_time() - c0) * 1000)
        score_item(score, item, redaction.spans, show_items)
    return score
