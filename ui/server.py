"""Assembles the NiceGUI app (pages, static script, security middleware, engine lifecycle) and runs it."""

from __future__ import annotations

import importlib.util
import secrets
import socket
from pathlib import Path
from types import ModuleType
from typing import Any

from nicegui import app, ui

from raytranscribe.errors import UserError
from raytranscribe.privacy import harden_process
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
    tls = _tls(settings)
    return dict(
        title="raytranscribe",
        reload=False,
        show=False,
        show_welcome_message=False,
        # A fresh secret each start: restarting the app signs every browser out.
        storage_secret=secrets.token_urlsafe(32),
        session_middleware_kwargs={"same_site": "strict", "https_only": bool(tls), "max_age": None},
        cache_control_directives="no-store",
        favicon=STATIC / "favicon.svg",
        **tls,
    )


def _tls(settings: Settings) -> dict[str, str]:
    cert, key = settings.ui.tls_certfile, settings.ui.tls_keyfile
    if (cert is None) != (key is None):
        raise UserError("ui.tls_certfile and ui.tls_keyfile go together: set both or neither")
    if cert is None:
        return {}
    for path in (cert, key):
        if not path.is_file():
            raise UserError(f"TLS file not found: {path}")
    return {"ssl_certfile": str(cert), "ssl_keyfile": str(key)}


def run(settings: Settings, engine_api: ModuleType | None = None) -> None:
    kwargs = run_kwargs(settings)
    _check_port_free(settings.ui.host, settings.ui.port)
    if settings.ui.native and importlib.util.find_spec("webview") is None:
        raise UserError("a native window (ui.native) needs pywebview: pip install pywebview")
    # Egress guard, PHI-safe logging (NiceGUI's and uvicorn's too), no core dumps: before the engine loads.
    harden_process(settings.cluster.address)
    create_app(settings, engine_api)
    ui.run(host=settings.ui.host, port=settings.ui.port, native=settings.ui.native, **kwargs)


def _check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        try:
            s.bind((host, port))
        except OSError:
            raise UserError(f"cannot listen on {host}:{port}; is the app already running? (ui.port)") from None
