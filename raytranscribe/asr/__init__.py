"""Speech recognition: the Whisper wrapper, VAD, hallucination guards and the streaming policy."""
