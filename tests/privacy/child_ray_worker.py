"""Child process for test_privacy_ray: a local Ray cluster whose workers must come up hardened."""

import json
import os
import socket
import subprocess

import psutil

from raytranscribe.privacy import harden_process, phi_free_errors, ray_runtime_env

harden_process()  # before Ray is imported: Ray reads its environment at import time
import ray  # noqa: E402


@ray.remote
def worker_posture() -> dict:
    import logging
    import os

    from raytranscribe.privacy.egress import egress_guard
    from raytranscribe.privacy.logs import log_policy_installed
    from raytranscribe.privacy.process import core_dumps_disabled

    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # UDP: sends nothing even if the guard were missing
        refused = False
    except PermissionError:
        refused = True
    finally:
        probe.close()
    logging.getLogger("raytranscribe.test").warning(f"worker saw {os.environ.get('CANARY_TEXT')}")
    return {
        "guard": egress_guard() is not None, "refused": refused, "core_dumps_off": core_dumps_disabled(),
        "log_policy": log_policy_installed(), "hf_offline": os.environ.get("HF_HUB_OFFLINE"), "pid": os.getpid(),
    }


@ray.remote
class Scrubber:
    """Stands in for an actor whose method fails on PHI text (the canary is in the exception message)."""

    @phi_free_errors
    def wrapped(self, text: str) -> None:
        raise ValueError(f"cannot redact {text}")

    def unwrapped(self, text: str) -> None:
        raise ValueError(f"cannot redact {text}")


def error_text(ref: "ray.ObjectRef") -> str:
    try:
        ray.get(ref, timeout=120)
    except Exception as exc:  # RayTaskError: carries the remote message and traceback
        return str(exc)
    return "no error"


ray.init(
    address="local", _node_ip_address="127.0.0.1", include_dashboard=False, num_cpus=1,
    runtime_env=ray_runtime_env(), configure_logging=False, _temp_dir=os.environ["RAY_TEST_TEMP_DIR"],
)
try:
    print("POSTURE", json.dumps(ray.get(worker_posture.remote(), timeout=120)), flush=True)
    scrubber = Scrubber.remote()
    canary = os.environ["CANARY_TEXT"]
    print("WRAPPED", json.dumps(error_text(scrubber.wrapped.remote(canary))), flush=True)
    # The positive control, printed in digits only: without the wrapper, the canary crosses Ray.
    print("UNWRAPPED_LEAKS", canary in error_text(scrubber.unwrapped.remote(canary)), flush=True)
    # The listeners of this session: this process and everything it started (Ray's daemons and workers).
    ours = {os.getpid(), *(p.pid for p in psutil.Process().children(recursive=True))}
    listeners = subprocess.run(["ss", "-H", "-l", "-t", "-u", "-n", "-p"], capture_output=True, text=True).stdout
    mine = [line for line in listeners.splitlines() if any(f"pid={pid}," in line for pid in ours)]
    print("LISTENERS", json.dumps(mine), flush=True)
finally:
    ray.shutdown()
