"""Process setup shared by the driver and every Ray worker: the one place process hardening is applied.

Ray runs ``setup_process`` in each worker before any task (``worker_process_setup_hook``) and the engine
calls it in the driver, so privacy hardening (core dumps, memory locking, log filters) added here covers
every process that can hold audio or transcript text.
"""

from __future__ import annotations

import logging
import os

from raytranscribe.privacy import harden_ray_worker

# Thread pools: CTranslate2 gets its own thread count; everything else (ONNX VAD, numpy, spaCy) stays on
# one thread so the libraries do not oversubscribe a small machine.
THREAD_ENV = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
              "TOKENIZERS_PARALLELISM": "false"}
# Nothing may be fetched from a model hub or report telemetry.
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1"}


def setup_process() -> None:
    for key, value in {**THREAD_ENV, **OFFLINE_ENV}.items():
        os.environ.setdefault(key, value)
    # Library loggers stay quiet; no handler in this project ever receives transcript text.
    logging.getLogger().setLevel(logging.WARNING)
    for name in ("faster_whisper", "presidio-analyzer", "presidio-anonymizer", "ray"):
        logging.getLogger(name).setLevel(logging.ERROR)
    harden_ray_worker()  # egress guard (with the driver's allowed peers), log policy, no core dumps
