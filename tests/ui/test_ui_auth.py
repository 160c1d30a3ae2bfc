"""Accounts, TOTP replay guard, lockout back-off, login sessions and the audit log, without a browser."""

from __future__ import annotations

import os
import stat

import pyotp
import pytest
from ui_support import PASSWORD

from raytranscribe.errors import UserError
from raytranscribe.settings import UiSettings
from ui.audit import AuditLog
from ui.auth.accounts import Accounts, LoginOutcome
from ui.auth.roles import Permission, Role, permissions
from ui.auth.sessions import LoginSessions
from ui.auth.store import open_store
from ui.auth.totp import TotpVault

T0 = 1_800_000_000.0  # a fixed clock, at the start of a 30 s TOTP step


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def accounts(tmp_path, clock):
    store = open_store(tmp_path / "data")
    audit = AuditLog(store, clock)
    settings = UiSettings(lockout_threshold=3, lockout_base_s=60, lockout_max_s=200)
    acc = Accounts(store, TotpVault(tmp_path / "keys" / "totp.key"), audit, settings, clock)
    yield acc
    store.close()


def make_user(accounts, clock, name="ada", roles=frozenset({Role.admin})) -> pyotp.TOTP:
    secret = accounts.vault.new_secret()
    totp = pyotp.TOTP(secret)
    accounts.create_user("", name, PASSWORD, roles, secret, totp.at(clock.now))
    return totp


def actions(accounts) -> list[str]:
    return [e.action for e in accounts.audit.recent()]


def test_secrets_at_rest(accounts, clock, tmp_path):
    totp = make_user(accounts, clock)
    raw = (tmp_path / "data" / "users.sqlite3").read_bytes()
    assert PASSWORD.encode() not in raw and totp.secret.encode() not in raw
    row = accounts.store.execute("SELECT password_hash FROM users").fetchone()
    assert row["password_hash"].startswith("$argon2id$")
    key = tmp_path / "keys" / "totp.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "data" / "users.sqlite3").stat().st_mode) == 0o600


def test_key_file_must_be_private(tmp_path):
    key = tmp_path / "totp.key"
    TotpVault(key)
    os.chmod(key, 0o644)
    with pytest.raises(UserError, match="chmod 600"):
        TotpVault(key)


def test_wrong_key_file_fails_with_a_clear_error(accounts, clock, tmp_path):
    totp = make_user(accounts, clock)
    accounts.vault = TotpVault(tmp_path / "other.key")
    clock.now += 30
    with pytest.raises(UserError, match="key file does not match"):
        accounts.login("ada", PASSWORD, totp.at(clock.now))


def test_enrollment_needs_a_matching_code_and_setup_closes_after_first_admin(accounts, clock):
    secret = accounts.vault.new_secret()
    with pytest.raises(UserError, match="does not match"):
        accounts.create_user("", "ada", PASSWORD, frozenset({Role.admin}), secret, "123456")
    make_user(accounts, clock)
    with pytest.raises(UserError, match="already complete"):
        make_user(accounts, clock, "eve")
    with pytest.raises(UserError, match="taken"):
        accounts.check_new_user("ADA", PASSWORD, frozenset({Role.nurse}))
    with pytest.raises(UserError, match="at least 12"):
        accounts.check_new_user("bob", "short", frozenset({Role.nurse}))


def test_login_needs_password_and_fresh_code_and_codes_cannot_be_replayed(accounts, clock):
    totp = make_user(accounts, clock)
    enrollment_code = totp.at(clock.now)
    assert accounts.login("ada", PASSWORD, enrollment_code).outcome is LoginOutcome.denied  # used at enrollment
    clock.now += 30
    code = totp.at(clock.now)
    assert accounts.login("ada", "wrong password!!", code).outcome is LoginOutcome.denied
    ok = accounts.login("ADA ", PASSWORD, code)
    assert ok.outcome is LoginOutcome.ok and ok.roles == {Role.admin}
    assert accounts.login("ada", PASSWORD, code).outcome is LoginOutcome.denied  # replay
    assert accounts.login("ada", PASSWORD, totp.at(clock.now - 30)).outcome is LoginOutcome.denied  # older step
    assert accounts.login("ada", PASSWORD, totp.at(clock.now + 30)).outcome is LoginOutcome.ok  # clock drift


