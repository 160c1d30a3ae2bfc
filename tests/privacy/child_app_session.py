"""Child process for test_privacy_app_session: the app as ``raytranscribe app`` runs it (real engine) and
headless Chromium whose fake microphone plays spoken PHI; a clinician signs in and transcribes, the scrubber
replica's process is killed mid-session, then capture stops. Run under ``strace -f`` by the test.

Before anything is torn down (the app deletes its Ray session dir, Chromium's profile is removed) it
searches every file created or changed under the watched roots, the Ray session dir, the page and the
browser's console log for the canaries. Everything it prints is counts and flags, never text; the app's and
Chromium's output go to this process's stdout/stderr for the test to search.

argv: canaries (JSON list), watched roots (JSON list).
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "ui")]

from privacy_helpers import changed_files, leaked, snapshot  # noqa: E402
from test_ui_browser import PHI_CLIP, admin_creates_nurse_who_signs_in, start_browser_mic  # noqa: E402
from ui_browser import Page, _free_port, chromium  # noqa: E402

from raytranscribe.engine.stream import REDACTION_UNAVAILABLE  # noqa: E402

canaries = tuple(json.loads(sys.argv[1]))
watched = [Path(p) for p in json.loads(sys.argv[2])]
LINES = ".rt-line, .rt-interim"
counts: dict[str, object] = {}


def start_app(port: int) -> subprocess.Popen:
    """``raytranscribe app`` on loopback; its output goes to ours (inherited), not to a file."""
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    app = subprocess.Popen([sys.executable, "-m", "raytranscribe", "app", "--host", "127.0.0.1", "--port",
                            str(port), "--line-ttl", "60"], env=env)
    deadline = time.monotonic() + 120
    while True:
        if app.poll() is not None:
            sys.exit(f"app exited early ({app.returncode})")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2).close()
            return app
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def shown(page: Page) -> list[str]:
    return [t for t in page.texts(LINES) if t.strip()]


def screen(page: Page) -> tuple[bool, bool]:
    """(the page says redaction is unavailable, transcript text is on it), read in one go."""
    return tuple(page.d.execute_script(
        "const up = [...document.querySelectorAll('body *')].some(e => e.children.length === 0"
        " && e.textContent.trim() === arguments[0] && e.offsetParent !== null);"
        "const text = [...document.querySelectorAll(arguments[1])].some(e => e.innerText.trim());"
        "return [up, text];", REDACTION_UNAVAILABLE, LINES))


def kill_scrubbers(app: subprocess.Popen) -> int:
    """SIGKILL the scrubber replicas' worker processes (found in the app's own process tree), as the OOM
    killer or a crash would: Ray sees the actor die and restarts it."""
    victims = [p for p in psutil.Process(app.pid).children(recursive=True)
               if " ".join(p.cmdline()).startswith("ray::ScrubberActor")]
    for proc in victims:
        proc.send_signal(signal.SIGKILL)
    return len(victims)


def watch_kill(page: Page, app: subprocess.Popen) -> None:
    """Kill the scrubber while text flows; while the page says redaction is unavailable no transcript text
    may be on it, and text must come back once Ray has restarted the replica."""
    page.wait(lambda: shown(page), 240, "transcript text")
    counts["text_before_kill"] = True
    counts["killed"] = kill_scrubbers(app)
    killed_at = time.monotonic()
    down_polls = text_while_down = 0
    deadline = killed_at + 150
    while time.monotonic() < deadline:
        down, text = screen(page)
        down_polls += down
        text_while_down += down and text
        if down_polls and not down and text:
            counts["text_back_after_s"] = round(time.monotonic() - killed_at, 1)
            break
        time.sleep(0.1)
    counts.update(down_polls=down_polls, text_while_down=text_while_down)


def search(session_dir: Path, before: dict, page: Page) -> None:
    files = changed_files(before, watched)
    files.update({p: p.read_bytes().decode("latin-1") for p in session_dir.rglob("*") if p.is_file()})
    counts["files_searched"] = len(files)
    counts["file_hits"] = sum(bool(leaked(content, canaries)) for content in files.values())
    console = " ".join(entry.get("message", "") for entry in page.d.get_log("browser"))
    counts["page_hits"] = len(leaked(page.html() + console, canaries))


def main() -> None:
    before = snapshot(watched)
    port = _free_port()
    app = start_app(port)
    try:
        with chromium(PHI_CLIP, log_output=sys.stderr) as driver:
            page = Page(driver, f"http://127.0.0.1:{port}", Path(os.environ["TMPDIR"]))
            admin_creates_nurse_who_signs_in(page)
            start_browser_mic(page, engine_timeout_s=240)
            watch_kill(page, app)
            page.click("Stop")
            time.sleep(1)
            search(Path(os.environ["RAYTRANSCRIBE_CLUSTER__TEMP_DIR"]), before, page)
    finally:
        app.send_signal(signal.SIGINT)  # as Ctrl-C: the app shuts the engine down and removes its session dir
        try:
            app.wait(timeout=60)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()
    print("COUNTS", json.dumps(counts), flush=True)


main()
