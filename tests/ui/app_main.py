"""The app as the UI tests run it: NiceGUI main file for the User fixture (in-process, simulated) and the
server process of the real-browser tests.

RT_TEST_UI_SETTINGS: JSON of [ui] overrides; RT_TEST_ENGINE: "fake" (ui_fake_engine) or "real".
"""

import json
import os
import sys
from pathlib import Path

from nicegui import ui

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE)]  # this checkout's packages first, then the stand-in engine

from raytranscribe.settings import Settings  # noqa: E402
from ui.server import create_app, run, run_kwargs  # noqa: E402

settings = Settings.load(overrides={"ui": json.loads(os.environ["RT_TEST_UI_SETTINGS"])})
api = None
if os.environ["RT_TEST_ENGINE"] == "fake":
    import ui_fake_engine as api  # noqa: E402
if os.environ.get("NICEGUI_USER_SIMULATION"):  # in the pytest process: no process hardening, no server
    create_app(settings, api)
    ui.run(**run_kwargs(settings))
else:  # as `raytranscribe app` runs it
    run(settings, api)
