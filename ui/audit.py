"""Audit log of access events: who, what, when. Never transcript text, audio or redacted content."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ui.auth.store import Store

ACTIONS = frozenset({
    "login", "login_failed", "login_while_locked", "lockout", "logout", "session_expired",
    "session_start", "session_stop", "clear", "lock", "unlock",
    "user_created", "roles_changed", "user_enabled", "user_disabled", "user_unlocked",
})


@dataclass(frozen=True)
class AuditEntry:
    ts: float
    actor: str
    action: str
    target: str


class AuditLog:
    def __init__(self, store: Store, clock: Callable[[], float] = time.time) -> None:
        self.store, self.clock = store, clock

    def record(self, actor: str, action: str, target: str = "") -> None:
        # A closed vocabulary keeps free text (and so any PHI) out of the log.
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        self.store.execute(
            "INSERT INTO audit (ts, actor, action, target) VALUES (?, ?, ?, ?)", (self.clock(), actor, action, target)
        )

    def recent(self, limit: int = 500) -> list[AuditEntry]:
        rows = self.store.execute("SELECT ts, actor, action, target FROM audit ORDER BY id DESC LIMIT ?", (limit,))
        return [AuditEntry(r["ts"], r["actor"], r["action"], r["target"]) for r in rows]
