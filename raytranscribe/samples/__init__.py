"""Bundled demo audio (synthetic voice, invented PHI)."""
