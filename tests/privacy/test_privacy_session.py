"""A whole engine session (local Ray cluster, Whisper pool, PHI scrubbers) fed spoken PHI, run under
``strace -f`` in a loopback-only network namespace: no process of the session attempts a non-loopback
connection, and no canary lands in any file or any process's output. (Listeners are checked outside a
namespace, where Ray can see routable interfaces: test_privacy_ray.py and test_privacy_doctor.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from privacy_helpers import (
    ROOT,
    changed_files,
    clip_canaries,
    leaked,
    run_python,
    snapshot,
    traced_peers,
)


@pytest.mark.slow
def test_engine_session_leaves_no_phi_and_sends_nothing(tmp_path, ray_temp_dir):
    from raytranscribe.models.store import default_cache_dir

    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir(), tmp.mkdir()
    watched = [home, tmp, Path("/dev/shm"), ROOT]
    canaries = clip_canaries()
    before = snapshot(watched)
    result = run_python(
        Path(__file__).with_name("child_engine_session.py"), isolated=True, timeout=500,
        trace=tmp_path / "strace.log", args=[json.dumps(canaries)],
        env={"HOME": str(home), "TMPDIR": str(tmp), "RAY_TEST_TEMP_DIR": ray_temp_dir,
             # the verified models already assembled for this user (not PHI; saves a 75 MB copy)
             "RAYTRANSCRIBE_MODEL__CACHE_DIR": str(default_cache_dir())},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    counts = json.loads(result.stdout.split("COUNTS ", 1)[1].splitlines()[0])
    assert counts["finals"] >= 2, counts  # text flowed: the zero hits below are not vacuous
    assert counts["session_files"] >= 1 and counts["session_hits"] == 0, counts

    syscalls = (tmp_path / "strace.log").read_text()
    assert "raylet" in syscalls or syscalls.count("\n") > 100  # strace followed the whole process tree
    assert not traced_peers(syscalls), sorted(set(traced_peers(syscalls)))

    assert not leaked(output + syscalls, canaries)
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
