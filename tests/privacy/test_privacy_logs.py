"""Log and exception policy: canary PHI never reaches a log line or a traceback, from any logger."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from privacy_helpers import CANARIES, leaked, run_python

from raytranscribe.errors import UserError
from raytranscribe.privacy.errors import (
    PhiFreeError,
    describe_exception,
    format_exception_safely,
    phi_free_errors,
)
from raytranscribe.privacy.logs import PhiFree, PhiLogFilter, sanitize_record

NAME, PHONE, DOB, MRN = CANARIES


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_capture = _Capture()
_logger = logging.getLogger("presidio-analyzer.test-privacy")
_logger.addHandler(_capture)
_logger.propagate = False
_logger.setLevel(logging.DEBUG)
_FORMAT = logging.Formatter("%(levelname)s %(message)s%(color_message)s", defaults={"color_message": ""})


def _formatted() -> str:
    """The last captured record, sanitized and formatted. (The pytest process itself may already be hardened
    by an in-process engine test; sanitizing is idempotent, so these tests hold either way.)"""
    return _FORMAT.format(sanitize_record(_capture.records.pop()))


def _raise(message: str) -> BaseException:
    try:
        try:
            raise KeyError(message)
        except KeyError as inner:
            raise RuntimeError(f"could not redact {message}") from inner
    except RuntimeError as exc:
        return exc


def test_arguments_are_withheld_numbers_and_phi_free_kept():
    _logger.warning("redacting %s took %.2f s (%d spans) in %s", f"{NAME} {PHONE}", 0.25, 3, PhiFree("phi"))
    line = _formatted()
    assert not leaked(line), line
    assert line == "WARNING redacting <withheld> took 0.25 s (3 spans) in phi"


def test_only_source_literal_messages_survive():
    _logger.warning(f"failed on {NAME} born {DOB}")
    _logger.error("failed on " + PHONE)
    _logger.error(MRN)
    _logger.warning("a literal message")
    assert _formatted() == "WARNING a literal message"
    for _ in range(3):
        line = _formatted()
        assert not leaked(line) and line.endswith("(message not a source literal)"), line


def test_exceptions_keep_types_and_locations_not_messages():
    exc = _raise(f"{NAME} {MRN}")
    try:
        raise exc
    except RuntimeError:
        _logger.exception("redaction failed")
    line = _formatted()
    assert not leaked(line), line
    assert "KeyError: <withheld>" in line and "RuntimeError: <withheld>" in line and "_raise" in line
    assert not leaked(format_exception_safely(exc))
    _logger.error(exc)
    assert _formatted() == "ERROR RuntimeError: <withheld>"


def test_user_errors_keep_their_phi_free_message():
    assert describe_exception(UserError("config file not found")) == (
        "raytranscribe.errors.UserError: config file not found"
    )


def test_free_form_extras_are_dropped():
    _logger.warning("request %s", NAME, extra={"color_message": f"request {NAME}", "transcript": PHONE})
    line = _formatted()
    assert not leaked(line), line


def test_debug_records_carry_nothing():
    # makeRecord directly: a hardened process would not even create a DEBUG record through _logger.debug.
    record = _logger.makeRecord(_logger.name, logging.DEBUG, __file__, 1, "decision trace for %s", (NAME,), None)
    assert _FORMAT.format(sanitize_record(record)) == "DEBUG <withheld>"


def test_filter_drops_below_warning_and_sanitizes_the_rest():
    filt = PhiLogFilter()
    info = logging.LogRecord("ray", logging.INFO, __file__, 1, "%s", (NAME,), None)
    warn = logging.LogRecord("ray", logging.WARNING, __file__, 1, "%s", (NAME,), None)
    assert not filt.filter(info)
    assert filt.filter(warn) and not leaked(warn.getMessage())


def test_installed_policy_covers_libraries_reconfiguration_and_uncaught_errors():
    result = run_python(Path(__file__).with_name("child_log_policy.py"))
    output = result.stdout + result.stderr
    assert not leaked(output), output
    assert "ValueError: <withheld>" in result.stderr and "KeyError: <withheld>" in result.stderr
    # Records still flow (only their content is withheld): the markers prove the test is not vacuous.
    assert "raytranscribe.engine MARKER <withheld>" in output and "ray MARKER <withheld>" in output
    assert "direct <withheld> (message not a source literal)" in output
    assert "UserWarning at " in output and "child_log_policy.py" in output


def test_phi_free_errors_wrap_sync_and_async_methods():
    import asyncio
    import traceback

    @phi_free_errors
    def redact(text: str) -> str:
        raise KeyError(text)

    @phi_free_errors
    async def redact_async(text: str) -> str:
        raise KeyError(text)

    @phi_free_errors
    def needs_config() -> None:
        raise UserError("phi.spacy_model: model not installed")

    for call in (lambda: redact(NAME), lambda: asyncio.run(redact_async(NAME))):
        with pytest.raises(PhiFreeError) as err:
            call()
        shown = "".join(traceback.format_exception(err.value))
        assert not leaked(shown) and "KeyError: <withheld> at " in shown, shown
    with pytest.raises(UserError, match="model not installed"):
        needs_config()


def test_the_leak_detector_finds_digits_however_punctuated_but_not_across_lines():
    canaries = ("55189", "681.990.2212")
    assert leaked("zip 55 189.", canaries) == ["55189"]
    assert leaked("call 681-990-2212", canaries) == ["6819902212"]
    assert leaked("sendto(133, 355, 0) = 355\n1895  sendmsg(42)", canaries) == []  # a trace record, then the next pid
