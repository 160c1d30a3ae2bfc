"""NiceGUI main file for the User-fixture tests: the real app on the stand-in engine, settings from env."""

import json
import os
import sys
from pathlib import Path

from nicegui import ui

sys.path.insert(0, str(Path(__file__).parent))
import ui_fake_engine as fake_engine  # noqa: E402

from raytranscribe.settings import Settings  # noqa: E402
from ui.server import create_app, run_kwargs  # noqa: E402

settings = Settings.load(overrides={"ui": json.loads(os.environ["RT_TEST_UI_SETTINGS"])})
create_app(settings, fake_engine)
ui.run(**run_kwargs(settings))
