"""The privacy posture of this machine and of the raytranscribe processes on it (for ``doctor``)."""

from __future__ import annotations

import hashlib
import ipaddress
import os
import resource
import socket
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import psutil

from raytranscribe.privacy.egress import EgressRefused, cluster_peers
from raytranscribe.privacy.environment import private_env
from raytranscribe.privacy.hardening import harden_process
from raytranscribe.privacy.process import core_dumps_disabled, swap_devices
from raytranscribe.settings import Settings

Status = Literal["ok", "warn", "unsafe"]
IN_MEMORY_FILESYSTEMS = frozenset({"tmpfs", "ramfs"})
# Command-line fragments of processes that belong to a raytranscribe session (the app and its Ray cluster).
OWN_PROCESS_MARKS = ("raytranscribe", "raylet", "gcs_server", "ray::", "ray/dashboard", "default_worker.py",
                     "ray/_private", "ray/autoscaler")
TEST_NET_PROBE = ("192.0.2.1", 9)  # RFC 5737; a UDP connect sends no packet even if the guard failed


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _is_loopback(ip: str) -> bool:
    try:
        return ipaddress.ip_address(ip.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _is_own(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        cmdline = " ".join(psutil.Process(pid).cmdline())
    except (psutil.Error, OSError):
        return False
    return any(mark in cmdline for mark in OWN_PROCESS_MARKS)


def check_listeners() -> Check:
    exposed_own, exposed_other, local = [], [], 0
    for conn in psutil.net_connections(kind="inet"):
        if conn.status != psutil.CONN_LISTEN and conn.type != socket.SOCK_DGRAM:
            continue
        if conn.type == socket.SOCK_DGRAM and conn.raddr:
            continue  # a connected UDP socket is a client, not a listener
        if _is_loopback(conn.laddr.ip):
            local += 1
            continue
        where = f"{conn.laddr.ip}:{conn.laddr.port}"
        (exposed_own if _is_own(conn.pid) else exposed_other).append(where)
    if exposed_own:
        exposed = ", ".join(exposed_own)
        return Check("listeners", "unsafe", f"raytranscribe/Ray listening beyond loopback: {exposed}")
    others = f"; other programs listen on {', '.join(sorted(set(exposed_other)))}" if exposed_other else ""
    return Check("listeners", "ok", f"{local} loopback listeners, none of ours beyond loopback{others}")


def check_egress_guard() -> Check:
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(TEST_NET_PROBE)
    except EgressRefused:
        return Check("egress guard", "ok", "installed by every raytranscribe process; refused a TEST-NET probe")
    except OSError:
        pass
    finally:
        probe.close()
    return Check("egress guard", "unsafe", "a non-loopback connect was not refused by the egress guard")


def _filesystem(path: Path) -> str:
    path = path.resolve()
    best, kind = "", "unknown"
    for line in Path("/proc/mounts").read_text().splitlines():
        fields = line.split()
        mount = fields[1].replace("\\040", " ")
        if (path == Path(mount) or Path(mount) in path.parents) and len(mount) >= len(best):
            best, kind = mount, fields[2]
    return kind


def check_temp_dirs(settings: Settings) -> list[Check]:
    ray_dir = settings.cluster.temp_dir
    ray_fs = _filesystem(ray_dir) if ray_dir.exists() else "missing"
    system_dir = Path(tempfile.gettempdir())
    system_fs = _filesystem(system_dir)
    return [
        Check("ray temp dir", "ok" if ray_fs in IN_MEMORY_FILESYSTEMS else "unsafe", f"{ray_dir} on {ray_fs}"),
        # Nothing of ours writes there, but libraries might: worth knowing, not fatal.
        Check("system temp dir", "ok" if system_fs in IN_MEMORY_FILESYSTEMS else "warn",
              f"{system_dir} on {system_fs}"),
    ]


def check_swap() -> Check:
    devices = swap_devices()
    if not devices:
        return Check("swap", "ok", "off")
    plain = [d.name for d in devices if not d.encrypted]
    if plain:
        return Check("swap", "unsafe", f"unencrypted swap can hold transcript text at rest: {', '.join(plain)}")
    return Check("swap", "ok", f"encrypted or in RAM only: {', '.join(d.name for d in devices)}")


def check_core_dumps() -> Check:
    pattern = Path("/proc/sys/kernel/core_pattern")
    kernel = pattern.read_text().strip() if pattern.exists() else "unknown"
    if core_dumps_disabled():
        return Check("core dumps", "ok", f"off in raytranscribe processes (RLIMIT_CORE=0, not dumpable); "
                                         f"kernel core_pattern {kernel!r}")
    return Check("core dumps", "unsafe", "could not disable core dumps for this process")


def check_memory_lock(settings: Settings) -> Check:
    needed = int(settings.audio.ring_seconds * settings.audio.sample_rate * 4)
    soft, _ = resource.getrlimit(resource.RLIMIT_MEMLOCK)
    if os.geteuid() == 0 or soft == resource.RLIM_INFINITY or soft >= needed:
        return Check("memory lock", "ok", f"audio ring buffer ({needed // 1024} KiB) can be mlock-ed")
    return Check("memory lock", "warn", f"RLIMIT_MEMLOCK {soft // 1024} KiB < ring buffer {needed // 1024} KiB: "
                                        "audio may be swapped (raise `ulimit -l`)")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as model:
        while block := model.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def check_models(settings: Settings) -> Check:
    """Re-hash every assembled model in the cache against its pinned digest (nothing is assembled here)."""
    from raytranscribe.models.catalog import MODELS
    from raytranscribe.models.store import default_cache_dir

    cache = settings.model.cache_dir or default_cache_dir()
    verified, bad = [], []
    for spec in MODELS.values():
        model = cache / spec.name / "model.bin"
        if model.is_file():
            (verified if _sha256(model) == spec.sha256 else bad).append(spec.name)
    if bad:
        return Check("models", "unsafe", f"sha256 mismatch (tampered or corrupt): {', '.join(bad)} in {cache}")
    if settings.model.name not in MODELS:
        return Check("models", "warn", "custom model directory: not checked against a pinned digest")
    detail = f"sha256 verified: {', '.join(verified)}" if verified else "none assembled yet (verified on first use)"
    return Check("models", "ok", f"{detail} in {cache}")


def check_ray(settings: Settings) -> Check:
    peers = cluster_peers(settings.cluster.address)
    forced = ", ".join(f"{k}={v}" for k, v in private_env(not peers).items() if k.startswith("RAY_"))
    if peers and os.environ.get("RAY_USE_TLS") != "1":
        return Check("ray", "unsafe", f"joins a cluster at {', '.join(peers)} without TLS (set RAY_USE_TLS=1)")
    if peers:
        allowed = ", ".join(peers)
        return Check("ray", "warn", f"joins a cluster over TLS: egress allowed to {allowed} only; {forced}")
    return Check("ray", "ok", f"local-only cluster on loopback; {forced}")


def survey(settings: Settings) -> list[Check]:
    """Harden this process as the app does, then check everything (the guard check probes the real guard)."""
    harden_process(settings.cluster.address)
    checks: list[Callable[[], Check | list[Check]]] = [
        check_listeners, check_egress_guard, lambda: check_temp_dirs(settings), check_swap, check_core_dumps,
        lambda: check_memory_lock(settings), lambda: check_models(settings), lambda: check_ray(settings),
    ]
    results: list[Check] = []
    for check in checks:
        outcome = check()
        results.extend(outcome if isinstance(outcome, list) else [outcome])
    return results
