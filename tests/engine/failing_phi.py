"""A ``raytranscribe.phi`` stand-in whose scrubber always fails, to test that the pipeline fails closed."""

from raytranscribe.phi import StreamRedactor

__all__ = ["Scrubber", "StreamRedactor"]


class Scrubber:
    def __init__(self, settings: object) -> None:
        self.settings = settings

    def redact(self, text: str):
        raise RuntimeError("scrubber down")
