"""Idle lock through the pages: with no touch and no speech the screen locks by itself."""

import asyncio
import sqlite3
from pathlib import Path

import pytest
from nicegui.testing import User
from test_ui_flows import setup_admin, sign_in

pytestmark = pytest.mark.anyio


@pytest.fixture
def ui_settings(ui_settings):
    return {**ui_settings, "lock_after_min": 0.05}  # 3 s


async def test_idle_session_locks_itself(user: User, ui_settings):
    codes = await setup_admin(user, clinical=True)
    await sign_in(user, "ada", codes.next())
    await user.should_see(marker="start")
    await asyncio.sleep(4.5)  # 3 s idle, then the page's 1 s watchdog
    await user.should_see(marker="locked", retries=50)
    db = Path(ui_settings["data_dir"]) / "users.sqlite3"
    rows = list(sqlite3.connect(db).execute("SELECT action, target FROM audit ORDER BY id DESC LIMIT 1"))
    assert rows == [("lock", "idle")]
