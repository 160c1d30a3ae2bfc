"""Child process for test_privacy_session: a whole engine session (local Ray cluster, Whisper pool, PHI
scrubbers) fed clips in which PHI is spoken. It prints counts only, never text. Before the engine shuts
down (and deletes its Ray session dir), it searches that dir for the canaries itself."""

import json
import os
import sys
from pathlib import Path

from privacy_helpers import leaked

from raytranscribe.engine import Engine, FileSource, TranscriptEvent
from raytranscribe.settings import Settings

clips = Path(__file__).resolve().parents[1] / "data" / "privacy"
canaries = tuple(json.loads(sys.argv[1]))
settings = Settings.load(overrides={"cluster": {"temp_dir": os.environ["RAY_TEST_TEMP_DIR"]}})
finals = session_hits = session_files = 0
with Engine(settings) as engine:
    for line in (clips / "clips.jsonl").read_text().splitlines():
        stream = engine.open_stream(FileSource(clips / json.loads(line)["file"]))
        for event in stream.events():
            finals += isinstance(event, TranscriptEvent) and event.kind == "final" and bool(event.text)
        engine.close_stream(stream)
    for path in Path(os.environ["RAY_TEST_TEMP_DIR"]).rglob("*"):
        if path.is_file():
            session_files += 1
            session_hits += len(leaked(path.read_bytes().decode("latin-1"), canaries))
print("COUNTS", json.dumps({"finals": finals, "session_files": session_files, "session_hits": session_hits}))
