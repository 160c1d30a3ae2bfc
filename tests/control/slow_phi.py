"""``raytranscribe.phi`` with a slow scrubber (0.6 s per call), so the redaction steps queue up and the
controller has a reason to add a scrubber replica."""

import time

from raytranscribe.phi import Scrubber as _Scrubber
from raytranscribe.phi import StreamRedactor

__all__ = ["Scrubber", "StreamRedactor"]

DELAY_S = 0.6


class Scrubber(_Scrubber):
    def redact(self, text: str):
        time.sleep(DELAY_S)
        return super().redact(text)
