"""One call that applies every process-level privacy mechanism, in the driver and in each Ray worker.

The engine's bootstrap calls :func:`harden_process` first thing (before Ray, Whisper or Presidio are
imported) and passes :func:`ray_runtime_env` to ``ray.init(runtime_env=...)``: Ray then runs
:func:`harden_ray_worker` in every worker process before any task or actor code, and sets the private
environment before the worker imports anything.
"""

from __future__ import annotations

from collections.abc import Iterable

from raytranscribe.privacy.egress import ALLOW_ENV, install_egress_guard, install_from_environment
from raytranscribe.privacy.environment import PRIVATE_ENV, force_private_env
from raytranscribe.privacy.logs import install_log_policy
from raytranscribe.privacy.process import disable_core_dumps

WORKER_SETUP_HOOK = "raytranscribe.privacy.hardening.harden_ray_worker"


def harden_process(allow: Iterable[str] = ()) -> None:
    """Private env, no core dumps, log/exception policy, egress guard (``allow``: cluster peers)."""
    force_private_env()
    disable_core_dumps()
    install_log_policy()
    install_egress_guard(allow)


def harden_ray_worker() -> None:
    """Ray ``worker_process_setup_hook``: the same hardening, with the peers the driver allowed."""
    force_private_env()
    disable_core_dumps()
    install_log_policy()
    install_from_environment()


def ray_runtime_env(allow: Iterable[str] = ()) -> dict[str, object]:
    """The ``runtime_env`` that makes every Ray worker hardened like the driver."""
    return {
        "worker_process_setup_hook": WORKER_SETUP_HOOK,
        "env_vars": {**PRIVATE_ENV, ALLOW_ENV: ",".join(allow)},
    }
