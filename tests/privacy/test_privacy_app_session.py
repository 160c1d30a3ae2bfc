"""The whole product in one session: ``raytranscribe app`` (NiceGUI, the engine's Ray cluster, Whisper, the PHI
scrubber) and headless Chromium whose fake microphone plays spoken PHI, all under ``strace -f`` in a
loopback-only network namespace with a fresh HOME, TMPDIR and working directory. The scrubber replica is
killed mid-session. One run (child_app_session.py) serves both tests below."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from privacy_helpers import ROOT, changed_files, clip_canaries, leaked, run_python, snapshot, traced_attempts

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (Path("/usr/bin/chromium").exists() and Path("/usr/bin/chromedriver").exists()),
                       reason="needs /usr/bin/chromium and /usr/bin/chromedriver"),
]


BROWSER = ("/usr/lib/chromium/chromium", "/usr/bin/chromedriver")
# Chromium's network stack (chromedriver's too) asks the routing table whether IPv6 is reachable by a UDP
# connect to this address, which sends no packet. Nothing else may show up, from any program.
IPV6_PROBE = ("2001:4860:4860::8888", 443)


@pytest.fixture(scope="module")
def app_session(tmp_path_factory):
    from raytranscribe.models.store import default_cache_dir

    base = tmp_path_factory.mktemp("app-session")
    home, tmp, cwd = base / "home", base / "tmp", base / "cwd"
    for path in (home, tmp, cwd):
        path.mkdir()
    ray_dir = Path(tempfile.mkdtemp(prefix="rt", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
    watched = [home, tmp, cwd, Path("/dev/shm"), ROOT]
    canaries = clip_canaries()
    before = snapshot(watched)
    trace = base / "strace.log"
    try:
        result = run_python(
            Path(__file__).with_name("child_app_session.py"), isolated=True, timeout=580, trace=trace, cwd=cwd,
            args=[json.dumps(canaries), json.dumps([str(p) for p in watched])],
            env={"HOME": str(home), "TMPDIR": str(tmp), "RAYTRANSCRIBE_CLUSTER__TEMP_DIR": str(ray_dir),
                 # one replica, so killing it leaves no other to redact meanwhile
                 "RAYTRANSCRIBE_CLUSTER__SCRUBBER_REPLICAS": "1",
                 # the verified models already assembled for this user (not PHI; saves a 75 MB copy)
                 "RAYTRANSCRIBE_MODEL__CACHE_DIR": str(default_cache_dir())})
        left = changed_files(before, watched)
    finally:
        shutil.rmtree(ray_dir, ignore_errors=True)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    counts = json.loads(result.stdout.split("COUNTS ", 1)[1].splitlines()[0])
    print("app session:", counts)  # numbers and flags only (-s shows them)
    return {"counts": counts, "output": output, "syscalls": trace.read_text(), "left": left, "canaries": canaries}


def test_app_and_browser_session_leaves_no_phi_and_sends_nothing(app_session):
    counts, syscalls, canaries = app_session["counts"], app_session["syscalls"], app_session["canaries"]
    assert counts["text_before_kill"] and counts.get("text_back_after_s"), counts  # text flowed: not vacuous
    assert counts["files_searched"] >= 10, counts  # the live session's files, the Ray session dir among them
    assert counts["file_hits"] == 0 and counts["page_hits"] == 0, counts
    assert syscalls.count("\n") > 1000  # strace followed the whole process tree (app, Ray, Chromium)
    attempts = [a for a in traced_attempts(syscalls) if not (a[0] in BROWSER and a[1:] == IPV6_PROBE)]
    assert not attempts, sorted(set(attempts))
    assert not leaked(app_session["output"] + syscalls, canaries)
    for path, content in app_session["left"].items():
        assert not leaked(content, canaries), f"canaries in {path}"


def test_page_fails_closed_when_the_scrubber_is_killed_and_text_returns_after_restart(app_session):
    counts = app_session["counts"]
    assert counts["killed"] >= 1, counts
    assert counts["down_polls"] > 0, "the page never said 'redaction unavailable'"
    assert counts["text_while_down"] == 0, "transcript text stayed on screen while redaction was down"
    assert counts.get("text_back_after_s"), "no text after Ray restarted the scrubber"


def test_traced_attempts_name_the_program_of_each_thread():
    trace = (
        '10  execve("/usr/bin/chromium", [...], 0x1 /* 3 vars */) = 0\n'
        '10  clone3({flags=CLONE_VM, ...} <unfinished ...>\n'
        '10  <... clone3 resumed>, 88) = 11\n'
        '11  execve("/proc/self/exe", [...], 0x1 /* 3 vars */) = 0\n'
        '11  clone(child_stack=0x1, flags=CLONE_VM) = 12\n'
        '12  connect(5, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("192.0.2.1")}, 16) = -1\n'
        '12  connect(6, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}, 16) = 0\n'
        '13  connect(7, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("192.0.2.2")}, 16) = -1\n'
    )
    assert traced_attempts(trace) == [("/usr/bin/chromium", "192.0.2.1", 53), ("?", "192.0.2.2", 443)]
