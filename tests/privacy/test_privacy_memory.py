"""Memory hardening: buffers are zeroed in place, audio pages are locked, core dumps are off, swap is seen."""

from __future__ import annotations

import os
import resource

import numpy as np
import pytest
from privacy_helpers import NETNS, run_python

from raytranscribe.privacy.memory import TextBuffer, locked_zeros, release, secure_zero
from raytranscribe.privacy.process import swap_devices


def test_secure_zero_numpy_including_views():
    audio = np.random.default_rng(0).standard_normal(16000).astype(np.float32) + 1
    secure_zero(audio[::2])
    assert not audio[::2].any() and audio[1::2].all()
    secure_zero(audio)
    assert not audio.any()


def test_secure_zero_bytearray_and_memoryview():
    data = bytearray(b"Zebulon Quackenbush 617-555-0142")
    secure_zero(memoryview(data)[8:])
    assert data == b"Zebulon " + bytes(24)
    secure_zero(data)
    assert data == bytes(32)
    with pytest.raises(TypeError):
        secure_zero(memoryview(b"read only"))


def test_text_buffer_zeroes_every_copy_it_owned():
    buffer = TextBuffer("Zebulon ")
    first = buffer.raw()
    buffer.append("Quackenbush")
    second = buffer.raw()
    assert str(buffer) == "Zebulon Quackenbush" and len(buffer) == 19
    assert "Zebulon" not in repr(buffer)
    assert first == bytes(len(first))  # the pre-growth copy was wiped when it was replaced
    with buffer:
        pass
    assert second == bytes(19) and len(buffer) == 0


def _locked_kib() -> int:
    for line in open("/proc/self/status"):
        if line.startswith("VmLck:"):
            return int(line.split()[1])
    return 0


def _skip_unless_lockable(size: int) -> None:
    soft, _ = resource.getrlimit(resource.RLIMIT_MEMLOCK)
    if os.geteuid() != 0 and soft != resource.RLIM_INFINITY and soft < size + _locked_kib() * 1024 + 65536:
        pytest.skip("RLIMIT_MEMLOCK too low to lock audio buffers here")


def test_ring_buffer_storage_is_locked_then_zeroed_and_unlocked():
    size = 16000 * 30 * 4  # 30 s of 16 kHz float32 audio: 1.9 MB
    _skip_unless_lockable(size)
    before = _locked_kib()  # other tests' buffers may be locked too: compare deltas
    ring = locked_zeros(size // 4)
    assert _locked_kib() - before >= ring.nbytes // 1024 - 4
    ring[:] = 0.5
    release(ring)
    assert not ring.any()
    assert _locked_kib() - before < ring.nbytes // 1024 - 4


def test_mlock_refused_is_a_notice_not_an_error():
    # isolated: in a user namespace, so a root test runner loses CAP_IPC_LOCK and the limit applies.
    if not NETNS and os.geteuid() == 0:
        pytest.skip("root without user namespaces ignores RLIMIT_MEMLOCK")
    result = run_python(
        "import resource; resource.setrlimit(resource.RLIMIT_MEMLOCK, (0, 0))\n"
        "from raytranscribe.privacy.memory import lock_in_memory, locked_zeros\n"
        "ring = locked_zeros(160000); print('locked', lock_in_memory(ring))\n",
        isolated=True,
    )
    assert result.returncode == 0, result.stderr
    assert "locked False" in result.stdout and "mlock not permitted" in result.stderr


def test_core_dumps_off_in_hardened_process_and_its_children():
    result = run_python(
        "import resource, subprocess, sys\n"
        "soft, hard = resource.getrlimit(resource.RLIMIT_CORE)\n"
        "resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))\n"  # as permissive as allowed first
        "from raytranscribe.privacy.process import core_dumps_disabled, disable_core_dumps\n"
        "print('before', core_dumps_disabled())\n"
        "disable_core_dumps()\n"
        "print('after', core_dumps_disabled())\n"
        "child = 'import resource; print(\"child\", resource.getrlimit(resource.RLIMIT_CORE))'\n"
        "sys.stdout.flush(); subprocess.run([sys.executable, '-c', child])\n"
    )
    assert result.returncode == 0, result.stderr
    assert "before False" in result.stdout and "after True" in result.stdout
    assert "child (0, 0)" in result.stdout


def test_swap_devices_parsed_and_classified(tmp_path):
    swaps = tmp_path / "swaps"
    swaps.write_text(
        "Filename\tType\tSize\tUsed\tPriority\n/swapfile  file  1048572  0  -2\n/dev/zram0  partition  4G  0  100\n"
    )
    devices = swap_devices(swaps)
    assert [(d.name, d.kind, d.encrypted) for d in devices] == [
        ("/swapfile", "file", False), ("/dev/zram0", "partition", True)
    ]
    assert swap_devices.__defaults__ and isinstance(swap_devices(), list)  # the real /proc/swaps parses too


def test_capture_ring_buffer_is_locked_and_zeros_after_stop():
    from raytranscribe.audio.capture import Capture
    from raytranscribe.audio.sources import PushSource
    from raytranscribe.settings import AudioSettings

    _skip_unless_lockable(16000 * 5 * 4)
    locked_before = _locked_kib()
    capture = Capture(PushSource(), AudioSettings(ring_seconds=5))
    ring = capture.ring._data
    assert ring.dtype == np.float32 and _locked_kib() - locked_before >= ring.nbytes // 1024 - 4
    capture.push(np.full(16000 * 3, 0.25, dtype=np.float32))
    assert ring.any()
    capture.stop()
    assert not ring.any()
    assert _locked_kib() - locked_before < ring.nbytes // 1024 - 4  # unlocked again: no locked-page leak
