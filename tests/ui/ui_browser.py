"""Real-browser harness: the app in its own process, headless Debian Chromium with a fake microphone.

Chromium runs with flags that stop its background network traffic and a throw-away profile; every request
the pages make is logged so a test can assert that none left the loopback interface.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

SERVE = Path(__file__).parent / "app_main.py"
# How long a page may take to show what a step expects. Under strace (the privacy session test) a sign-in, with
# its argon2 check, once took over 15 s on a 2-core CI machine.
WAIT_S = 40.0
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
QUIET_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
    "--disable-domain-reliability", "--no-pings", "--disable-dev-shm-usage", "--window-size=1200,900",
    # The flags above do not stop Debian Chromium's own traffic (component updates, network time, the search
    # engine's preconnect; found by tests/privacy/test_privacy_app_session.py): no name resolves at all.
    # The page uses 127.0.0.1, and a request it made elsewhere would still show in the request log.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def browser_available() -> bool:
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app_server(tmp: Path, engine: str, ui_overrides: dict, ready_timeout_s: float = 60) -> Iterator[str]:
    port = _free_port()
    settings = {"data_dir": str(tmp / "data"), "key_file": str(tmp / "keys" / "totp.key"), "port": port,
                **ui_overrides}
    env = dict(os.environ, RT_TEST_ENGINE=engine, RT_TEST_UI_SETTINGS=json.dumps(settings))
    env.pop("PYTEST_CURRENT_TEST", None)  # else NiceGUI thinks it runs inside pytest and ignores the port
    log = tmp / "app.log"  # a file, not a pipe: a full pipe would stall the server
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, str(SERVE)], env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_timeout_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"app exited early:\n{log.read_text(errors='replace')[-3000:]}")
            try:
                urllib.request.urlopen(url + "/login", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def chromium(mic_wav: Path | None = None, log_output: Any = None) -> Iterator[webdriver.Chrome]:
    """``log_output``: where chromedriver's and Chromium's own output goes (default: discarded)."""
    profile = Path(tempfile.mkdtemp(prefix="rt-chromium-"))
    opts = Options()
    opts.binary_location = CHROMIUM
    for flag in QUIET_FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={profile}")
    if mic_wav is not None:
        opts.add_argument("--use-fake-device-for-media-stream")
        opts.add_argument("--use-fake-ui-for-media-stream")
        opts.add_argument(f"--use-file-for-fake-audio-capture={mic_wav}")
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER, log_output=log_output), options=opts)
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


class Page:
    """Small selenium helpers for NiceGUI/Quasar pages, found by visible labels."""

    def __init__(self, driver: webdriver.Chrome, base: str, shots: Path) -> None:
        self.d, self.base, self.shots = driver, base, shots
        self.hosts: set[str] = set()

    def open(self, path: str) -> None:
        self.d.get(self.base + path)

    def field(self, label: str):
        xpath = f'//label[.//div[contains(@class,"q-field__label") and normalize-space()="{label}"]]//input'
        return self.wait(lambda: next(e for e in self.d.find_elements(By.XPATH, xpath) if e.is_displayed()),
                         what=f"field {label!r}")

    def fill(self, label: str, text: str) -> None:
        el = self.field(label)
        el.clear()
        el.send_keys(text)

    def click(self, text: str, timeout: float = WAIT_S) -> None:
        """Click the button labelled ``text`` once it exists and is enabled."""
        button = self.wait(lambda: next(
            b for b in self.d.find_elements(By.XPATH, f'//button[normalize-space()="{text}"]') if b.is_enabled()),
            timeout, f"button {text!r}")
        button.click()

    def text(self) -> str:
        return self.d.find_element(By.TAG_NAME, "body").text

    def texts(self, css: str) -> list[str]:
        """The shown text of every element matching ``css``, read in one script: transcript lines expire and
        re-render, and an element found first and read after may be gone (a stale element)."""
        return self.d.execute_script(f"return [...document.querySelectorAll({css!r})].map(e => e.innerText)")

    def html(self) -> str:
        return self.d.page_source

    def wait_text(self, text: str, timeout: float = WAIT_S) -> None:
        """Case-insensitive: Quasar shows button labels upper-case."""
        self.wait(lambda: text.lower() in self.text().lower(), timeout, f"text {text!r}")

    def wait(self, probe, timeout: float = WAIT_S, what: str = "element"):
        deadline = time.monotonic() + timeout
        while True:
            try:
                if got := probe():
                    return got
            except Exception:  # noqa: BLE001 - not there yet
                if time.monotonic() > deadline:
                    raise
            if time.monotonic() > deadline:
                self.shot("timeout")
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.2)

    def shot(self, name: str) -> Path:
        path = self.shots / f"{name}.png"
        self.d.save_screenshot(str(path))
        return path

    def request_hosts(self) -> set[str]:
        """Hosts of every request the pages have made so far (from Chromium's network log)."""
        for entry in self.d.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg["method"] in ("Network.requestWillBeSent", "Network.webSocketCreated"):
                url = msg["params"].get("request", {}).get("url") or msg["params"].get("url", "")
                if urlsplit(url).scheme in ("http", "https", "ws", "wss"):
                    self.hosts.add(urlsplit(url).hostname or "")
        return self.hosts
