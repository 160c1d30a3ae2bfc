"""Assembles the NiceGUI app (pages, static script, security middleware, engine lifecycle) and runs it."""

from __future__ import annotations

import secrets
from pathlib import Path
from types import ModuleType
from typing import Any

from nicegui import app, ui

from raytranscribe.settings import Settings
from ui import security
from ui.context import AppContext, build_context
from ui.pages import admin, session, sign_in

STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings, engine_api: ModuleType | None = None) -> AppContext:
    ctx = build_context(settings, engine_api)
    security.install(app, settings.ui)
    app.add_static_files("/rt-static", STATIC)
    for pages in (sign_in, session, admin):
        pages.register(ctx)
    app.on_startup(ctx.engine.start_in_background)
    app.on_shutdown(ctx.engine.shutdown)
    app.on_shutdown(ctx.store.close)
    return ctx


def run_kwargs(settings: Settings) -> dict[str, Any]:
    """ui.run arguments shared by the real app and the test entry point."""
    return dict(
        title="raytranscribe",
        reload=False,
        show=False,
        show_welcome_message=False,
        # A fresh secret each start: restarting the app signs every browser out.
        storage_secret=secrets.token_urlsafe(32),
        session_middleware_kwargs={"same_site": "strict", "https_only": False, "max_age": None},
        cache_control_directives="no-store",
        favicon=STATIC / "favicon.svg",
    )


def run(settings: Settings) -> None:
    create_app(settings)
    ui.run(host=settings.ui.host, port=settings.ui.port, native=settings.ui.native, **run_kwargs(settings))
