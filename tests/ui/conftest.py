"""Fixtures for the UI tests: a simulated NiceGUI user on a fresh user store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

MAIN = Path(__file__).parent / "app_main.py"


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
    monkeypatch.setenv("RT_TEST_ENGINE", "fake")
    monkeypatch.setattr(Storage, "path", tmp_path / "nicegui")
    async with user_simulation(main_file=MAIN) as u:
        yield u
