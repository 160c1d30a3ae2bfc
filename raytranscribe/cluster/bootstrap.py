"""A local-only Ray cluster that leaves nothing behind.

Ray's defaults are wrong for PHI: listeners on every interface, a dashboard, usage stats, cloud metadata
probes, log files per worker, object spilling to disk and a session directory left under /tmp/ray. Here:
every listener is on 127.0.0.1, the session lives in a fresh directory on tmpfs that is removed at
shutdown (and at exit), nothing is spilled, and worker output goes to stderr, not files.

Joining a multi-workstation cluster (``cluster.address``) is the operator's choice; such a cluster must run
with Ray's TLS (``RAY_USE_TLS=1`` and ``RAY_TLS_SERVER_CERT`` / ``RAY_TLS_SERVER_KEY`` / ``RAY_TLS_CA_CERT``
on every node), see the README.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import raytranscribe
from raytranscribe.cluster.worker import OFFLINE_ENV, THREAD_ENV, setup_process
from raytranscribe.errors import UserError
from raytranscribe.privacy import harden_process, ray_runtime_env
from raytranscribe.settings import ClusterSettings

LOOPBACK_VAR = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"
# Read by Ray at import and by every process it starts.
RAY_ENV = {
    LOOPBACK_VAR: "0",  # keeps GCS, raylet and object manager on 127.0.0.1 (local mode only)
    "RAY_USAGE_STATS_ENABLED": "0",
    "RAY_LOG_TO_STDERR": "1",  # no per-worker log files
    "RAY_DEDUP_LOGS": "0",
    "RAY_enable_metrics_collection": "0",  # no metrics agent/exporter ports
    "RAY_DISABLE_DOCKER_CPU_WARNING": "1",
    "RAY_BACKEND_LOG_LEVEL": "error",  # raylet, GCS and core workers: errors only (they go to stderr)
}
SESSION_PREFIX = "raytranscribe-"
OBJECT_STORE_BYTES = 512 * 1024**2  # audio chunks and transcripts are small; keep shared memory modest


class LocalCluster:
    def __init__(self, settings: ClusterSettings) -> None:
        self.settings = settings
        self.session_dir: Path | None = None

    def start(self) -> None:
        local = not self.settings.address
        if local:
            _force_loopback()
        harden_process(self.settings.address)  # egress guard, log policy, core dumps, offline env
        setup_process()
        import ray

        if ray.is_initialized():
            raise UserError("a Ray session is already running in this process")
        ray_env = RAY_ENV if local else {k: v for k, v in RAY_ENV.items() if k != LOOPBACK_VAR}
        env_vars = {**ray_env, **THREAD_ENV, **OFFLINE_ENV, **ray_runtime_env(self.settings.address)["env_vars"],
                    "PYTHONPATH": _package_parent()}
        runtime_env = {"env_vars": env_vars, "worker_process_setup_hook": "raytranscribe.cluster.worker.setup_process"}
        if self.settings.address:
            ray.init(address=self.settings.address, runtime_env=runtime_env, log_to_driver=False,
                     logging_level="ERROR")
            return
        sweep_stale_sessions(Path(self.settings.temp_dir))
        self.session_dir = Path(tempfile.mkdtemp(prefix=SESSION_PREFIX, dir=self.settings.temp_dir))
        atexit.register(self.shutdown)
        # Ray reads cluster-launcher config from HOME and probes cloud metadata without it; an empty
        # config in a private HOME stops that, and keeps Ray from writing under the user's HOME.
        home = self.session_dir / "home"
        home.mkdir()
        (home / "ray_bootstrap_config.yaml").write_text("{}\n")
        saved_home = os.environ.get("HOME")
        os.environ["HOME"] = str(home)
        try:
            with _silenced_children():
                ray.init(
                    num_cpus=self.settings.num_cpus or os.cpu_count(),
                    num_gpus=None,
                    include_dashboard=False,
                    _node_ip_address="127.0.0.1",
                    _temp_dir=str(self.session_dir),
                    # No spill files; workers at the driver's priority (Ray's default runs them 15 nice
                    # steps lower, which starves real-time ASR on a busy workstation).
                    _system_config={"automatic_object_spilling_enabled": False, "worker_niceness": 0},
                    object_store_memory=OBJECT_STORE_BYTES,
                    runtime_env=runtime_env,
                    log_to_driver=False,
                    logging_level="ERROR",
                    configure_logging=True,
                )
        except Exception as exc:
            self.shutdown()
            raise UserError(f"cannot start the local Ray cluster ({exc.__class__.__name__})") from None
        finally:
            if saved_home is None:
                os.environ.pop("HOME", None)
            else:
                os.environ["HOME"] = saved_home

    def shutdown(self) -> None:
        import ray

        if ray.is_initialized():
            ray.shutdown()
        if self.session_dir is not None:
            shutil.rmtree(self.session_dir, ignore_errors=True)
            self.session_dir = None


def _force_loopback() -> None:
    """Make Ray bind every listener to 127.0.0.1, even when ``ray`` was imported before this ran.

    Ray reads RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER once, at import; with it unset on Linux, gRPC servers
    listen on all interfaces. The env var covers later imports and the processes Ray starts; the
    constant covers a ``ray`` already imported by the caller (a test runner, a front end).
    """
    os.environ.update(RAY_ENV)
    if "ray" in sys.modules:
        from ray._private import ray_constants

        ray_constants.ENABLE_RAY_CLUSTER = False


@contextlib.contextmanager
def _silenced_children() -> Iterator[None]:
    """Point stdout/stderr at /dev/null while Ray starts its processes.

    Ray's daemons and the workers they spawn inherit these descriptors; with log files disabled they would
    otherwise print their (chatty) logs into the user's terminal. The driver's own output is restored.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, devnull):
            os.close(fd)


def sweep_stale_sessions(temp_dir: Path) -> list[Path]:
    """Remove session dirs that a killed run left behind (its exit handler never ran).

    A dir is stale when no running process names it on its command line: every Ray process of a live
    session carries its session dir in its arguments.
    """
    import psutil

    candidates = [p for p in temp_dir.glob(f"{SESSION_PREFIX}*") if p.is_dir() and p.owner() == _user()]
    if not candidates:
        return []
    in_use = set()
    for proc in psutil.process_iter(["cmdline"]):
        line = " ".join(proc.info["cmdline"] or ())
        in_use.update(p for p in candidates if str(p) in line)
    stale = [p for p in candidates if p not in in_use]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


def _user() -> str:
    import getpass

    return getpass.getuser()


def _package_parent() -> str:
    """Workers import the same raytranscribe code as the driver (no working_dir upload)."""
    parent = str(Path(raytranscribe.__file__).resolve().parent.parent)
    existing = os.environ.get("PYTHONPATH")
    return parent if not existing else f"{parent}{os.pathsep}{existing}"
