"""PHI detection and redaction: ``Scrubber`` (one text) and ``StreamRedactor`` (committed ASR pieces).

A plain library: no Ray, no I/O, nothing logged. Importing this package is cheap; Presidio and spaCy load
when the first ``Scrubber`` is built.
"""

from raytranscribe.phi.scrubber import Scrubber
from raytranscribe.phi.stream import StreamRedactor
from raytranscribe.phi.types import PLACEHOLDERS, Redaction, RedactionError, Span

__all__ = ["PLACEHOLDERS", "Redaction", "RedactionError", "Scrubber", "Span", "StreamRedactor"]
