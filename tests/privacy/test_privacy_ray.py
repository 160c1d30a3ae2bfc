"""Ray workers inherit the hardening through the worker_process_setup_hook (a real local Ray cluster)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from privacy_helpers import CANARIES, exposed_listeners, leaked, run_python

from raytranscribe.privacy import harden_ray_worker
from raytranscribe.privacy.hardening import WORKER_SETUP_HOOK, ray_runtime_env


def test_setup_hook_names_the_worker_hardening_function():
    from ray._common.utils import load_class  # what Ray's default_worker resolves the hook with

    assert load_class(WORKER_SETUP_HOOK) is harden_ray_worker
    local = ray_runtime_env()["env_vars"]
    assert local["HF_HUB_OFFLINE"] == "1" and local["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] == "0"
    assert local["RAYTRANSCRIBE_EGRESS_ALLOW"] == ""
    joined = ray_runtime_env("10.0.0.2:6379")["env_vars"]
    assert joined["RAYTRANSCRIBE_EGRESS_ALLOW"] == "10.0.0.2" and "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER" not in joined


@pytest.mark.slow
def test_ray_workers_run_hardened(ray_temp_dir):
    result = run_python(
        # Not in a private network namespace: there Ray would see only loopback and the listener check
        # below could not fail. The worker's egress probe is a UDP connect, which sends nothing regardless.
        Path(__file__).with_name("child_ray_worker.py"), timeout=300,
        env={"CANARY_TEXT": CANARIES[0], "RAY_TEST_TEMP_DIR": ray_temp_dir},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    posture = json.loads(output.split("POSTURE ", 1)[1].splitlines()[0])
    assert posture["pid"] != os.getpid()
    assert posture == {**posture, "guard": True, "refused": True, "core_dumps_off": True, "log_policy": True,
                       "hf_offline": "1"}
    assert not leaked(output), output[-3000:]
    wrapped = json.loads(output.split("WRAPPED ", 1)[1].splitlines()[0])
    assert "PhiFreeError: ValueError: <withheld> at " in wrapped and "in wrapped" in wrapped
    assert "UNWRAPPED_LEAKS True" in output
    listeners = json.loads(output.split("LISTENERS ", 1)[1].splitlines()[0])
    assert any("raylet" in line for line in listeners)  # ss saw the cluster: the check below is not vacuous
    assert not exposed_listeners(listeners), listeners


def test_exposed_listener_detection():
    assert exposed_listeners([
        "tcp LISTEN 0 4096 [::ffff:127.0.0.1]:4 *:* users:((\"raylet\",pid=1,fd=2))",
        "tcp LISTEN 0 128 127.0.0.1:40425 0.0.0.0:*",
        "udp UNCONN 0 0 [::1]:5353 [::]:*",
    ]) == []
    assert len(exposed_listeners(["tcp LISTEN 0 128 0.0.0.0:8080 0.0.0.0:*", "tcp LISTEN 0 128 *:8080 *:*",
                                  "tcp LISTEN 0 128 [::]:8080 [::]:*", "tcp LISTEN 0 5 10.0.0.4:22 0.0.0.0:*"])) == 4
