"""Real-browser tests: headless Debian Chromium, its fake microphone playing a speech file, the app in its own
process. Screenshots go to a temp dir (printed). Covers: setup, login with password + TOTP, user admin,
browser-mic capture, redacted text appearing and vanishing, clear, lock/unlock, a nurse kept out of admin,
and no request leaving loopback."""

from __future__ import annotations

import importlib.util
import json
import re
import time
import urllib.request
from pathlib import Path

import pytest
from ui_browser import Page, app_server, browser_available, chromium
from ui_support import PASSWORD, Codes
from selenium.webdriver.common.by import By

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not browser_available(), reason="needs /usr/bin/chromium and /usr/bin/chromedriver"),
]

DATA = Path(__file__).parents[1] / "data" / "ui"
PHI_CLIP = DATA / "phi_clip.wav"  # synthetic voice, invented PHI; gold spans in phi_clip.json
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# Leaks owned by another concern, reported to it: the test marks itself xfail (not pass) when one shows up,
# and any other PHI type still fails it. Remove an entry once its fix lands.
KNOWN_LEAKS: dict[str, str] = {}


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ui-screenshots")
    print(f"\nscreenshots: {path}")
    return path


def enroll(page: Page, username: str) -> Codes:
    page.fill("Username", username)
    page.fill("Password", PASSWORD)
    page.click("Continue")
    secret = page.wait(lambda: page.d.find_element(By.CSS_SELECTOR, ".font-mono").text)
    page.shot(f"qr-{username}")
    codes = Codes(secret)
    page.fill("Code from the app", codes.next())
    page.click("Create account")
    return codes


def sign_in(page: Page, username: str, code: str) -> None:
    page.fill("Username", username)
    page.fill("Password", PASSWORD)
    page.fill("6-digit code", code)
    page.click("Sign in")


def admin_creates_nurse_who_signs_in(page: Page) -> Codes:
    page.open("/")
    page.wait_text("First-run setup")
    ada = enroll(page, "ada")
    page.wait_text("Sign in")
    sign_in(page, "ada", ada.next())
    page.wait_text("Audit log")
    page.d.find_element(By.XPATH, "//*[normalize-space()='Add a user']").click()
    nina = enroll(page, "nina")
    page.wait_text("Account nina created")
    page.shot("admin")
    page.click("Sign out")
    page.wait_text("Sign in")
    sign_in(page, "nina", nina.next())
    page.wait_text("Start")
    return nina


def start_browser_mic(page: Page, engine_timeout_s: float) -> float:
    page.click("This browser's microphone")
    page.click("Start", timeout=engine_timeout_s)  # enabled once the engine is ready
    return time.monotonic()


def lock_and_unlock(page: Page, nina: Codes, transcript_marker: str) -> None:
    page.click("Lock")
    page.wait_text("Locked")
    page.shot("locked")
    assert transcript_marker not in page.html()  # the locked page's DOM holds no transcript text
    page.fill("Password", PASSWORD)
    page.fill("6-digit code", nina.next())
    page.click("Unlock")
    page.wait_text("Start")


def nurse_kept_out_of_admin(page: Page) -> None:
    assert "Admin" not in page.d.find_element(By.TAG_NAME, "header").text
    page.open("/admin")
    page.wait_text("Your role does not permit that page")


