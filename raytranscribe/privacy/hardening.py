"""One call that applies every process-level privacy mechanism, in the driver and in each Ray worker.

The engine's bootstrap calls :func:`harden_process` first thing (before Ray, Whisper or Presidio are
imported) and passes :func:`ray_runtime_env` to ``ray.init(runtime_env=...)``: Ray then runs
:func:`harden_ray_worker` in every worker process before any task or actor code, and sets the private
environment before the worker imports anything.
"""

from __future__ import annotations

from raytranscribe.privacy.egress import ALLOW_ENV, cluster_peers, install_egress_guard, install_from_environment
from raytranscribe.privacy.environment import force_private_env, private_env
from raytranscribe.privacy.logs import install_log_policy
from raytranscribe.privacy.process import disable_core_dumps

WORKER_SETUP_HOOK = "raytranscribe.privacy.hardening.harden_ray_worker"


def harden_process(cluster_address: str | None = None) -> None:
    """Private env, no core dumps, log/exception policy, egress guard. ``cluster_address`` is
    ``settings.cluster.address``: None keeps everything on loopback; a Ray address allows that peer only."""
    peers = cluster_peers(cluster_address)
    force_private_env(local_only=not peers)
    disable_core_dumps()
    install_log_policy()
    install_egress_guard(peers)


def harden_ray_worker() -> None:
    """Ray ``worker_process_setup_hook``: the driver's hardening, with the peers the driver allowed (the
    private environment already came with the runtime_env)."""
    disable_core_dumps()
    install_log_policy()
    install_from_environment()


def ray_runtime_env(cluster_address: str | None = None) -> dict[str, object]:
    """The ``runtime_env`` for ``ray.init`` that makes every Ray worker hardened like the driver."""
    peers = cluster_peers(cluster_address)
    return {
        "worker_process_setup_hook": WORKER_SETUP_HOOK,
        "env_vars": {**private_env(local_only=not peers), ALLOW_ENV: ",".join(peers)},
    }
