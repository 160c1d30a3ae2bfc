"""Speech-to-screen through the clinician's page: the app with the real engine, headless Chromium whose fake
microphone plays a speech file, and the browser-mic path (AudioWorklet -> websocket -> engine -> page).

    python3 perf/ui_speech_to_screen.py [WAV] [--seconds 60]

Prints the engine's start time, the time from Start to the first redacted text on the page, and the page's
own latency reading (event time minus the end of the audio it covers) sampled each second: median and p90.
Prints the machine load too: on a shared machine timings are noisy; compare runs taken under similar load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "ui")]  # the real-browser harness of the UI tests

from selenium.webdriver.common.by import By  # noqa: E402
from test_ui_browser import PHI_CLIP, admin_creates_nurse_who_signs_in, start_browser_mic  # noqa: E402
from ui_browser import Page, app_server, chromium  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("wav", nargs="?", type=Path, default=PHI_CLIP, help="speech file for the fake microphone")
    ap.add_argument("--seconds", type=float, default=60, help="how long to sample after the first text")
    args = ap.parse_args()
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp, app_server(Path(tmp), "real", {}, ready_timeout_s=120) as url, \
            chromium(args.wav.resolve()) as driver:
        page = Page(driver, url, Path(tmp))
        admin_creates_nurse_who_signs_in(page)
        t0 = time.monotonic()
        started = start_browser_mic(page, engine_timeout_s=300)  # Start is enabled once the engine is ready
        print(f"engine ready, after sign-in: {started - t0:.1f} s")
        page.wait(lambda: driver.find_elements(By.CSS_SELECTOR, ".rt-line, .rt-interim")
                  and any(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".rt-line, .rt-interim")),
                  180, "first text")
        print(f"start to first text on the page: {time.monotonic() - started:.1f} s")
        readings = []
        end = time.monotonic() + args.seconds
        while time.monotonic() < end:
            label = driver.find_element(By.XPATH, "//*[starts-with(normalize-space(), 'latency:')]").text
            if label.endswith(" s"):
                readings.append(float(label.split()[1]))
            time.sleep(1)
    if readings:
        q = statistics.quantiles(readings, n=10)
        print(f"page latency reading over {len(readings)} s: median {statistics.median(readings):.1f} s, "
              f"p90 {q[-1]:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
