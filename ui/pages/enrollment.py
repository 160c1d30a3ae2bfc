"""New-account form shared by first-run setup and user admin: details, then a QR code shown once."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from raytranscribe.errors import UserError
from ui.auth.roles import Role
from ui.auth.totp import TotpVault
from ui.context import AppContext


def enrollment_form(
    ctx: AppContext, actor: str, default_roles: list[str], on_done: Callable[[str], None]
) -> None:
    """``actor`` is "" for first-run setup. The TOTP secret lives only in this page until the account is
    created, so reloading shows a new QR code and the old one is worthless."""
    vault = ctx.accounts.vault
    with ui.column().classes("w-96 gap-2") as details:
        username = ui.input("Username").props("autocomplete=off").mark("new-username")
        password = ui.input("Password", password=True).props("autocomplete=new-password").mark("new-password")
        roles = ui.select([r.value for r in Role], multiple=True, value=default_roles, label="Roles").mark("new-roles")
        next_btn = ui.button("Continue").mark("new-continue")
    enroll = ui.column().classes("w-96 gap-2")
    enroll.set_visibility(False)

    def show_qr() -> None:
        try:
            chosen = frozenset(Role(r) for r in roles.value or [])
            name = ctx.accounts.check_new_user(username.value, password.value, chosen)
        except UserError as exc:
            ui.notify(str(exc), type="warning")
            return
        secret = vault.new_secret()
        details.set_visibility(False)
        enroll.set_visibility(True)
        with enroll:
            ui.label(f"Scan this with {name}'s authenticator app. It is shown only once.")
            ui.html(TotpVault.enrollment_svg(secret, name), sanitize=False).classes("w-64 bg-white p-2")
            ui.label("Or type this key:").classes("text-sm")
            ui.label(secret).classes("font-mono text-sm").mark("totp-secret")
            code = ui.input("Code from the app").props("autocomplete=one-time-code inputmode=numeric").mark("new-code")

            def create() -> None:
                try:
                    ctx.accounts.create_user(actor, name, password.value, chosen, secret, code.value)
                except UserError as exc:
                    ui.notify(str(exc), type="warning")
                    return
                password.value = ""
                on_done(name)

            ui.button("Create account", on_click=create).mark("new-create")

    next_btn.on_click(show_qr)
