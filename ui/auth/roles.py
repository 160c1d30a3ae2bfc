"""Roles and what each may do. The README's role matrix documents this table."""

from __future__ import annotations

from enum import Enum


class Role(str, Enum):
    physician = "physician"
    nurse = "nurse"
    admin = "admin"


class Permission(str, Enum):
    run_session = "run_session"  # capture audio and see redacted transcripts
    manage_users = "manage_users"
    read_audit = "read_audit"


# Admin alone sees no transcripts: a clinical role must be granted as well.
GRANTS: dict[Role, frozenset[Permission]] = {
    Role.physician: frozenset({Permission.run_session}),
    Role.nurse: frozenset({Permission.run_session}),
    Role.admin: frozenset({Permission.manage_users, Permission.read_audit}),
}


def permissions(roles: frozenset[Role]) -> frozenset[Permission]:
    return frozenset().union(*(GRANTS[r] for r in roles)) if roles else frozenset()


def parse_roles(text: str) -> frozenset[Role]:
    return frozenset(Role(r) for r in text.split(",") if r)


def format_roles(roles: frozenset[Role] | set[Role]) -> str:
    return ",".join(sorted(r.value for r in roles))
