"""Process-level hardening and the machine facts it depends on: core dumps, ptrace/dumpability, swap."""

from __future__ import annotations

import ctypes
import ctypes.util
import resource
from dataclasses import dataclass
from pathlib import Path

_PR_SET_DUMPABLE = 4
_PR_GET_DUMPABLE = 3
_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def disable_core_dumps() -> None:
    """No core file (RLIMIT_CORE=0, inherited by children) and not dumpable (no ptrace attach by other
    same-user processes, no core via a pipe handler, /proc/<pid>/mem closed to them; reset on exec)."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if _libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")


def core_dumps_disabled() -> bool:
    soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    return soft == 0 and hard == 0 and _libc.prctl(_PR_GET_DUMPABLE, 0, 0, 0, 0) == 0


@dataclass(frozen=True)
class SwapDevice:
    name: str
    kind: str  # partition | file
    encrypted: bool  # dm-crypt, or zram (compressed RAM, never reaches disk)


def swap_devices(swaps: Path = Path("/proc/swaps")) -> list[SwapDevice]:
    """Active swap areas from /proc/swaps; empty when swap is off."""
    devices = []
    for line in swaps.read_text().splitlines()[1:]:
        fields = line.split()
        if len(fields) >= 2:
            devices.append(SwapDevice(fields[0], fields[1], _in_ram_or_encrypted(fields[0])))
    return devices


def _in_ram_or_encrypted(device: str) -> bool:
    name = Path(device).resolve().name
    if name.startswith("zram"):
        return True
    uuid = Path("/sys/block", name, "dm", "uuid")
    return uuid.exists() and uuid.read_text().startswith("CRYPT-")
