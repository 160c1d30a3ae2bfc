"""Assemble bundled Whisper models into a per-user cache and verify them against pinned sha256 digests.

Assembly is atomic (temp file + rename) and verification is remembered in a stamp holding the file's size,
mtime and inode, so startup hashes 75-145 MB only when the file changed; any rewrite of the file (a partial
copy, an edit, a truncation) changes the stamp and forces a fresh hash.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
from pathlib import Path

from raytranscribe.errors import UserError
from raytranscribe.models.catalog import MODELS, SIDE_FILES, ModelSpec

STAMP = ".verified.json"
_CHUNK = 1 << 20


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "raytranscribe" / "models"


def resolve_model_dir(name: str, cache_dir: Path | None = None) -> Path:
    """Directory holding a verified CTranslate2 Whisper model for ``name`` (a catalog name or a path)."""
    spec = MODELS.get(name)
    if spec is None:
        return _custom_dir(name)
    target = (cache_dir or default_cache_dir()) / spec.name
    if _stamp_ok(target):
        return target
    sources = _package_dirs(spec)
    target.mkdir(parents=True, exist_ok=True)
    for side in SIDE_FILES:
        _atomic_copy(sources[0] / side, target / side)
    digest = _assemble(spec, sources, target / "model.bin")
    if digest != spec.sha256:
        (target / "model.bin").unlink(missing_ok=True)
        raise UserError(f"model '{spec.name}' is corrupt (sha256 mismatch): reinstall it with "
                        f"'{spec.install_hint} --force-reinstall'")
    _write_stamp(target, digest)
    return target


def _custom_dir(name: str) -> Path:
    path = Path(name).expanduser()
    if not path.exists():
        known = ", ".join(MODELS)
        raise UserError(f"unknown model '{name}': use one of {known} or a CTranslate2 Whisper directory")
    missing = [f for f in ("model.bin", "config.json") if not (path / f).is_file()]
    if missing:
        raise UserError(f"model directory lacks {', '.join(missing)}: not a CTranslate2 Whisper model")
    return path


def _package_dirs(spec: ModelSpec) -> list[Path]:
    dirs = []
    for package in spec.packages:
        found = importlib.util.find_spec(package)
        if found is None or not found.submodule_search_locations:
            raise UserError(f"model '{spec.name}' is not installed: {spec.install_hint}")
        dirs.append(Path(next(iter(found.submodule_search_locations))) / spec.data_dir)
    for directory, part in zip(dirs, spec.parts):
        if not (directory / part).is_file():
            raise UserError(f"model '{spec.name}' is incomplete: reinstall it with '{spec.install_hint} --force-reinstall'")
    return dirs


def _assemble(spec: ModelSpec, sources: list[Path], dest: Path) -> str:
    """Concatenate the parts into ``dest`` atomically, hashing on the way; returns the sha256."""
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".model.bin.")
    try:
        with os.fdopen(fd, "wb") as out:
            for directory, part in zip(sources, spec.parts):
                with open(directory / part, "rb") as src:
                    while block := src.read(_CHUNK):
                        digest.update(block)
                        out.write(block)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest.hexdigest()


def _atomic_copy(src: Path, dest: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.")
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _file_identity(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "inode": st.st_ino}


def _write_stamp(target: Path, digest: str) -> None:
    stamp = {"sha256": digest, **_file_identity(target / "model.bin")}
    fd, tmp = tempfile.mkstemp(dir=target, prefix=".stamp.")
    with os.fdopen(fd, "w") as out:
        json.dump(stamp, out)
    os.replace(tmp, target / STAMP)


def _stamp_ok(target: Path) -> bool:
    spec = MODELS[target.name]
    try:
        stamp = json.loads((target / STAMP).read_text())
        identity = _file_identity(target / "model.bin")
    except (OSError, ValueError):
        return False
    side_ok = all((target / side).is_file() for side in SIDE_FILES)
    return side_ok and stamp == {"sha256": spec.sha256, **identity} and identity["size"] == spec.size
