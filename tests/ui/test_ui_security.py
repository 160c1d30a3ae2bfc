"""Security headers, Host allow-list and same-origin enforcement on HTTP and websockets."""

import pytest
from fastapi import FastAPI, WebSocket
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect

from raytranscribe.settings import UiSettings
from ui import security

HOST = {"host": "127.0.0.1:8080"}  # the test client's websockets otherwise say "testserver"


@pytest.fixture
def client():
    app = FastAPI()

    @app.get("/page")
    def page():
        return {"ok": True}

    @app.websocket("/ws")
    async def ws(websocket: WebSocket):
        await websocket.accept()
        await websocket.send_text("hi")
        await websocket.close()

    security.install(app, UiSettings())
    return TestClient(app, base_url="http://127.0.0.1:8080")


def test_every_response_carries_the_headers(client):
    r = client.get("/page")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    for directive in ("default-src 'none'", "frame-ancestors 'none'", "connect-src 'self'", "object-src 'none'"):
        assert directive in csp
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"


def test_cross_origin_requests_and_websockets_are_refused(client):
    assert client.get("/page", headers={"origin": "http://127.0.0.1:8080"}).status_code == 200
    r = client.get("/page", headers={"origin": "https://evil.example"})
    assert r.status_code == 403 and r.headers["cache-control"] == "no-store"
    with client.websocket_connect("/ws", headers={**HOST, "origin": "http://127.0.0.1:8080"}) as ws:
        assert ws.receive_text() == "hi"
    with pytest.raises((WebSocketDisconnect, WebSocketDenialResponse)):  # refused before accept
        with client.websocket_connect("/ws", headers={**HOST, "origin": "http://evil.example"}) as ws:
            ws.receive_text()


def test_unknown_host_is_refused(client):
    assert client.get("/page", headers={"host": "attacker.example"}).status_code == 400
