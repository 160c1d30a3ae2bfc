import pytest

from raytranscribe.errors import UserError
from raytranscribe.settings import Settings


def test_defaults_come_from_config_file():
    s = Settings.load()
    assert s.model.name == "tiny.en"
    assert s.ui.host == "127.0.0.1"


def test_cli_overrides_beat_env(monkeypatch):
    monkeypatch.setenv("RAYTRANSCRIBE_MODEL__NAME", "base")
    assert Settings.load().model.name == "base"
    assert Settings.load(overrides={"model": {"name": "tiny.en"}}).model.name == "tiny.en"


def test_invalid_value_names_the_setting(monkeypatch):
    monkeypatch.setenv("RAYTRANSCRIBE_UI__PORT", "99999")
    with pytest.raises(UserError, match="ui.port"):
        Settings.load()


def test_unknown_key_and_bad_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[model]\nnmae = "x"\n')
    with pytest.raises(UserError, match="model.nmae"):
        Settings.load(config=bad)
    broken = tmp_path / "broken.toml"
    broken.write_text("[model\n")
    with pytest.raises(UserError, match="invalid config file"):
        Settings.load(config=broken)
    with pytest.raises(UserError, match="not found"):
        Settings.load(config=tmp_path / "missing.toml")


def test_config_env_var(tmp_path, monkeypatch):
    cfg = tmp_path / "site.toml"
    cfg.write_text('[ui]\nline_ttl_s = 5\n')
    monkeypatch.setenv("RAYTRANSCRIBE_CONFIG", str(cfg))
    assert Settings.load().ui.line_ttl_s == 5
