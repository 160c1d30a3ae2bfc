"""The local-only Ray bootstrap, in a child process (the suite's engine holds this process's Ray)."""

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # real model, Ray cluster or subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PROBE = r"""
import ipaddress, json, os, sys
import psutil
from raytranscribe.cluster.bootstrap import LocalCluster
from raytranscribe.settings import Settings

cluster = LocalCluster(Settings.load().cluster)
cluster.start()
import ray

@ray.remote
def ping():
    return os.getpid()

ray.get(ping.remote())
session = str(cluster.session_dir)
def listening(p):
    try:
        return [c.laddr.ip for c in p.net_connections(kind="inet") if c.status == "LISTEN"]
    except psutil.NoSuchProcess:  # a short-lived helper process exited meanwhile
        return []

procs = [psutil.Process()] + psutil.Process().children(recursive=True)
listeners = sorted({ip for p in procs for ip in listening(p)})
cluster.shutdown()
print(json.dumps({"session": session, "listeners": listeners, "exists_after": os.path.exists(session),
                  "pid": os.getpid()}))
"""


def test_cluster_is_loopback_only_and_leaves_nothing(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True,
                            timeout=240, env={**os.environ, "HOME": str(home)})
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["session"].startswith("/dev/shm/")  # tmpfs
    assert not report["exists_after"]
    assert report["listeners"] and all(ip in {"127.0.0.1", "::ffff:127.0.0.1", "::1"} for ip in report["listeners"])
    assert list(home.iterdir()) == []  # nothing written under HOME
    # Ray's default session dirs are /tmp/ray/session_<time>_<driver pid>: none may be ours.
    ours = [d for d in (os.listdir("/tmp/ray") if os.path.isdir("/tmp/ray") else []) if d.endswith(f"_{report['pid']}")]
    assert ours == []


def test_stale_session_dirs_are_swept_but_live_ones_kept(tmp_path):
    import subprocess
    import sys

    from raytranscribe.cluster.bootstrap import sweep_stale_sessions

    stale, live, other = tmp_path / "raytranscribe-dead", tmp_path / "raytranscribe-live", tmp_path / "keep"
    for d in (stale, live, other):
        (d / "logs").mkdir(parents=True)
    # A process naming the dir on its command line stands for a running Ray session.
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", str(live)])
    try:
        assert sweep_stale_sessions(tmp_path) == [stale]
    finally:
        holder.kill()
    assert not stale.exists() and live.exists() and other.exists()
