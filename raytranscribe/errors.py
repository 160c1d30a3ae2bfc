"""Errors shown to users.

A ``UserError`` message is printed as one line with no traceback, so it must never carry PHI: name the
setting, file kind or component that failed, never transcript text or audio content.
"""


class UserError(Exception):
    """A problem the user can fix (bad input, missing model, no microphone); printed as one line."""
