"""First-run setup, sign-in, the lock screen and the not-permitted page."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from ui.auth.accounts import LoginOutcome, LoginResult
from ui.auth.roles import Permission
from ui.context import AppContext
from ui.pages.common import browser_id, require
from ui.pages.enrollment import enrollment_form


def _secrets() -> tuple[ui.input, ui.input]:
    password = ui.input("Password", password=True).props("autocomplete=current-password").mark("password")
    code = ui.input("6-digit code").props("autocomplete=one-time-code inputmode=numeric").mark("code")
    return password, code


def _explain(result: LoginResult) -> None:
    if result.outcome is LoginOutcome.locked:
        ui.notify(f"Account locked after repeated failures. Try again in {result.retry_after_s:.0f} s.",
                  type="negative")
    else:
        ui.notify("Wrong username, password or code.", type="negative")


def _check(ctx: AppContext, username: str, password: ui.input, code: ui.input) -> LoginResult | None:
    """One sign-in attempt: the secrets are cleared from the form either way; a failure is explained."""
    result = ctx.accounts.login(username, password.value, code.value)
    password.value = code.value = ""
    if result.outcome is not LoginOutcome.ok:
        _explain(result)
        return None
    return result


def register(ctx: AppContext) -> None:
    @ui.page("/")
    def index() -> RedirectResponse:
        got = require(ctx, None)
        if isinstance(got, RedirectResponse):
            return got
        return RedirectResponse("/session" if got[1].may(Permission.run_session) else "/admin")

    @ui.page("/setup", title="raytranscribe - setup")
    def setup() -> RedirectResponse | None:
        if ctx.accounts.has_users():
            return RedirectResponse("/login")
        with ui.card().classes("mx-auto mt-12"):
            ui.label("First-run setup: create the administrator").classes("text-lg")
            ui.label("Add a clinical role too if this person will also run sessions.").classes("text-sm")
            enrollment_form(ctx, "", ["admin"], lambda _name: ui.navigate.to("/login"))
        return None

    @ui.page("/login", title="raytranscribe - sign in")
    def login() -> RedirectResponse | None:
        if not ctx.accounts.has_users():
            return RedirectResponse("/setup")
        bid = browser_id()
        if ctx.sessions.get(bid) is not None:
            return RedirectResponse("/")
        with ui.card().classes("mx-auto mt-12 w-96"):
            ui.label("Sign in").classes("text-lg")
            username = ui.input("Username").props("autocomplete=username").mark("username")
            password, code = _secrets()

            def submit() -> None:
                if (result := _check(ctx, username.value, password, code)) is None:
                    return
                ctx.sessions.begin(bid, result.username, result.roles)
                ui.navigate.to("/")

            code.on("keydown.enter", submit)
            ui.button("Sign in", on_click=submit).mark("sign-in")
        return None

    @ui.page("/lock", title="raytranscribe - locked")
    def lock() -> RedirectResponse | None:
        bid = browser_id()
        s = ctx.sessions.get(bid)
        if s is None:
            return RedirectResponse("/login")
        if not s.locked:
            return RedirectResponse("/")
        with ui.card().classes("mx-auto mt-12 w-96").mark("locked"):
            ui.label("Locked").classes("text-lg")
            ui.label(f"Signed in as {s.username}. Enter your password and a new code to continue.")
            password, code = _secrets()

            def unlock() -> None:
                if (result := _check(ctx, s.username, password, code)) is None:
                    return
                ctx.sessions.unlock(bid, result.username)
                ui.navigate.to("/")

            def sign_out() -> None:
                ctx.audit.record(s.username, "logout")
                ctx.sessions.end(bid)
                ui.navigate.to("/login")

            code.on("keydown.enter", unlock)
            with ui.row():
                ui.button("Unlock", on_click=unlock).mark("unlock")
                ui.button("Sign out", on_click=sign_out).props("flat").mark("sign-out")
        return None

    @ui.page("/forbidden", title="raytranscribe - not permitted")
    def forbidden() -> None:
        with ui.card().classes("mx-auto mt-12"):
            ui.label("Your role does not permit that page.").mark("forbidden")
            ui.link("Back", "/")
