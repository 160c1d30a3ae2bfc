"""Page flows with NiceGUI's simulated User (no browser): setup, login + TOTP, lockout, roles, clear, lock."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import ui_fake_engine as fake_engine
import pytest
from ui_support import PASSWORD, Codes
from nicegui.testing import User

pytestmark = pytest.mark.anyio
# Engine events reach the page on its 0.2 s timer; on a loaded CI machine that can take a while.
EVENT_RETRIES = 50


async def setup_admin(user: User, username: str = "ada", clinical: bool = False) -> Codes:
    await user.open("/")
    await user.should_see("First-run setup")
    user.find(marker="new-username").type(username)
    user.find(marker="new-password").type(PASSWORD)
    if clinical:
        user.find(marker="new-roles").elements.pop().value = ["admin", "physician"]
    user.find(marker="new-continue").click()
    await user.should_see(marker="totp-secret")
    codes = Codes(user.find(marker="totp-secret").elements.pop().text)
    user.find(marker="new-code").type(codes.next())
    user.find(marker="new-create").click()
    await user.should_see("Sign in")
    return codes


async def sign_in(user: User, username: str, code: str, password: str = PASSWORD) -> None:
    user.find(marker="username").clear().type(username)
    user.find(marker="password").type(password)
    user.find(marker="code").type(code)
    user.find(marker="sign-in").click()


def audit_actions(user: User) -> list[str]:
    rows = user.find(marker="audit").elements.pop().rows
    return [r["what"] for r in rows]


async def test_first_run_setup_then_login_lands_admin_on_admin_page(user: User):
    codes = await setup_admin(user)
    await user.open("/setup")  # setup closes once an account exists
    await user.should_see("Sign in")
    await sign_in(user, "ada", codes.next())
    await user.should_see(marker="users")
    await user.should_not_see(marker="nav-session")  # admin alone runs no sessions
    assert audit_actions(user)[:2] == ["login", "user_created"]


async def test_wrong_code_is_denied_and_repeated_failures_lock_the_account(user: User):
    codes = await setup_admin(user)
    await sign_in(user, "ada", "000000")
    await user.should_see("Wrong username, password or code")
    await sign_in(user, "ada", codes.peek(), password="wrong password!!")
    await user.should_see("Wrong username, password or code")
    await sign_in(user, "nobody", codes.peek())  # unknown users get the same answer
    await user.should_see("Wrong username, password or code")
    await sign_in(user, "ada", "111111")
    await sign_in(user, "ada", "222222")  # third failure for ada: locked
    await user.should_see("Account locked")
    await sign_in(user, "ada", codes.peek())  # even the right code waits out the lock
    await user.should_see("Account locked")
    await user.should_not_see(marker="whoami")


async def test_a_used_code_cannot_be_replayed(user: User):
    codes = await setup_admin(user)
    code = codes.next()
    await sign_in(user, "ada", code)
    await user.should_see(marker="whoami")
    user.find(marker="sign-out").click()
    await user.should_see("Sign in")
    await sign_in(user, "ada", code)
    await user.should_see("Wrong username, password or code")


async def test_nurse_runs_sessions_but_cannot_open_admin(user: User):
    codes = await setup_admin(user)
    await sign_in(user, "ada", codes.next())
    await user.should_see(marker="users")
    user.find(marker="new-username").type("nina")
    user.find(marker="new-password").type(PASSWORD)
    user.find(marker="new-continue").click()  # default role for new users: nurse
    await user.should_see(marker="totp-secret")
    nina = Codes(user.find(marker="totp-secret").elements.pop().text)
    user.find(marker="new-code").type(nina.next())
    user.find(marker="new-create").click()
    await user.should_see("Account nina created")
    user.find(marker="sign-out").click()
    await user.should_see("Sign in")
    await sign_in(user, "nina", nina.next())
    await user.should_see(marker="start")
    await user.should_not_see(marker="nav-admin")
    await user.open("/admin")
    await user.should_see(marker="forbidden")


async def start_session(user: User) -> fake_engine.Stream:
    codes = await setup_admin(user, clinical=True)
    await sign_in(user, "ada", codes.next())
    await user.should_see(marker="start")
    user.find(marker="source").elements.pop().value = "workstation"
    for _ in range(50):  # the engine starts in the background
        if user.find(marker="start").elements.pop().enabled:
            break
        await asyncio.sleep(0.1)
    n = len(fake_engine.Engine.streams)
    user.find(marker="start").click()
    for _ in range(50):  # the stream opens off the event loop
        if len(fake_engine.Engine.streams) == n + 1:
            break
        await asyncio.sleep(0.05)
    assert len(fake_engine.Engine.streams) == n + 1
    user.codes = codes
    return fake_engine.Engine.streams[-1]


async def test_status_row_shows_the_stream_chunk_size_and_degradation(user: User):
    await start_session(user)
    await user.should_see("chunk: 2.00 s", marker="status-chunk", retries=EVENT_RETRIES)
    await user.should_see("mode: longer chunks", marker="status-degradation", retries=EVENT_RETRIES)


async def test_redacted_lines_show_then_expire_and_clear_wipes_at_once(user: User):
    stream = await start_session(user)
    stream.emit(fake_engine.TranscriptEvent("partial", "the patient"))
    await user.should_see("the patient", marker="interim", retries=EVENT_RETRIES)
    stream.emit(fake_engine.TranscriptEvent("final", "The patient [NAME] has a cough."))
    await user.should_see("The patient [NAME] has a cough.", retries=EVENT_RETRIES)
    await asyncio.sleep(1.5)  # line_ttl_s is 1 s in these tests
    await user.should_not_see("The patient [NAME] has a cough.")
    stream.emit(fake_engine.TranscriptEvent("final", "Second line."))
    await user.should_see("Second line.", retries=EVENT_RETRIES)
    user.find(marker="clear").click()
    await user.should_not_see("Second line.")
    user.find(marker="stop").click()
    assert stream.stopped


async def test_lock_leaves_no_text_and_unlock_needs_password_and_fresh_code(user: User):
    stream = await start_session(user)
    stream.emit(fake_engine.TranscriptEvent("final", "Visible before lock."))
    await user.should_see("Visible before lock.", retries=EVENT_RETRIES)
    user.find(marker="lock").click()
    await user.should_see(marker="locked")
    await user.should_not_see("Visible before lock.")
    assert stream.stopped  # capture stops with the lock
    await user.open("/session")  # a locked login cannot reach the session screen
    await user.should_see(marker="locked")
    user.find(marker="password").type(PASSWORD)
    user.find(marker="code").type(user.codes.next())
    user.find(marker="unlock").click()
    await user.should_see(marker="start")


async def test_redaction_unavailable_wipes_the_screen(user: User):
    stream = await start_session(user)
    stream.emit(fake_engine.TranscriptEvent("final", "Shown while redaction works."))
    await user.should_see("Shown while redaction works.", retries=EVENT_RETRIES)
    stream.emit(fake_engine.StatusEvent("redaction unavailable"))
    await user.should_see("redaction unavailable", retries=EVENT_RETRIES)
    await user.should_not_see("Shown while redaction works.")


async def test_a_stream_status_stays_up_while_text_flows_on(user: User):
    stream = await start_session(user)
    stream.emit(fake_engine.StatusEvent("transcription fell behind: 12.3 s of audio skipped"))
    stream.emit(fake_engine.TranscriptEvent("final", "Said after the gap."))  # drained in the same tick
    await user.should_see("Said after the gap.", retries=EVENT_RETRIES)
    await user.should_see("12.3 s of audio skipped", marker="stream-status")


async def test_missing_microphone_is_a_clear_error(user: User, monkeypatch):
    monkeypatch.setattr(fake_engine.MicSource, "available", False)
    codes = await setup_admin(user, clinical=True)
    await sign_in(user, "ada", codes.next())
    await user.should_see(marker="start")
    user.find(marker="source").elements.pop().value = "workstation"
    await asyncio.sleep(1.2)
    user.find(marker="start").click()
    await user.should_see("no microphone found", retries=EVENT_RETRIES)


async def test_engine_ending_the_stream_resets_the_controls(user: User):
    stream = await start_session(user)
    stream._q.put(None)  # the source went away
    await user.should_see("Capture stopped", retries=EVENT_RETRIES)
    assert user.find(marker="start").elements.pop().enabled


async def test_store_and_audit_log_hold_no_transcript_text(user: User, ui_settings):
    stream = await start_session(user)
    stream.emit(fake_engine.TranscriptEvent("final", "Zebrafish quartz tincture."))
    await user.should_see("Zebrafish quartz tincture.", retries=EVENT_RETRIES)
    user.find(marker="clear").click()
    user.find(marker="stop").click()
    await user.should_not_see("Zebrafish")
    db = Path(ui_settings["data_dir"]) / "users.sqlite3"
    stored = b"".join(p.read_bytes() for p in db.parent.iterdir())
    assert b"Zebrafish" not in stored
    actions = [r[0] for r in sqlite3.connect(db).execute("SELECT action FROM audit ORDER BY id")]
    assert actions[-3:] == ["session_start", "clear", "session_stop"]


async def test_admin_disables_enables_and_changes_roles(user: User):
    codes = await setup_admin(user)
    await sign_in(user, "ada", codes.next())
    await user.should_see(marker="users")
    user.find(marker="new-username").type("nina")
    user.find(marker="new-password").type(PASSWORD)
    user.find(marker="new-continue").click()
    await user.should_see(marker="totp-secret")
    nina = Codes(user.find(marker="totp-secret").elements.pop().text)
    user.find(marker="new-code").type(nina.next())
    user.find(marker="new-create").click()
    await user.should_see("Account nina created")
    table = user.find(marker="users").elements.pop()

    def row(name: str) -> dict:
        return next(r for r in table.rows if r["username"] == name)

    table.selected = [row("nina")]
    user.find(marker="disable").click()
    assert row("nina")["active"] == "no"
    user.find(marker="enable").click()
    assert row("nina")["active"] == "yes"
    user.find(marker="edit-roles").elements.pop().value = ["physician"]
    user.find(marker="set-roles").click()
    assert row("nina")["roles"] == "physician"
    table.selected = [row("ada")]
    user.find(marker="edit-roles").elements.pop().value = ["nurse"]
    user.find(marker="set-roles").click()
    await user.should_see("you cannot remove your own admin role")
    await user.open("/admin")
    assert audit_actions(user)[:3] == ["roles_changed", "user_enabled", "user_disabled"]
