"""faster-whisper, spaCy and Presidio in a hardened process: no network attempt, no PHI in files or output.

The whole-session version (Ray + engine + app + browser) builds on this once the engine is in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from privacy_helpers import changed_files, clip_canaries, leaked, run_python, snapshot, traced_peers


@pytest.mark.slow
def test_speech_and_phi_libraries_stay_offline_and_leave_nothing(tmp_path):
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir(), tmp.mkdir()
    watched = [home, tmp, Path("/dev/shm"), Path.cwd()]
    before = snapshot(watched)
    result = run_python(
        Path(__file__).with_name("child_library_session.py"), isolated=True, timeout=300,
        trace=tmp_path / "strace.log",
        env={"HOME": str(home), "TMPDIR": str(tmp), "XDG_CACHE_HOME": str(home / ".cache")},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    counts = json.loads(result.stdout.split("COUNTS ", 1)[1].splitlines()[0])
    # Positive controls: the PHI really was spoken, heard and found, so zero hits below mean something.
    assert counts["canaries_heard"] >= 3 and counts["phi_spans"] >= 3, counts

    syscalls = (tmp_path / "strace.log").read_text()
    assert "inet_" in syscalls  # strace did trace this process's socket calls
    assert not traced_peers(syscalls), sorted(set(traced_peers(syscalls)))

    canaries = clip_canaries()
    assert not leaked(result.stdout + result.stderr + syscalls, canaries)
    for path, content in changed_files(before, watched).items():
        assert not leaked(content, canaries), f"canaries in {path}"


def test_traced_peer_detection():
    trace = (
        'connect(3, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("192.0.2.1")}, 16) = -1\n'
        'bind(3, {sa_family=AF_INET6, sin6_port=htons(0), inet_pton(AF_INET6, "::1", &sin6_addr)}, 28) = 0\n'
        'connect(4, {sa_family=AF_INET6, inet_pton(AF_INET6, "2001:db8::1", &sin6_addr)}, 28) = -1\n'
        'connect(5, {sa_family=AF_INET, sin_addr=inet_addr("127.0.0.1")}, 16) = 0\n'
    )
    assert traced_peers(trace) == ["192.0.2.1", "2001:db8::1"]
