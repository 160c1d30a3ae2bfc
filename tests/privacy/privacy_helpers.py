"""Helpers for the privacy tests. Hardening is process-wide and permanent (audit hooks cannot be removed), so
every test that installs a mechanism runs it in a fresh child interpreter, never in the pytest process."""

from __future__ import annotations

import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIPS = ROOT / "tests" / "data" / "privacy"  # spoken PHI: clips.jsonl names each clip's PHI spans
# Canary PHI as the tests speak it: a name, a phone number, a date of birth, an MRN.
CANARIES = ("Zebulon Quackenbush", "617-555-0142", "03/14/1961", "MRN 40938271")
# "617 555-0142" and "6175550142" alike; not across a line break, where a trace's record ends and the next one's
# process id begins ("... = 355\n1895 sendmsg" is no "55189").
_DIGIT_SEPARATORS = re.compile(r"(?<=\d)[ \t.\-/,()]+(?=\d)")


def digit_sequence(text: str) -> str:
    return re.sub(r"\D", "", text)


def leaked(text: str, canaries: tuple[str, ...] = CANARIES) -> list[str]:
    """Canaries found in ``text``: verbatim (any case) or as their digit sequence, however punctuated."""
    joined = _DIGIT_SEPARATORS.sub("", text)
    digits = [digit_sequence(c) for c in canaries if len(digit_sequence(c)) >= 5]
    return [c for c in canaries if c.lower() in text.lower()] + [d for d in digits if d in joined]


_TRACED_PEER = re.compile(r'inet_pton\(AF_INET6?, "([^"]+)"|inet_addr\("([^"]+)"\)')


def clip_canaries() -> tuple[str, ...]:
    """The PHI spoken in the test clips, plus each name's parts (a surname alone is still PHI)."""
    canaries: list[str] = []
    for line in (CLIPS / "clips.jsonl").read_text().splitlines():
        for span in json.loads(line)["spans"]:
            canaries.append(span["text"])
            if span["type"] == "NAME":
                canaries += [part for part in span["text"].split() if len(part) >= 4]
    return tuple(canaries)


def snapshot(roots: list[Path]) -> dict[Path, float]:
    """Every file under ``roots`` with its mtime (for before/after comparisons)."""
    files = {}
    for root in roots:
        for path in root.rglob("*"):
            try:  # other sessions may be creating and deleting files here concurrently
                if path.is_file() and ".git" not in path.parts:
                    files[path] = path.stat().st_mtime
            except OSError:
                continue
    return files


def changed_files(before: dict[Path, float], roots: list[Path]) -> dict[Path, str]:
    """Files created or modified under ``roots`` since ``before`` was taken, with their content."""
    changed = {}
    for path, mtime in snapshot(roots).items():
        if before.get(path) != mtime:
            try:
                changed[path] = path.read_bytes().decode("latin-1")
            except OSError:  # gone again, or not ours to read
                continue
    return changed


def traced_peers(strace_output: str) -> list[str]:
    """Non-loopback IP addresses in strace's connect/sendto/sendmsg/bind lines."""
    return [peer for line in strace_output.splitlines() if (peer := _non_loopback_peer(line))]


def _non_loopback_peer(line: str) -> str | None:
    match = _TRACED_PEER.search(line)
    if not match:
        return None
    address = (match.group(1) or match.group(2)).removeprefix("::ffff:")
    try:
        return None if ipaddress.ip_address(address).is_loopback else address
    except ValueError:
        return address


_TRACED_CALL = re.compile(r"^(\d+)\s+(?:<\.\.\. )?(\w+)")
_EXECVE = re.compile(r'execve\("([^"]+)"')
_CHILD = re.compile(r"= (\d+)$")
_PORT = re.compile(r"htons\((\d+)\)")


def traced_attempts(strace_output: str) -> list[tuple[str, str, int]]:
    """(program, address, port) of each non-loopback connect/sendto/sendmsg/bind in an ``strace -f`` log
    that also traced execve and clone/fork (which tell which program each thread id belongs to)."""
    parent: dict[str, str] = {}
    program: dict[str, str] = {}
    starting: dict[str, str] = {}  # execve calls not finished yet (strace splits them across lines)
    attempts = []
    for line in strace_output.splitlines():
        call = _TRACED_CALL.match(line)
        if not call:
            continue
        tid, name = call.groups()
        if name == "execve":
            if path := _EXECVE.search(line):
                starting[tid] = path.group(1)
            if line.rstrip().endswith("= 0") and tid in starting:
                path = starting.pop(tid)
                program[tid] = _program(tid, parent, program) if path == "/proc/self/exe" else path
        elif name in ("clone", "clone3", "fork", "vfork") and (child := _CHILD.search(line.rstrip())):
            parent[child.group(1)] = tid
        elif peer := _non_loopback_peer(line):
            port = _PORT.search(line)
            attempts.append((_program(tid, parent, program), peer, int(port.group(1)) if port else 0))
    return attempts


def _program(tid: str, parent: dict[str, str], program: dict[str, str]) -> str:
    while tid not in program and tid in parent:
        tid = parent[tid]
    return program.get(tid, "?")


def exposed_listeners(ss_lines: list[str]) -> list[str]:
    """Lines of ``ss -H -l -t -u -n -p`` output whose local address is not loopback."""
    exposed = []
    for line in ss_lines:
        host = line.split()[4].rsplit(":", 1)[0].strip("[]").removeprefix("::ffff:").split("%", 1)[0]
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:  # '*' or '0.0.0.0' spelled oddly: a wildcard bind
            loopback = False
        if not loopback:
            exposed.append(line)
    return exposed


def _isolated_network_prefix() -> list[str]:
    """``unshare -rn``: a child in a network namespace with only loopback, so a broken guard sends nothing."""
    unshare = shutil.which("unshare")
    prefix = [unshare or "unshare", "-rn", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"]
    if unshare and subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
        return prefix
    return []


NETNS = _isolated_network_prefix()


def run_python(code: str | Path, *, isolated: bool = False, trace: Path | None = None, timeout: float = 120,
               env: dict[str, str] | None = None, args: list[str] | None = None,
               cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``code`` (source text or a script path) in a child interpreter (at the repo root unless ``cwd``,
    with this checkout importable either way); ``isolated``: in
    a loopback-only network namespace; ``trace``: under ``strace -f``, network syscalls written to that file
    (addresses only: ``-s 0`` leaves out the data, which on loopback IPC is transcript text)."""
    cmd = [sys.executable, str(code)] if isinstance(code, Path) else [sys.executable, "-c", code]
    cmd += args or []
    if trace:
        strace = shutil.which("strace")
        if strace is None:
            pytest.skip("strace not installed")
        cmd = [strace, "-f", "-qq", "-s", "0", "-o", str(trace), "-e", "trace=connect,sendto,sendmsg,bind,execve,clone,clone3,fork,vfork", *cmd]
    if isolated:
        cmd = NETNS + cmd
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(cmd, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout)
