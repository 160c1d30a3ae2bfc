"""HTTP hardening for every response and websocket: headers, Host allow-list, same-origin enforcement."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from raytranscribe.settings import UiSettings

# NiceGUI renders Vue templates at run time (needs 'unsafe-eval') and bootstraps each page with inline
# scripts and styles (needs 'unsafe-inline'); everything else is locked to this origin, and no page may
# frame us, post forms anywhere, or load plugins.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
])

SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "cache-control": "no-store",
    "pragma": "no-cache",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "microphone=(self), camera=(), geolocation=(), payment=(), usb=()",
}


class SecurityMiddleware:
    """Sets SECURITY_HEADERS on every HTTP response (replacing NiceGUI's caching headers) and refuses any
    request or websocket whose Origin is not this server: all state changes travel over NiceGUI's
    websocket, so this is what stops cross-site requests (with the SameSite=Strict session cookie)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        origin = headers.get("origin")
        if origin is not None and urlsplit(origin).netloc != headers.get("host"):
            await _refuse(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.decode("latin-1").lower()
                        not in SECURITY_HEADERS and k.lower() != b"expires"]
                message["headers"] = kept + [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "websocket":
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": 1008})
        return
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"text/plain"), *((k.encode(), v.encode())
                            for k, v in SECURITY_HEADERS.items())]})
    await send({"type": "http.response.body", "body": b"cross-origin request refused"})


def install(app, settings: UiSettings) -> None:
    """Add to the NiceGUI/FastAPI app; the last added runs first, so hosts are checked before anything."""
    app.add_middleware(SecurityMiddleware)
    hosts = {"127.0.0.1", "localhost", "[::1]", settings.host, *settings.allowed_hosts}
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=sorted(hosts))
