"""Login sessions, in memory only: keyed by the browser's signed session cookie, idle lock and hard expiry."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ui.auth.roles import Permission, Role, permissions


@dataclass
class LoginSession:
    username: str
    roles: frozenset[Role]
    started: float
    last_activity: float
    locked: bool = False
    perms: frozenset[Permission] = field(init=False)

    def __post_init__(self) -> None:
        self.perms = permissions(self.roles)

    def may(self, perm: Permission) -> bool:
        return perm in self.perms


class LoginSessions:
    """Nothing here survives a restart, by design: restarting the app logs everyone out.

    ``record(username, action, detail)`` is told of locks and expiries (the audit log).
    """

    def __init__(
        self,
        idle_lock_s: float,
        max_age_s: float,
        record: Callable[[str, str, str], None],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.idle_lock_s, self.max_age_s, self.record, self.clock = idle_lock_s, max_age_s, record, clock
        self._by_browser: dict[str, LoginSession] = {}
        self._lock = threading.Lock()

    def begin(self, browser_id: str, username: str, roles: frozenset[Role]) -> LoginSession:
        now = self.clock()
        with self._lock:
            self._by_browser[browser_id] = s = LoginSession(username, roles, now, now)
        return s

    def get(self, browser_id: str) -> LoginSession | None:
        """The live session, or None once it has expired; locks it if it sat idle too long."""
        now = self.clock()
        with self._lock:
            s = self._by_browser.get(browser_id)
            if s is None:
                return None
            if now - s.started > self.max_age_s:
                del self._by_browser[browser_id]
                self.record(s.username, "session_expired", "")
                return None
            if not s.locked and now - s.last_activity > self.idle_lock_s:
                s.locked = True
                self.record(s.username, "lock", "idle")
            return s

    def touch(self, browser_id: str) -> None:
        with self._lock:
            s = self._by_browser.get(browser_id)
            if s is not None and not s.locked:
                s.last_activity = self.clock()

    def lock(self, browser_id: str) -> None:
        with self._lock:
            if (s := self._by_browser.get(browser_id)) is not None and not s.locked:
                s.locked = True
                self.record(s.username, "lock", "manual")

    def unlock(self, browser_id: str, username: str) -> bool:
        """Only the user who locked the session may unlock it (after re-authenticating)."""
        with self._lock:
            s = self._by_browser.get(browser_id)
            if s is None or s.username != username:
                return False
            s.locked, s.last_activity = False, self.clock()
        self.record(username, "unlock", "")
        return True

    def end(self, browser_id: str) -> None:
        with self._lock:
            self._by_browser.pop(browser_id, None)

    def end_user(self, username: str) -> None:
        """Sign a user out everywhere (their account was disabled or their roles changed)."""
        with self._lock:
            ended = [bid for bid, s in self._by_browser.items() if s.username == username]
            for bid in ended:
                del self._by_browser[bid]
        if ended:
            self.record(username, "logout", "account changed")
