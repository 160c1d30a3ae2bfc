"""``raytranscribe doctor``: reports the posture, and exits non-zero when something is unsafe."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import namedtuple

import psutil
import pytest
from privacy_helpers import NETNS, ROOT, run_python

from raytranscribe.privacy import posture
from raytranscribe.privacy.process import SwapDevice
from raytranscribe.settings import Settings

EXPECTED = {"listeners", "egress guard", "ray temp dir", "system temp dir", "swap", "core dumps", "memory lock",
            "models", "ray"}
Addr = namedtuple("Addr", "ip port")
Conn = namedtuple("Conn", "fd family type laddr raddr status pid")


def _doctor_json(prefix: list[str] | None = None) -> tuple[int, dict]:
    result = subprocess.run([*(prefix or []), sys.executable, "-m", "raytranscribe", "doctor", "--json"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    return result.returncode, json.loads(result.stdout)


def test_doctor_reports_every_check_and_exit_code_matches():
    code, report = _doctor_json()
    assert {c["name"] for c in report["checks"]} == EXPECTED
    assert code == (0 if report["safe"] else 1)
    status = {c["name"]: c["status"] for c in report["checks"]}
    assert status["egress guard"] == "ok" and status["core dumps"] == "ok"


def test_own_listener_beyond_loopback_is_unsafe(monkeypatch):
    import socket

    conns = [
        Conn(3, socket.AF_INET, socket.SOCK_STREAM, Addr("127.0.0.1", 8080), (), psutil.CONN_LISTEN, 10),
        Conn(4, socket.AF_INET, socket.SOCK_STREAM, Addr("0.0.0.0", 22), (), psutil.CONN_LISTEN, 11),
    ]
    monkeypatch.setattr(posture.psutil, "net_connections", lambda kind: conns)
    monkeypatch.setattr(posture, "_is_own", lambda pid: False)
    check = posture.check_listeners()
    assert check.status == "ok" and "0.0.0.0:22" in check.detail
    monkeypatch.setattr(posture, "_is_own", lambda pid: pid == 11)
    assert posture.check_listeners().status == "unsafe"


@pytest.mark.skipif(not NETNS, reason="needs a private network namespace (unshare) to open a wildcard listener")
def test_doctor_exits_nonzero_on_a_real_exposed_listener():
    # A process whose command line marks it as ours listens on all interfaces, inside a private namespace.
    listener = "import socket, time; s = socket.socket(); s.bind(('0.0.0.0', 0)); s.listen(); time.sleep(30)"
    script = (f'{sys.executable} -c "{listener}  # raytranscribe" & sleep 1; '
              f"{sys.executable} -m raytranscribe doctor --json; code=$?; kill $!; exit $code")
    result = subprocess.run([*NETNS, "sh", "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    report = json.loads(result.stdout)
    assert result.returncode == 1 and not report["safe"]
    assert [c["status"] for c in report["checks"] if c["name"] == "listeners"] == ["unsafe"]


def test_egress_check_fails_without_the_guard():
    probe = "from raytranscribe.privacy.posture import check_egress_guard; print(check_egress_guard().status)"
    assert run_python(probe, isolated=True).stdout.strip() == "unsafe"


def test_unencrypted_swap_is_unsafe(monkeypatch):
    monkeypatch.setattr(posture, "swap_devices", lambda: [SwapDevice("/dev/sda2", "partition", False)])
    assert posture.check_swap().status == "unsafe"
    monkeypatch.setattr(posture, "swap_devices", lambda: [SwapDevice("/dev/dm-1", "partition", True)])
    assert posture.check_swap().status == "ok"


def test_ray_temp_dir_on_disk_is_unsafe():
    on_disk = Settings.load(overrides={"cluster": {"temp_dir": ROOT}})
    if posture._filesystem(ROOT) in posture.IN_MEMORY_FILESYSTEMS:
        pytest.skip("the checkout itself lives on tmpfs")
    assert posture.check_temp_dirs(on_disk)[0].status == "unsafe"


def test_cluster_mode_without_tls_is_unsafe(monkeypatch):
    joined = Settings.load(overrides={"cluster": {"address": "10.0.0.2:6379"}})
    monkeypatch.delenv("RAY_USE_TLS", raising=False)
    assert posture.check_ray(joined).status == "unsafe"
    monkeypatch.setenv("RAY_USE_TLS", "1")
    assert posture.check_ray(joined).status == "warn"
    assert posture.check_ray(Settings.load()).status == "ok"


def test_tampered_model_is_unsafe(tmp_path):
    from raytranscribe.models.catalog import MODELS

    spec = MODELS["tiny.en"]
    settings = Settings.load(overrides={"model": {"cache_dir": tmp_path}})
    assert posture.check_models(settings).status == "ok"  # nothing assembled yet
    (tmp_path / spec.name).mkdir()
    (tmp_path / spec.name / "model.bin").write_bytes(b"not the pinned model")
    check = posture.check_models(settings)
    assert check.status == "unsafe" and spec.name in check.detail


def test_assembled_model_verifies():
    from raytranscribe.models.store import resolve_model_dir

    settings = Settings.load()
    resolve_model_dir(settings.model.name, settings.model.cache_dir)  # assemble as the engine would
    check = posture.check_models(settings)
    assert check.status == "ok" and f"verified: {settings.model.name}" in check.detail
