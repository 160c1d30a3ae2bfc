"""Force every library that could phone home (or write logs to disk) into private mode, before import.

Set in the driver at start-up and passed to Ray workers through ``runtime_env["env_vars"]`` so a worker
has them before it imports anything. Values are forced, not defaulted: a user's shell cannot re-enable them.
"""

from __future__ import annotations

import os

PRIVATE_ENV: dict[str, str] = {
    # Hugging Face hub (faster-whisper would otherwise try to download models) and its telemetry.
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    "DO_NOT_TRACK": "1",
    # onnxruntime (faster-whisper's VAD) ships Microsoft 1DS telemetry: it resolves and posts to
    # mobile.events.data.microsoft.com from native threads (no Python audit hook sees it) and writes a device
    # id and event database under ~/.cache/Microsoft. Found by tests/privacy/test_privacy_session.py.
    "ORT_DISABLE_TELEMETRY": "1",
    # Presidio's email recognizer uses tldextract, which fetches the public suffix list unless the URL
    # list is empty; it then uses its bundled snapshot.
    "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
    # Ray: no usage-stats upload; component and worker output to stderr (filtered), not to files in the
    # session dir.
    "RAY_USAGE_STATS_ENABLED": "0",
    "RAY_USAGE_STATS_PROMPT_ENABLED": "0",
    "RAY_LOG_TO_STDERR": "1",
    "RAY_BACKEND_LOG_LEVEL": "error",  # C++ INFO/WARNING lines can quote actor death messages
}
# Single-machine mode: with multi-node support off, Ray takes the loopback address as the node address
# everywhere (it never probes for a routable interface). Not set when joining a cluster.
LOCAL_ONLY_ENV: dict[str, str] = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}


def private_env(local_only: bool) -> dict[str, str]:
    return {**PRIVATE_ENV, **(LOCAL_ONLY_ENV if local_only else {})}


def force_private_env(local_only: bool) -> None:
    """Set :func:`private_env` in this process (inherited by every child it starts)."""
    os.environ.update(private_env(local_only))
