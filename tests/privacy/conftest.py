"""Fixtures shared by the privacy tests."""

import os
import shutil
import tempfile

import pytest


@pytest.fixture
def ray_temp_dir():
    """A Ray temp dir on tmpfs, as the product uses, removed afterwards."""
    path = tempfile.mkdtemp(prefix="rt", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    yield path
    shutil.rmtree(path, ignore_errors=True)
