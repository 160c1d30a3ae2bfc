"""Child process for test_privacy_logs: log canaries every way a library might, after install_log_policy."""

import logging
import logging.config
import sys
import threading
import warnings

from privacy_helpers import CANARIES

from raytranscribe.privacy import install_log_policy

NAME, PHONE, DOB, MRN = CANARIES
logging.basicConfig(level=logging.DEBUG, stream=sys.stdout, format="%(name)s %(message)s")
install_log_policy()
# A library reconfigures logging afterwards (as uvicorn does) and someone tries to turn debugging on.
logging.config.dictConfig({
    "version": 1, "disable_existing_loggers": False,
    "handlers": {"out": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}},
    "loggers": {"uvicorn.error": {"handlers": ["out"], "level": "DEBUG", "propagate": False}},
})
logging.disable(logging.NOTSET)
# A handler whose formatter prints a free-form ``extra`` field (as JSON log formatters do).
extras = logging.StreamHandler(sys.stdout)
extras.setFormatter(logging.Formatter("%(name)s %(message)s extra=%(transcript)s", defaults={"transcript": "-"}))
logging.getLogger("nicegui").addHandler(extras)
for name in ("ray", "uvicorn.error", "uvicorn.access", "nicegui", "faster_whisper", "presidio-analyzer", "spacy",
             "raytranscribe.engine"):
    logger = logging.getLogger(name)
    logger.setLevel(logging.DEBUG)
    logger.debug("debug %s", NAME)
    logger.info(f"info {PHONE}")
    logger.warning("MARKER %s", DOB, extra={"transcript": f"{NAME} {PHONE}"})
    logger.error(f"failed on {NAME}: {MRN}")


class DirectLogger(logging.Logger):
    """A library logger class that builds records itself, bypassing Logger.makeRecord."""

    def makeRecord(self, name, level, fn, lno, msg, args, exc_info, func=None, extra=None, sinfo=None):  # noqa: N802
        return logging.getLogRecordFactory()(name, level, fn, lno, msg, args, exc_info, func, sinfo)


direct = DirectLogger("direct")
direct.addHandler(extras)
direct.error(f"direct {NAME} {MRN}")
warnings.warn(f"{NAME} {PHONE}")
threading.Thread(target=lambda: {}[NAME]).start()
raise ValueError(f"{MRN} {NAME}")