def assert_browser_keeps_nothing(page: Page, transcript_marker: str) -> None:
    stored = page.d.execute_script(
        "return JSON.stringify(Object.assign({}, localStorage)) + JSON.stringify(Object.assign({}, sessionStorage))")
    assert transcript_marker not in stored
    with urllib.request.urlopen(page.base + "/login") as r:
        assert r.headers["Cache-Control"] == "no-store"
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
        cookie = r.headers["Set-Cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie


def assert_loopback_only(page: Page) -> None:
    hosts = page.request_hosts()
    assert hosts and hosts <= LOOPBACK, f"non-loopback requests: {sorted(hosts - LOOPBACK)}"


def test_browser_mic_reaches_the_engine_at_16k_and_the_screen_stays_transient(tmp_path, shots):
    ttl = 4.0
    with app_server(tmp_path, "fake", {"line_ttl_s": ttl}) as url, chromium(PHI_CLIP) as driver:
        page = Page(driver, url, shots)
        nina = admin_creates_nurse_who_signs_in(page)
        started = start_browser_mic(page, 15)
        # The stand-in engine reports each whole second of 16 kHz audio it receives.
        page.wait_text("received 3 s of audio", timeout=20)
        elapsed = time.monotonic() - started
        assert 2.0 < elapsed < 15, f"3 s of audio took {elapsed:.1f} s: the worklet's rate is wrong"
        page.shot("session")
        page.click("Stop")
        t_stop = time.monotonic()
        page.wait(lambda: "received" not in page.text(), ttl + 5, "lines to expire")
        assert time.monotonic() - t_stop < ttl + 3
        start_browser_mic(page, 5)
        page.wait_text("received 1 s of audio")
        page.click("Clear")
        page.wait(lambda: "received 1 s" not in page.text(), 1.5, "clear to wipe the screen")
        page.wait_text("received", timeout=5)  # capture goes on after a clear
        lock_and_unlock(page, nina, "received")
        assert_browser_keeps_nothing(page, "received")
        nurse_kept_out_of_admin(page)
        assert_loopback_only(page)


def _gold_phi() -> dict[str, str]:
    """Normalised PHI to look for -> its type: each gold value, its words, and its runs of 5+ digits (an ID
    however it is punctuated). A bare 4-digit year is left out: HIPAA Safe Harbor keeps the year of a date."""
    gold = json.loads((DATA / "phi_clip.json").read_text())
    found: dict[str, str] = {}
    for span in gold["spans"]:
        value = span["text"]
        for part in (value, *value.split(), *re.findall(r"\d{5,}", value)):
            if len(_normalise(part)) >= 4:
                found[_normalise(part)] = span["type"]
    return found


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@pytest.mark.skipif(importlib.util.find_spec("raytranscribe.engine") is None, reason="engine not installed")
def test_end_to_end_speech_with_phi_shows_only_redacted_text(tmp_path, shots):
    ttl = 8.0
    phi = _gold_phi()
    with app_server(tmp_path, "real", {"line_ttl_s": ttl}, ready_timeout_s=120) as url, \
            chromium(PHI_CLIP) as driver:
        page = Page(driver, url, shots)
        nina = admin_creates_nurse_who_signs_in(page)
        start_browser_mic(page, engine_timeout_s=240)
        # Watch the whole clip (15 s, looped by Chromium), checking the DOM for PHI at every poll.
        seen: set[str] = set()
        leaked: set[str] = set()  # PHI types seen on the page; never the values
        first_text_at = None
        deadline = time.monotonic() + 180  # generous: CI has two shared cores
        while time.monotonic() < deadline:
            dom = _normalise(page.html())
            if new := {kind for value, kind in phi.items() if value in dom} - leaked:
                page.shot("e2e-leak")
                leaked |= new
            assert leaked <= KNOWN_LEAKS.keys(), f"PHI reached the page: {sorted(leaked)}"
            seen.update(page.texts(".rt-line, .rt-interim"))
            if first_text_at is None and any(seen):
                first_text_at = time.monotonic()
            if first_text_at is not None and time.monotonic() - first_text_at > 20:
                break
            time.sleep(0.3)
        page.shot("e2e-watched")
        said = " ".join(seen)
        assert re.search(r"\b(name|birth|insurance)\b", said, re.I), "no redacted transcript appeared"
        assert "[" in said, "no redaction marker appeared"
        # A line that can mark the transcript (a line of only "." would be found in any page's HTML).
        first_line = page.wait(lambda: next(t for t in page.texts(".rt-line") if len(re.sub(r"\W", "", t)) >= 4),
                               30, "a line")
        page.shot("e2e-redacted")
        page.click("Stop")
        page.wait(lambda: first_line not in page.texts(".rt-line"),
                  ttl + 5, "the first line to expire")
        lock_and_unlock(page, nina, first_line)
        assert_browser_keeps_nothing(page, first_line)
        nurse_kept_out_of_admin(page)
        assert_loopback_only(page)
    if leaked:  # everything else passed; a known defect of the PHI scrubber showed up
        pytest.xfail("known PHI leak: " + "; ".join(KNOWN_LEAKS[k] for k in sorted(leaked)))
