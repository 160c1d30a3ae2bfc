"""Runs the app as its own process for the real-browser tests.

RT_TEST_UI_SETTINGS: JSON of [ui] overrides; RT_TEST_ENGINE: "real" (raytranscribe.engine) or "fake".
"""

import json
import os
import sys
from pathlib import Path

from nicegui import ui

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE)]  # this checkout's packages first, then the stand-in engine

from raytranscribe.settings import Settings  # noqa: E402
from ui.server import create_app, run_kwargs  # noqa: E402

settings = Settings.load(overrides={"ui": json.loads(os.environ["RT_TEST_UI_SETTINGS"])})
api = None
if os.environ.get("RT_TEST_ENGINE") == "fake":
    import ui_fake_engine as api  # noqa: E402
create_app(settings, api)
ui.run(host=settings.ui.host, port=settings.ui.port, **run_kwargs(settings))
