"""Fixtures for the UI tests: a simulated NiceGUI user on a fresh user store, and TOTP helpers."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyotp
import pytest

MAIN = Path(__file__).parent / "app_main.py"
PASSWORD = "correct horse battery"


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def ui_settings(tmp_path) -> dict:
    """Per-test store and key file; short timers so expiry and locking are quick to see."""
    return {
        "data_dir": str(tmp_path / "data"),
        "key_file": str(tmp_path / "keys" / "totp.key"),
        "allowed_hosts": ["test"],
        "line_ttl_s": 1.0,
        "lock_after_min": 60.0,
        "lockout_threshold": 3,
        "lockout_base_s": 60.0,
    }


@pytest.fixture
async def user(ui_settings, monkeypatch, tmp_path):
    from nicegui.storage import Storage
    from nicegui.testing.user_simulation import user_simulation

    monkeypatch.setenv("RT_TEST_UI_SETTINGS", json.dumps(ui_settings))
    monkeypatch.setattr(Storage, "path", tmp_path / "nicegui")
    async with user_simulation(main_file=MAIN) as u:
        yield u


class Codes:
    """Fresh TOTP codes, each from a later 30 s step so the replay guard accepts every one."""

    def __init__(self, secret: str) -> None:
        self.totp = pyotp.TOTP(secret)
        self.offset = -1  # steps -1, 0, +1 around now are within the accepted drift
        if time.time() % 30 > 25:  # so no step boundary passes while a test uses these codes
            time.sleep(30 - time.time() % 30 + 0.1)

    def peek(self) -> str:
        """The next fresh code, without using it up (for attempts that must fail anyway)."""
        return self.totp.at(time.time() + 30 * self.offset)

    def next(self) -> str:
        code = self.peek()
        self.offset += 1
        assert self.offset <= 2, "only three fresh codes fit in the drift window"
        return code
