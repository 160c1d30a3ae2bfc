"""Privacy mechanisms: egress guard, log/exception policy, memory and process hardening, ``doctor``.

Entry points for the engine: :func:`harden_process` (driver) and :func:`ray_runtime_env` (workers); for
buffers: :func:`secure_zero`, :func:`locked_zeros`, :func:`release`, :class:`TextBuffer`. See docs/privacy.md.
"""

from raytranscribe.privacy.egress import EgressRefused, cluster_peers, egress_guard, install_egress_guard
from raytranscribe.privacy.hardening import harden_process, harden_ray_worker, ray_runtime_env
from raytranscribe.privacy.logs import PhiLogFilter, describe_exception, install_log_policy
from raytranscribe.privacy.memory import TextBuffer, lock_in_memory, locked_zeros, release, secure_zero

__all__ = [
    "EgressRefused", "PhiLogFilter", "TextBuffer", "cluster_peers", "describe_exception", "egress_guard",
    "harden_process", "harden_ray_worker", "install_egress_guard", "install_log_policy", "lock_in_memory",
    "locked_zeros", "ray_runtime_env", "release", "secure_zero",
]
