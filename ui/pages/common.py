"""Helpers every signed-in page uses: who is signed in, the header bar, idle lock and sign-out."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.responses import RedirectResponse
from nicegui import app, ui

from ui.auth.roles import Permission
from ui.auth.sessions import LoginSession
from ui.context import AppContext


def browser_id() -> str:
    """This browser's id from NiceGUI's signed, HttpOnly, SameSite=Strict session cookie. Read it while the
    page is built (the HTTP request); handlers get it passed in. Login state itself stays server-side."""
    return app.storage.browser["id"]


def require(ctx: AppContext, perm: Permission | None) -> tuple[str, LoginSession] | RedirectResponse:
    """(browser id, session) if signed in, unlocked and allowed ``perm``; else where to go instead."""
    bid = browser_id()
    s = ctx.sessions.get(bid)
    if s is None:
        return RedirectResponse("/login" if ctx.accounts.has_users() else "/setup")
    if s.locked:
        return RedirectResponse("/lock")
    if perm is not None and not s.may(perm):
        return RedirectResponse("/forbidden")
    return bid, s


def header(ctx: AppContext, bid: str, s: LoginSession, on_leave: Callable[[], None] = lambda: None) -> None:
    """Header bar plus the watchdog that leaves the page when the login locks or expires.

    ``on_leave`` runs before any navigation away (the session screen stops capture and wipes text).
    """

    def leave(to: str) -> None:
        on_leave()
        ui.navigate.to(to)

    def lock() -> None:
        ctx.sessions.lock(bid)
        leave("/lock")  # a fresh page: nothing from the session screen survives in the DOM

    def sign_out() -> None:
        ctx.audit.record(s.username, "logout")
        ctx.sessions.end(bid)
        leave("/login")

    def watchdog() -> None:
        now = ctx.sessions.get(bid)
        if now is None:
            watch.cancel()
            leave("/login")
        elif now.locked:
            watch.cancel()
            leave("/lock")

    with ui.header().classes("items-center bg-slate-800"):
        ui.label("raytranscribe").classes("text-lg font-semibold")
        if s.may(Permission.run_session):
            ui.link("Session", "/session").classes("text-white").mark("nav-session")
        if s.may(Permission.manage_users) or s.may(Permission.read_audit):
            ui.link("Admin", "/admin").classes("text-white").mark("nav-admin")
        ui.space()
        ui.label(f"{s.username} ({', '.join(sorted(r.value for r in s.roles))})").mark("whoami")
        ui.button("Lock", on_click=lock).props("flat color=white").mark("lock")
        ui.button("Sign out", on_click=sign_out).props("flat color=white").mark("sign-out")
    ui.add_head_html('<script src="/rt-static/page.js"></script>')
    # The page script reports key presses and pointer use (throttled); they keep the login unlocked.
    ui.on("rt_activity", lambda: ctx.sessions.touch(bid), throttle=5.0)
    watch = ui.timer(1.0, watchdog)