def test_lockout_backs_off_and_caps(accounts, clock):
    totp = make_user(accounts, clock)
    for _ in range(2):
        assert accounts.login("ada", PASSWORD, "000000").outcome is LoginOutcome.denied
    third = accounts.login("ada", PASSWORD, "000000")
    assert third.outcome is LoginOutcome.locked and third.retry_after_s == 60
    clock.now += 30
    locked = accounts.login("ada", PASSWORD, totp.at(clock.now))  # right code, still locked
    assert locked.outcome is LoginOutcome.locked and locked.retry_after_s == pytest.approx(30)
    clock.now += 31
    assert accounts.login("ada", PASSWORD, "000000").retry_after_s == 120  # doubles
    clock.now += 121
    assert accounts.login("ada", PASSWORD, "000000").retry_after_s == 200  # capped at lockout_max_s
    clock.now += 201
    assert accounts.login("ada", PASSWORD, totp.at(clock.now)).outcome is LoginOutcome.ok
    clock.now += 30
    assert accounts.login("ada", PASSWORD, "000000").outcome is LoginOutcome.denied  # count was reset
    assert "lockout" in actions(accounts) and "login_while_locked" in actions(accounts)


def test_unknown_and_disabled_users_get_the_same_answer(accounts, clock):
    totp = make_user(accounts, clock, roles=frozenset({Role.admin, Role.physician}))
    assert accounts.login("nobody", PASSWORD, "123456").outcome is LoginOutcome.denied
    secret = accounts.vault.new_secret()
    accounts.create_user("ada", "bob", PASSWORD, frozenset({Role.nurse}), secret, pyotp.TOTP(secret).at(clock.now))
    accounts.set_active("ada", "bob", False)
    clock.now += 30
    assert accounts.login("bob", PASSWORD, pyotp.TOTP(secret).at(clock.now)).outcome is LoginOutcome.denied
    with pytest.raises(UserError):
        accounts.set_active("ada", "ada", False)
    with pytest.raises(UserError):
        accounts.set_roles("ada", "ada", frozenset({Role.physician}))
    accounts.set_roles("ada", "bob", frozenset({Role.physician}))
    assert {u.username: u.roles for u in accounts.users()}["bob"] == {Role.physician}
    assert totp  # ada's login still works: covered above


def test_role_matrix():
    assert permissions(frozenset({Role.admin})) == {Permission.manage_users, Permission.read_audit}
    assert Permission.run_session not in permissions(frozenset({Role.admin}))
    for clinical in (Role.physician, Role.nurse):
        assert permissions(frozenset({clinical})) == {Permission.run_session}
    assert Permission.run_session in permissions(frozenset({Role.admin, Role.nurse}))


def test_login_sessions_lock_when_idle_and_expire(clock):
    events = []
    sessions = LoginSessions(idle_lock_s=60, max_age_s=3600, record=lambda *e: events.append(e), clock=clock)
    sessions.begin("b1", "ada", frozenset({Role.nurse}))
    clock.now += 59
    sessions.touch("b1")
    clock.now += 59
    assert not sessions.get("b1").locked
    clock.now += 2 + 59
    assert sessions.get("b1").locked
    sessions.touch("b1")  # activity does not unlock: only re-authentication does
    assert sessions.get("b1").locked
    assert not sessions.unlock("b1", "mallory")
    assert sessions.unlock("b1", "ada") and not sessions.get("b1").locked
    clock.now += 3600
    assert sessions.get("b1") is None
    sessions.begin("b2", "ada", frozenset({Role.nurse}))
    sessions.begin("b3", "bob", frozenset({Role.nurse}))
    sessions.end_user("ada")  # disabled by an admin
    assert sessions.get("b2") is None and sessions.get("b3") is not None
    assert [e[1] for e in events] == ["lock", "unlock", "session_expired", "logout"]


def test_audit_log_takes_only_known_actions(accounts):
    with pytest.raises(ValueError):
        accounts.audit.record("ada", "free text the patient said")
