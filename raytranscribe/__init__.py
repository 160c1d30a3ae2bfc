"""raytranscribe: real-time clinical transcription with local PHI redaction."""

__version__ = "0.1.0"
