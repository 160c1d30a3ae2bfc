"""Log and error policy: no log line or traceback can carry transcript text, whatever a library does.

The first line of defence is that the engine never logs text or audio (constant messages, numbers as
``%``-arguments). This module is the second line, for our code and every library (Ray, uvicorn/NiceGUI,
faster-whisper, Presidio, spaCy, asyncio):

* Level floor: DEBUG and INFO are disabled process-wide; libraries log content at those levels (uvicorn access
  lines, Presidio's decision trace). There is no flag that lowers it, and records below WARNING that still get
  created (someone re-enabled a level) carry no content.
* Every record is rewritten when it is created (a log-record factory and ``Logger.makeRecord``, so handlers
  configured later, such as Ray's or uvicorn's ``dictConfig``, are covered too) by :func:`sanitize_record`. A message survives only if
  it is a string literal at the logging call site in the source (checked with ``linecache``, as tracebacks
  are): an f-string, ``str(exc)`` or a concatenation is withheld whole, whatever it contains. Arguments
  survive only if they are numbers or :class:`PhiFree` strings. Exceptions keep their type and code
  locations, never their message. Free-form ``extra`` strings are dropped.
* ``warnings`` are logged as category and location only; uncaught exceptions (main thread, threads,
  unraisable) print the same message-free traceback.
"""

from __future__ import annotations

import linecache
import logging
import numbers
import sys
import threading
import types
import warnings

from raytranscribe.privacy.errors import WITHHELD, describe_exception, format_exception_safely

# Libraries whose loggers are pinned at WARNING (the global floor covers the rest as well).
LIBRARY_LOGGERS = (
    "ray", "ray.data", "ray.serve", "ray.tune", "uvicorn", "uvicorn.error", "uvicorn.access", "nicegui",
    "fastapi", "engineio", "socketio", "faster_whisper", "ctranslate2", "presidio-analyzer",
    "presidio-anonymizer", "presidio_analyzer", "spacy", "tldextract", "asyncio", "urllib3", "httpx",
    "huggingface_hub", "filelock", "py.warnings",
)
_STANDARD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
_SANITIZED = "_raytranscribe_sanitized"
_CALL_LINES = range(-2, 5)  # a literal may sit a few lines from the line number a multi-line call reports


class PhiFree(str):
    """A string the caller vouches carries no PHI (a setting name, a file path, a class name): logged as is."""


def _is_source_literal(text: str, pathname: str, lineno: int) -> bool:
    lines = linecache.getlines(pathname)
    window = "".join(lines[max(lineno - 1 + d, 0)] for d in _CALL_LINES if 0 <= lineno - 1 + d < len(lines))
    return any(f"{q}{text}{q}" in window for q in ('"', "'", '"""', "'''"))


def _safe_arg(arg: object) -> object:
    return arg if isinstance(arg, (numbers.Real, PhiFree)) or arg is None else WITHHELD


def safe_message(record: logging.LogRecord) -> str:
    """The PHI-free text of a log call: a source-literal template with only numeric/PhiFree arguments."""
    msg, args = record.msg, record.args
    if isinstance(msg, BaseException):
        return describe_exception(msg)
    if not isinstance(msg, str) or not _is_source_literal(msg, record.pathname, record.lineno):
        return f"{WITHHELD} (message not a source literal)"
    if not args:
        return msg
    safe = {k: _safe_arg(v) for k, v in args.items()} if isinstance(args, dict) else tuple(
        _safe_arg(a) for a in (args if isinstance(args, tuple) else (args,))
    )
    try:
        return msg % safe
    except (TypeError, ValueError, KeyError):
        return f"{msg} [arguments {WITHHELD}]"


def sanitize_record(record: logging.LogRecord) -> logging.LogRecord:
    """Rewrite ``record`` in place so that formatting it yields no PHI (idempotent)."""
    if not getattr(record, _SANITIZED, False):
        record.msg = safe_message(record) if record.levelno >= logging.WARNING else WITHHELD
        record.args = ()
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = format_exception_safely(record.exc_info[1]).rstrip("\n")
        elif record.exc_text:
            record.exc_text = WITHHELD
        record.exc_info = None
        setattr(record, _SANITIZED, True)
    # Every time: ``extra`` fields are attached after the record factory ran.
    for key in [k for k, v in vars(record).items() if k not in _STANDARD_ATTRS and isinstance(v, str)]:
        delattr(record, key)  # free-form extras (uvicorn's color_message, JSON fields) may hold text
    return record


class PhiLogFilter(logging.Filter):
    """Handler filter: drops records below WARNING, sanitizes the rest (for handlers configured by hand)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return False
        sanitize_record(record)
        return True


def _print_uncaught(exc: BaseException) -> None:
    if not isinstance(exc, KeyboardInterrupt):
        sys.stderr.write(format_exception_safely(exc))


def _excepthook(kind: type[BaseException], exc: BaseException, tb: types.TracebackType | None) -> None:
    _print_uncaught(exc)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        _print_uncaught(args.exc_value)


def _showwarning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                 file: object = None, line: str | None = None) -> None:
    # Warning texts are often f-strings over data; the category and the code location are enough.
    logging.getLogger("py.warnings").warning(
        "%s at %s:%d (message withheld)", PhiFree(category.__name__), PhiFree(filename), lineno
    )


def _unraisablehook(unraisable: sys.UnraisableHookArgs) -> None:
    # The default prints repr(unraisable.object), which may show text; the type is enough to debug.
    if unraisable.exc_value is not None:
        where = type(unraisable.object).__qualname__ if unraisable.object is not None else "?"
        sys.stderr.write(f"Exception ignored in {where} object\n")
        _print_uncaught(unraisable.exc_value)


_installed = False
_install_lock = threading.Lock()


def install_log_policy() -> None:
    """Apply the policy to this process (idempotent; lasts for the life of the process)."""
    global _installed
    with _install_lock:
        if not _installed:
            previous = logging.getLogRecordFactory()

            def factory(*args: object, **kwargs: object) -> logging.LogRecord:
                return sanitize_record(previous(*args, **kwargs))

            make_record = logging.Logger.makeRecord

            def make_sanitized_record(self: logging.Logger, *args: object, **kwargs: object) -> logging.LogRecord:
                return sanitize_record(make_record(self, *args, **kwargs))  # after ``extra`` is attached

            logging.setLogRecordFactory(factory)
            logging.Logger.makeRecord = make_sanitized_record  # type: ignore[method-assign]
            _installed = True
    logging.raiseExceptions = False  # its fallback report prints the raw message and arguments
    warnings.showwarning = _showwarning
    logging.disable(logging.INFO)
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))
    logging.getLogger("uvicorn.access").disabled = True  # request lines: URLs, client addresses
    for handler in [*logging.getLogger().handlers, logging.lastResort]:
        if handler is not None and not any(isinstance(f, PhiLogFilter) for f in handler.filters):
            handler.addFilter(PhiLogFilter())
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
    sys.unraisablehook = _unraisablehook


def log_policy_installed() -> bool:
    return _installed and logging.root.manager.disable >= logging.INFO
