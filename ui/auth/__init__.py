"""Accounts, TOTP, lockout and login sessions: plain objects, no NiceGUI, unit-testable."""
