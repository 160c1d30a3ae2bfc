"""Privacy mechanisms: egress guard, log/exception policy, memory and process hardening, ``doctor``.

For the engine: :func:`harden_process` (driver, before Ray is imported), :func:`ray_runtime_env` (workers),
:func:`phi_free_errors` (actor methods), :class:`PhiFree` (log arguments known not to be PHI); for buffers:
:func:`secure_zero`, :func:`locked_zeros`, :func:`release`, :class:`TextBuffer`. See docs/privacy.md.
"""

from raytranscribe.privacy.egress import EgressRefused, cluster_peers, egress_guard, install_egress_guard
from raytranscribe.privacy.errors import PhiFreeError, describe_exception, phi_free_errors
from raytranscribe.privacy.hardening import harden_process, harden_ray_worker, ray_runtime_env
from raytranscribe.privacy.logs import PhiFree, PhiLogFilter, install_log_policy
from raytranscribe.privacy.memory import TextBuffer, lock_in_memory, locked_zeros, release, secure_zero

__all__ = [
    "EgressRefused", "PhiFree", "PhiFreeError", "PhiLogFilter", "TextBuffer", "cluster_peers",
    "describe_exception", "egress_guard", "harden_process", "harden_ray_worker", "install_egress_guard",
    "install_log_policy", "lock_in_memory", "locked_zeros", "phi_free_errors", "ray_runtime_env", "release",
    "secure_zero",
]
