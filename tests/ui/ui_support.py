"""Helpers shared by the UI tests (a plain module: conftest names clash across test folders)."""

from __future__ import annotations

import time

import pyotp

PASSWORD = "correct horse battery"


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
