"""Egress guard: non-loopback connects, sends, binds and name lookups are refused before the syscall."""

from __future__ import annotations

import socket

import pytest

from raytranscribe.privacy.egress import EgressGuard, EgressRefused, cluster_peers

from privacy_helpers import run_python

TEST_NET = "192.0.2.1"  # RFC 5737 documentation range: never routed


class _Sock:
    def __init__(self, family: int) -> None:
        self.family = family


INET, INET6, UNIX = _Sock(socket.AF_INET), _Sock(socket.AF_INET6), _Sock(socket.AF_UNIX)


@pytest.mark.parametrize(
    ("event", "args"),
    [
        ("socket.connect", (INET, (TEST_NET, 443))),
        ("socket.connect", (INET, ("1.1.1.1", 53))),
        ("socket.connect", (INET6, ("2001:db8::1", 443, 0, 0))),
        ("socket.connect", (INET6, ("::ffff:192.0.2.1", 443, 0, 0))),
        ("socket.connect", (INET, ("example.com", 80))),  # would resolve through DNS first
        ("socket.sendto", (INET, (TEST_NET, 9))),
        ("socket.sendmsg", (INET, (TEST_NET, 9))),
        ("socket.bind", (INET, ("0.0.0.0", 8080))),
        ("socket.bind", (INET6, ("::", 8080, 0, 0))),
        ("socket.bind", (INET, ("", 8080))),
        ("socket.getaddrinfo", ("example.com", 443, 0, 0, 0)),
        ("socket.getaddrinfo", (b"patient-name.exfil.example", None, 0, 0, 0)),
        ("socket.gethostbyname", ("example.com",)),
        ("socket.gethostbyaddr", (TEST_NET,)),
        ("socket.getnameinfo", ((TEST_NET, 80), 0)),
        ("socket.__new__", (None, getattr(socket, "AF_PACKET", -1), socket.SOCK_RAW, 0)),
    ],
)
def test_refuses_non_loopback(event, args):
    guard = EgressGuard()
    with pytest.raises(EgressRefused) as err:
        guard.check(event, args)
    assert guard.refused[event] == 1
    assert "example" not in str(err.value) and TEST_NET not in str(err.value)  # no peer names in errors


@pytest.mark.parametrize(
    ("event", "args"),
    [
        ("socket.connect", (INET, ("127.0.0.1", 8080))),
        ("socket.connect", (INET, ("127.3.4.5", 8080))),
        ("socket.connect", (INET6, ("::1", 8080, 0, 0))),
        ("socket.connect", (INET, ("localhost", 8080))),
        ("socket.connect", (UNIX, "/dev/shm/ray/session/sockets/raylet")),
        ("socket.bind", (INET, ("127.0.0.1", 0))),
        ("socket.sendto", (INET, ("127.0.0.1", 9))),
        ("socket.sendmsg", (INET, None)),
        ("socket.getaddrinfo", (None, 8080, 0, 0, 0)),
        ("socket.getaddrinfo", ("127.0.0.1", 8080, 0, 0, 0)),
        ("socket.getaddrinfo", ("10.1.2.3", 8080, 0, 0, 0)),  # numeric: no lookup; the connect is checked
        ("socket.gethostbyname", ("localhost",)),
        ("socket.__new__", (None, socket.AF_INET, socket.SOCK_STREAM, 0)),
        ("open", ("/etc/hosts", "r", 0)),
    ],
)
def test_allows_loopback_and_local(event, args):
    guard = EgressGuard()
    guard.check(event, args)
    assert not guard.refused


def test_cluster_peers_are_allowed_and_nothing_else():
    guard = EgressGuard()
    guard.allow(cluster_peers("10.20.0.5:6379") + ["192.168.7.0/24", "ray-head.lan"])
    guard.check("socket.connect", (INET, ("10.20.0.5", 6379)))
    guard.check("socket.connect", (INET, ("192.168.7.44", 6379)))
    guard.check("socket.getaddrinfo", ("ray-head.lan", 6379, 0, 0, 0))
    with pytest.raises(EgressRefused):
        guard.check("socket.connect", (INET, ("10.20.0.6", 6379)))


@pytest.mark.parametrize(
    ("address", "peers"),
    [(None, []), ("auto", []), ("10.0.0.2:6379", ["10.0.0.2"]), ("ray://head.lan:10001", ["head.lan"]),
     ("[fd00::2]:6379", ["fd00::2"]), ("head.lan", ["head.lan"])],
)
def test_cluster_peers_parsing(address, peers):
    assert cluster_peers(address) == peers


ATTEMPTS = f"""
import socket
from raytranscribe.privacy import egress_guard, harden_process
harden_process()
tries = [
    lambda: socket.create_connection(("{TEST_NET}", 443), timeout=2),
    lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("{TEST_NET}", 9)),
    lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).connect(("{TEST_NET}", 9)),
    lambda: socket.socket().bind(("0.0.0.0", 0)),
    lambda: socket.getaddrinfo("example.com", 443),
]
for attempt in tries:
    try:
        attempt()
        print("NOT REFUSED")
    except PermissionError:
        pass
    except OSError as exc:
        print("REACHED THE SYSCALL", exc.errno)
server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen()
socket.create_connection(server.getsockname(), timeout=2).close()  # loopback still works
print("refused", sum(egress_guard().refused.values()) if egress_guard() else 0)
"""


def test_guard_refuses_before_any_syscall(tmp_path):
    """The child runs in an empty network namespace under strace: a refused attempt must not even reach
    connect(2)/sendto(2)/bind(2); the loopback connect is the positive control that strace sees syscalls."""
    result = run_python(ATTEMPTS, isolated=True, trace=tmp_path / "strace.log")
    syscalls = (tmp_path / "strace.log").read_text()
    assert result.returncode == 0, result.stderr[-2000:]
    assert "refused 5" in result.stdout, result.stdout
    assert "NOT REFUSED" not in result.stdout and "REACHED THE SYSCALL" not in result.stdout
    assert "127.0.0.1" in syscalls  # strace saw the loopback bind/connect
    for line in syscalls.splitlines():
        assert TEST_NET not in line and "0.0.0.0" not in line, line
