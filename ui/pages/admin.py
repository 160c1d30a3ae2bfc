"""User administration and the audit log (admin role). Shows no transcripts."""

from __future__ import annotations

from datetime import datetime, timezone

from fastapi.responses import RedirectResponse
from nicegui import ui

from raytranscribe.errors import UserError
from ui.auth.roles import Permission, Role
from ui.context import AppContext
from ui.pages.common import header, require
from ui.pages.enrollment import enrollment_form


def register(ctx: AppContext) -> None:
    @ui.page("/admin", title="raytranscribe - admin")
    def admin_page() -> RedirectResponse | None:
        got = require(ctx, None)
        if isinstance(got, RedirectResponse):
            return got
        bid, s = got
        if not (s.may(Permission.manage_users) or s.may(Permission.read_audit)):
            return RedirectResponse("/forbidden")
        header(ctx, bid, s)
        if s.may(Permission.manage_users):
            _users_panel(ctx, s.username)
        if s.may(Permission.read_audit):
            _audit_panel(ctx)
        return None


def _users_panel(ctx: AppContext, actor: str) -> None:
    ui.label("Users").classes("text-lg mt-4")
    columns = [{"name": n, "label": n.title(), "field": n, "align": "left"}
               for n in ("username", "roles", "active", "locked")]
    table = ui.table(columns=columns, rows=[], row_key="username", selection="single").mark("users")

    def refresh() -> None:
        now = datetime.now(timezone.utc).timestamp()
        table.rows = [{"username": u.username, "roles": ", ".join(sorted(r.value for r in u.roles)),
                       "active": "yes" if u.active else "no", "locked": "yes" if u.locked_until > now else ""}
                      for u in ctx.accounts.users()]
        table.update()

    def selected() -> str | None:
        if not table.selected:
            ui.notify("Select a user first.", type="warning")
            return None
        return table.selected[0]["username"]

    def act(change) -> None:
        if (name := selected()) is None:
            return
        try:
            change(name)
        except UserError as exc:
            ui.notify(str(exc), type="warning")
        refresh()

    def set_roles(name: str) -> None:
        ctx.accounts.set_roles(actor, name, frozenset(Role(r) for r in roles.value or []))
        if name != actor:  # their open pages must not keep the old permissions
            ctx.sessions.end_user(name)

    def disable(name: str) -> None:
        ctx.accounts.set_active(actor, name, False)
        ctx.sessions.end_user(name)

    with ui.row().classes("items-center"):
        roles = ui.select([r.value for r in Role], multiple=True, label="Roles").classes("w-64").mark("edit-roles")
        ui.button("Set roles", on_click=lambda: act(set_roles)).mark("set-roles")
        ui.button("Disable", on_click=lambda: act(disable)).mark("disable")
        ui.button("Enable", on_click=lambda: act(lambda n: ctx.accounts.set_active(actor, n, True))).mark("enable")
        ui.button("Unlock", on_click=lambda: act(lambda n: ctx.accounts.unlock(actor, n))).mark("unlock-user")
    refresh()

    with ui.expansion("Add a user").classes("w-full").mark("add-user"):
        holder = ui.column()

        def fresh_form() -> None:
            holder.clear()
            with holder:
                enrollment_form(ctx, actor, ["nurse"], created)

        def created(name: str) -> None:
            ui.notify(f"Account {name} created.")
            refresh()
            fresh_form()

        fresh_form()


def _audit_panel(ctx: AppContext) -> None:
    ui.label("Audit log (newest first)").classes("text-lg mt-4")
    columns = [{"name": n, "label": n.title(), "field": n, "align": "left"} for n in ("when", "who", "what", "detail")]
    rows = [{"when": datetime.fromtimestamp(e.ts, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
             "who": e.actor, "what": e.action, "detail": e.target} for e in ctx.audit.recent()]
    ui.table(columns=columns, rows=rows, pagination=25).classes("w-full").mark("audit")
