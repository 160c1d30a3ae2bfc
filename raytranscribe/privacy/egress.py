"""Egress guard: this process refuses to reach, resolve or listen on anything but loopback.

A ``sys.addaudithook`` hook sees Python's socket audit events *before* the syscall runs, so a refused
``connect``/``sendto`` never emits a packet and a refused lookup never sends a DNS query. Audit hooks cannot
be removed, and are per process: Ray workers install it again through :func:`install_from_environment`
(see ``raytranscribe.privacy.hardening``). Native code that opens its own sockets (Ray's gRPC core, the
browser) is outside any audit hook; the strace-based tests check those.

Refusals are counted per audit event for ``raytranscribe doctor`` and the tests. The error names the event
only: hostnames are never echoed, because a hostname is where a DNS-exfiltration attempt would put data.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import sys
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

# Comma-separated extra peers (IP, CIDR or hostname) handed to Ray workers by the driver.
ALLOW_ENV = "RAYTRANSCRIBE_EGRESS_ALLOW"
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_LOCAL_FAMILIES = frozenset(
    f for f in (getattr(socket, "AF_UNIX", None), getattr(socket, "AF_NETLINK", None)) if f is not None
)
_RAW_LINK_FAMILY = getattr(socket, "AF_PACKET", None)  # link-layer frames bypass every IP check


class EgressRefused(PermissionError):
    """Raised inside the refused socket call; an OSError so libraries treat it as 'network unavailable'."""


@dataclass
class EgressGuard:
    networks: set[ipaddress.IPv4Network | ipaddress.IPv6Network] = field(default_factory=set)
    hostnames: set[str] = field(default_factory=set)
    refused: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def allow(self, peers: Iterable[str]) -> None:
        for peer in peers:
            peer = peer.strip().lower()
            if not peer:
                continue
            try:
                self.networks.add(ipaddress.ip_network(peer, strict=False))
            except ValueError:
                self.hostnames.add(peer)

    def host_allowed(self, host: object, *, resolving: bool = False) -> bool:
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        if not isinstance(host, str):
            return False
        host = host.strip("[]").split("%", 1)[0].lower()  # [::1] and fe80::1%eth0 forms
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            return host in LOCAL_NAMES or host in self.hostnames
        if resolving:  # a numeric lookup sends nothing; the connect/bind that follows is checked
            return True
        if getattr(ip, "ipv4_mapped", None) is not None:
            ip = ip.ipv4_mapped
        return ip.is_loopback or any(ip in net for net in self.networks)

    def address_allowed(self, sock: object, address: object) -> bool:
        if getattr(sock, "family", None) in _LOCAL_FAMILIES:
            return True
        if isinstance(address, tuple) and address:
            return self.host_allowed(address[0])
        return False

    def check(self, event: str, args: tuple) -> None:
        if event in ("socket.connect", "socket.bind"):
            ok = self.address_allowed(args[0], args[1])
        elif event in ("socket.sendto", "socket.sendmsg"):
            ok = args[1] is None or self.address_allowed(args[0], args[1])  # None: already-connected socket
        elif event == "socket.getaddrinfo":
            ok = args[0] is None or self.host_allowed(args[0], resolving=True)
        elif event in ("socket.gethostbyname", "socket.gethostbyaddr"):
            ok = self.host_allowed(args[0])
        elif event == "socket.getnameinfo":
            ok = self.host_allowed(args[0][0] if isinstance(args[0], tuple) and args[0] else None)
        elif event == "socket.__new__":
            ok = _RAW_LINK_FAMILY is None or args[1] != _RAW_LINK_FAMILY
        else:
            return
        if not ok:
            with self._lock:
                self.refused[event] += 1
            raise EgressRefused(errno.EACCES, f"raytranscribe egress guard refused {event} to a non-loopback peer")


_guard: EgressGuard | None = None
_install_lock = threading.Lock()


def _audit(event: str, args: tuple) -> None:
    if event.startswith("socket.") and _guard is not None:
        _guard.check(event, args)


def install_egress_guard(allow: Iterable[str] = ()) -> EgressGuard:
    """Install the guard once per process (idempotent); ``allow`` adds cluster peers beyond loopback."""
    global _guard
    with _install_lock:
        if _guard is None:
            _guard = EgressGuard()
            sys.addaudithook(_audit)
        _guard.allow(allow)
        return _guard


def install_from_environment() -> EgressGuard:
    """Install with the extra peers the driver passed down in :data:`ALLOW_ENV`."""
    return install_egress_guard(os.environ.get(ALLOW_ENV, "").split(","))


def egress_guard() -> EgressGuard | None:
    """The installed guard (``None`` if this process has none), for status reports."""
    return _guard


def cluster_peers(address: str | None) -> list[str]:
    """Peers to allow when joining the Ray cluster at ``address`` (None or 'local': loopback only)."""
    if not address or address in ("local", "auto"):
        return []
    hostport = address.split("://", 1)[-1]
    has_port = hostport.startswith("[") or hostport.count(":") == 1  # bare IPv6 has several colons
    return [(hostport.rsplit(":", 1)[0] if has_port else hostport).strip("[]")]
