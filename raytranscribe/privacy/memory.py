"""Keeping audio and text out of swap and overwriting it when released.

What Python cannot guarantee: ``str`` and ``bytes`` are immutable, may be interned or cached, and are copied
freely (slicing, formatting, pickling to Ray's object store, JSON for the browser). Freed copies keep their
bytes until the allocator reuses the memory. No library can zero them. So the long-lived holders of PHI
(the audio ring buffer, accumulated transcript text) use mutable buffers that *are* zeroed in place when
released: numpy arrays (``secure_zero``) and :class:`TextBuffer`; short-lived ``str`` copies are accepted
and kept short-lived. Core dumps are off (``process.py``) so such leftovers cannot reach disk that way.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from typing import Any

import numpy as np

log = logging.getLogger(__name__)
_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
_libc.mlock.argtypes = _libc.munlock.argtypes = (ctypes.c_void_p, ctypes.c_size_t)
_warned_mlock = False


def secure_zero(buffer: np.ndarray | bytearray | memoryview) -> None:
    """Overwrite ``buffer`` with zeros in place (every element, views included)."""
    if isinstance(buffer, np.ndarray):
        buffer.fill(0)
        return
    view = memoryview(buffer).cast("B")
    if view.readonly:
        raise TypeError("cannot zero a read-only buffer")
    if view.nbytes:
        ctypes.memset((ctypes.c_char * view.nbytes).from_buffer(view), 0, view.nbytes)


def _span(array: np.ndarray) -> tuple[int, int]:
    return array.__array_interface__["data"][0], array.nbytes


def lock_in_memory(array: np.ndarray) -> bool:
    """``mlock`` the array's pages so they are never swapped; False (and one notice) if not permitted."""
    global _warned_mlock
    address, size = _span(array)
    if size == 0 or _libc.mlock(address, size) == 0:
        return True
    if not _warned_mlock:  # a notice, not an error: audio still flows, it just may be swapped
        _warned_mlock = True
        log.warning("mlock not permitted (RLIMIT_MEMLOCK too low): audio buffers may be swapped out")
    return False


def release(array: np.ndarray) -> None:
    """Zero the array in place and unlock its pages; call when audio leaves the process's care."""
    secure_zero(array)
    address, size = _span(array)
    if size:
        _libc.munlock(address, size)


def locked_zeros(shape: Any, dtype: Any = np.float32) -> np.ndarray:
    """A zeroed array whose pages are ``mlock``-ed where permitted (the audio ring buffer's storage)."""
    array = np.zeros(shape, dtype=dtype)
    lock_in_memory(array)
    return array


class TextBuffer:
    """UTF-8 text in a bytearray that is zeroed on :meth:`clear`, on ``with`` exit and when collected.

    ``str(buffer)`` makes an ordinary (unzeroable) copy: take it only to hand text on, and drop it soon.
    """

    __slots__ = ("_data",)

    def __init__(self, text: str = "") -> None:
        self._data = bytearray(text.encode())

    def append(self, text: str) -> None:
        # A fresh exact-size buffer, then the old one wiped: in-place growth could realloc and leave the
        # old bytes behind in freed memory.
        encoded = text.encode()
        grown = bytearray(len(self._data) + len(encoded))
        grown[: len(self._data)] = self._data
        grown[len(self._data) :] = encoded
        secure_zero(self._data)
        self._data = grown

    def clear(self) -> None:
        secure_zero(self._data)
        self._data = bytearray()

    def raw(self) -> bytearray:
        """The underlying bytes (for tests and for writers that accept a buffer)."""
        return self._data

    def __str__(self) -> str:
        return self._data.decode()

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:  # never the content: reprs end up in logs and tracebacks
        return f"TextBuffer(<{len(self._data)} bytes>)"

    def __enter__(self) -> TextBuffer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.clear()

    def __del__(self) -> None:
        secure_zero(self._data)
