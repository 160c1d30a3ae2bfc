"""User accounts: argon2 password hashes, TOTP second factor with replay guard, lockout with back-off."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from raytranscribe.errors import UserError
from raytranscribe.settings import UiSettings
from ui.audit import AuditLog
from ui.auth.roles import Role, format_roles, parse_roles
from ui.auth.store import Store
from ui.auth.totp import TotpVault

USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


class LoginOutcome(str, Enum):
    ok = "ok"
    denied = "denied"  # wrong user, password or code: one answer, so it reveals nothing about which
    locked = "locked"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    username: str = ""
    roles: frozenset[Role] = frozenset()
    retry_after_s: float = 0.0


@dataclass(frozen=True)
class UserInfo:
    username: str
    roles: frozenset[Role]
    active: bool
    locked_until: float


class Accounts:
    def __init__(
        self,
        store: Store,
        vault: TotpVault,
        audit: AuditLog,
        settings: UiSettings,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store, self.vault, self.audit, self.settings, self.clock = store, vault, audit, settings, clock
        self.hasher = PasswordHasher()
        # Verified against for unknown usernames so a miss costs as long as a wrong password.
        self._dummy_hash = self.hasher.hash("not a password")

    # --- user management -------------------------------------------------------------------------

    def has_users(self) -> bool:
        return self.store.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None

    def check_new_user(self, username: str, password: str, roles: frozenset[Role]) -> str:
        """Validate before the QR code is shown; returns the normalised username."""
        name = username.strip().lower()
        if not (2 <= len(name) <= 64 and set(name) <= USERNAME_CHARS):
            raise UserError("username: 2-64 characters, letters, digits, '.', '_' or '-'")
        if len(password) < self.settings.min_password_len:
            raise UserError(f"password: at least {self.settings.min_password_len} characters")
        if not roles:
            raise UserError("choose at least one role")
        if self.store.execute("SELECT 1 FROM users WHERE username=?", (name,)).fetchone():
            raise UserError("that username is taken")
        return name

    def create_user(
        self, actor: str, username: str, password: str, roles: frozenset[Role], totp_secret: str, code: str
    ) -> str:
        """Create an account once its owner has proved the authenticator works by entering a code."""
        name = self.check_new_user(username, password, roles)
        step = self.vault.matching_step(totp_secret, code, self.clock())
        if step is None:
            raise UserError("that code does not match the QR code; scan it again and enter a fresh code")
        with self.store.lock:
            if actor == "" and self.has_users():  # first-run setup closes once an account exists
                raise UserError("setup is already complete")
            self.store.execute(
                "INSERT INTO users (username, password_hash, roles, totp_secret, totp_last_step, created)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (name, self.hasher.hash(password), format_roles(roles), self.vault.seal(totp_secret), step,
                 self.clock()),
            )
        self.audit.record(actor or name, "user_created", f"{name} roles={format_roles(roles)}")
        return name

    def users(self) -> list[UserInfo]:
        rows = self.store.execute("SELECT username, roles, active, locked_until FROM users ORDER BY username")
        return [UserInfo(r["username"], parse_roles(r["roles"]), bool(r["active"]), r["locked_until"]) for r in rows]

    def set_roles(self, actor: str, username: str, roles: frozenset[Role]) -> None:
        if not roles:
            raise UserError("choose at least one role")
        if actor == username and Role.admin not in roles:
            raise UserError("you cannot remove your own admin role")
        self._update(username, "roles=?", (format_roles(roles),))
        self.audit.record(actor, "roles_changed", f"{username} roles={format_roles(roles)}")

    def set_active(self, actor: str, username: str, active: bool) -> None:
        if actor == username and not active:
            raise UserError("you cannot disable your own account")
        self._update(username, "active=?", (int(active),))
        self.audit.record(actor, "user_enabled" if active else "user_disabled", username)

    def unlock(self, actor: str, username: str) -> None:
        self._update(username, "failed_logins=0, locked_until=0", ())
        self.audit.record(actor, "user_unlocked", username)

    def _update(self, username: str, assignments: str, params: tuple) -> None:
        cur = self.store.execute(f"UPDATE users SET {assignments} WHERE username=?", (*params, username))
        if cur.rowcount != 1:
            raise UserError("no such user")

    # --- login -----------------------------------------------------------------------------------

    def login(self, username: str, password: str, code: str) -> LoginResult:
        """Password and TOTP code together; failures count toward lockout, success resets the count."""
        name = username.strip().lower()
        now = self.clock()
        with self.store.lock:
            row = self.store.execute("SELECT * FROM users WHERE username=?", (name,)).fetchone()
            if row is None or not row["active"]:
                self._verify(self._dummy_hash, password)
                self.audit.record(name if row else "(unknown)", "login_failed", "")
                return LoginResult(LoginOutcome.denied)
            if row["locked_until"] > now:
                self.audit.record(name, "login_while_locked", "")
                return LoginResult(LoginOutcome.locked, retry_after_s=row["locked_until"] - now)
            step = None
            if self._verify(row["password_hash"], password):
                step = self.vault.matching_step(self.vault.unseal(row["totp_secret"]), code, now)
            # A step at or before the last accepted one is a replayed (or older) code.
            if step is None or step <= row["totp_last_step"]:
                return self._fail(name, row["failed_logins"] + 1, now)
            self._update(name, "failed_logins=0, locked_until=0, totp_last_step=?", (step,))
            if self.hasher.check_needs_rehash(row["password_hash"]):
                self._update(name, "password_hash=?", (self.hasher.hash(password),))
        self.audit.record(name, "login", "")
        return LoginResult(LoginOutcome.ok, name, parse_roles(row["roles"]))

    def _fail(self, name: str, failures: int, now: float) -> LoginResult:
        s = self.settings
        over = failures - s.lockout_threshold
        locked_for = min(s.lockout_base_s * 2**over, s.lockout_max_s) if over >= 0 else 0.0
        self._update(name, "failed_logins=?, locked_until=?", (failures, now + locked_for if locked_for else 0))
        self.audit.record(name, "login_failed", "")
        if locked_for:
            self.audit.record(name, "lockout", f"{locked_for:.0f}s")
            return LoginResult(LoginOutcome.locked, retry_after_s=locked_for)
        return LoginResult(LoginOutcome.denied)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
