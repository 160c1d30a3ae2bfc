"""``raytranscribe redact`` and ``eval-phi`` as a user runs them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "raytranscribe", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, timeout=180)


def test_redact_jsonl_and_plain_lines():
    lines = [json.dumps({"id": "a", "text": "Mister Okafor, call 617-555-0143."}), "", json.dumps({"id": 2, "text": "no phi here"})]
    done = cli("redact", "--jsonl", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert out[0] == {"id": "a", "text": "Mister [NAME], call [PHONE].", "spans": [
        {"start": 7, "end": 13, "type": "NAME", "score": out[0]["spans"][0]["score"]},
        {"start": 20, "end": 32, "type": "PHONE", "score": out[0]["spans"][1]["score"]}]}
    assert out[1] == {"id": 2, "text": "no phi here", "spans": []}


def test_bad_jsonl_line_is_one_line_error_without_content():
    done = cli("redact", "--jsonl", stdin='{"id": "a", "text": "ok"}\n{"text": "Jane Roe 555-0100"\n')
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == "raytranscribe: error: input line 2 is not valid JSON"
    assert "Jane" not in done.stderr and json.loads(done.stdout)["text"] == "ok"


def test_eval_phi_prints_scores_and_items_only_when_asked(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "x", "text": "My SSN is 078-05-1120.", "spans": [
        {"start": 10, "end": 21, "type": "SSN", "text": "078-05-1120"}]}) + "\n")
    done = cli("eval-phi", str(gold))
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["phi_token_recall"] == 1.0 and summary["entity_leak_rate"] == 0.0
    assert "078" not in done.stdout
    assert "leaked entities" in cli("eval-phi", str(gold), "--show-items").stdout


def test_missing_spacy_model_is_a_one_line_user_error(tmp_path):
    config = tmp_path / "phi.toml"
    config.write_text('[phi]\nspacy_model = "en_core_web_missing"\n')
    done = cli("--config", str(config), "redact", stdin="hello\n")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("raytranscribe: error: spaCy model 'en_core_web_missing' is not installed")
    assert done.stdout == ""
