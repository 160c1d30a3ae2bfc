"""What the scrubber returns, and the placeholder shown for each kind of identifier."""

from __future__ import annotations

from dataclasses import dataclass, field

# A placeholder names the kind of identifier only; it never encodes the original (no hashes, lengths).
PLACEHOLDERS: dict[str, str] = {
    "NAME": "[NAME]",
    "DATE": "[DATE]",
    "AGE": "[AGE]",
    "PHONE": "[PHONE]",
    "EMAIL": "[EMAIL]",
    "URL": "[URL]",
    "ADDRESS": "[ADDRESS]",
    "CITY": "[ADDRESS]",
    "ZIP": "[ADDRESS]",
}
DEFAULT_PLACEHOLDER = "[ID]"  # SSN, MRN, HEALTH_PLAN, ACCOUNT, LICENSE, VEHICLE, DEVICE, IP_ADDRESS, ID
# Recognizer metadata flag of a name or place that the grammar of the sentence shows: kept even when it is a
# stop word ("my son Will drove me", where "will" is no modal; "in Normal, Illinois").
BY_GRAMMAR = "by_grammar"


def placeholder(entity_type: str) -> str:
    return PLACEHOLDERS.get(entity_type, DEFAULT_PLACEHOLDER)


@dataclass(frozen=True)
class Span:
    """A detected identifier: [start, end) in the input text, its type and detector confidence."""

    start: int
    end: int
    type: str
    score: float


@dataclass(frozen=True)
class Redaction:
    text: str
    spans: list[Span] = field(default_factory=list)


class RedactionError(RuntimeError):
    """Detection failed; carries no text from the input (callers show nothing: fail closed)."""
