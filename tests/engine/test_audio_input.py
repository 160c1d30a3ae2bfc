import time

import numpy as np
import pytest
import soundfile as sf

from raytranscribe.audio.capture import Capture, CaptureHost, UnknownStream
from raytranscribe.audio.decode import load_audio, probe_audio
from raytranscribe.audio.mic import check_microphone
from raytranscribe.audio.ring import RingBuffer
from raytranscribe.audio.sources import FileSource, PushSource
from raytranscribe.errors import UserError

from engine_helpers import SPEECH


def test_decodes_any_rate_and_channels_to_16k_mono(tmp_path):
    flac = load_audio(SPEECH / "ls_test-clean_6930-75918-0000.flac")
    assert flac.dtype == np.float32 and abs(flac.size / 16000 - 3.505) < 0.05
    low = load_audio(SPEECH / "ls_dev-clean_1272-128104-0004_8k.wav")
    assert abs(low.size / 16000 - 29.4) < 0.05
    stereo = tmp_path / "stereo.wav"
    t = np.arange(44100) / 44100
    sf.write(stereo, np.stack([np.sin(2 * np.pi * 440 * t), np.zeros_like(t)], 1) * 0.5, 44100)
    mono = load_audio(stereo)
    assert abs(mono.size - 16000) < 20 and 0.1 < np.abs(mono).max() < 0.5


@pytest.mark.parametrize("content,match", [
    (None, "not found"),
    (b"", "empty"),
    (b"\x00\x01garbage" * 500, "corrupt"),
    (b"just some text, not audio\n" * 50, "corrupt"),
])
def test_bad_files_give_one_line_without_the_name(tmp_path, content, match):
    path = tmp_path / "Jane_Doe_visit.wav"
    if content is not None:
        path.write_bytes(content)
    for check in (probe_audio, load_audio):
        with pytest.raises(UserError, match=match) as err:
            check(path)
        assert "Jane" not in str(err.value) and "\n" not in str(err.value)


def test_decoding_can_stop_after_the_first_seconds(settings):
    whole = load_audio(SPEECH / "jfk.wav")
    assert np.array_equal(load_audio(SPEECH / "jfk.wav", 2.0), whole[:32000])
    assert load_audio(SPEECH / "jfk.wav", 60.0).size == whole.size
    cap = Capture(FileSource(SPEECH / "jfk.wav", seconds=1.5), settings.audio)
    got = 0
    while not (read := cap.read())[0].eof:
        got += read[1].size
    assert got + read[1].size == 24000


def test_zero_length_and_nan_audio(tmp_path):
    empty = tmp_path / "empty.wav"
    sf.write(empty, np.zeros(0, dtype=np.float32), 16000)
    with pytest.raises(UserError, match="no (audio )?samples"):
        load_audio(empty)
    nan = tmp_path / "nan.wav"
    sf.write(nan, np.full(1600, np.nan, dtype=np.float32), 16000, subtype="FLOAT")
    with pytest.raises(UserError, match="NaN"):
        load_audio(nan)


def test_ring_buffer_wraps_and_zeroes():
    ring = RingBuffer(1.0, 10)
    ring.write(np.arange(7, dtype=np.float32))
    ring.write(np.arange(7, 15, dtype=np.float32))
    assert ring.written == 15 and ring.oldest == 5
    assert ring.read(0).tolist() == list(range(5, 15))
    assert ring.recent(0.3).tolist() == [12, 13, 14]
    ring.write(np.arange(100, 125, dtype=np.float32))  # longer than the ring: keeps the newest
    assert ring.read(0).tolist() == list(range(115, 125))
    ring.zero()
    assert not ring._data.any()


def test_file_capture_fast_and_realtime(settings):
    fast = Capture(FileSource(SPEECH / "jfk.wav"), settings.audio)
    chunks = []
    while True:
        info, audio = fast.read()
        chunks.append(audio.size)
        if info.eof:
            break
    assert sum(chunks) == 176000 and max(chunks) <= 16000
    real = Capture(FileSource(SPEECH / "jfk.wav", realtime=True), settings.audio)
    start = time.monotonic()
    got = 0
    while time.monotonic() - start < 0.6:
        got += real.read(0.2)[1].size
    elapsed = time.monotonic() - start
    assert got <= (elapsed + 0.05) * 16000  # never ahead of the wall clock
    real.stop()
    assert not real._file.any() and not real.ring._data.any()


def test_a_read_waits_for_its_minimum_of_audio_or_its_timeout(settings):
    cap = Capture(PushSource(), settings.audio)
    cap.push(np.zeros(3200, dtype=np.float32))  # 0.2 s: two blocks, less than the 0.5 s wanted
    start = time.monotonic()
    assert cap.read(0.3, min_s=0.5)[1].size == 3200
    assert time.monotonic() - start >= 0.25, "waited for more audio until the timeout"
    cap.push(np.zeros(9600, dtype=np.float32))
    start = time.monotonic()
    assert cap.read(5.0, min_s=0.5)[1].size == 9600
    assert time.monotonic() - start < 1.0, "enough audio returns at once"
    real = Capture(FileSource(SPEECH / "jfk.wav", realtime=True), settings.audio)
    sizes = [real.read(2.0, min_s=0.5)[1].size for _ in range(3)]
    real.stop()
    assert all(size >= 8000 for size in sizes), sizes


def test_push_capture_rejects_bad_blocks(settings):
    cap = Capture(PushSource(), settings.audio)
    cap.push(np.zeros(800, dtype=np.float32))
    with pytest.raises(UserError, match="NaN"):
        cap.push(np.array([0.0, np.nan], dtype=np.float32))
    cap.end_of_input()
    info, audio = cap.read(0.1)
    assert audio.size == 800 and info.eof


def test_reads_report_the_audio_level(settings):
    cap = Capture(PushSource(), settings.audio)
    cap.push(np.full(1600, 0.5, dtype=np.float32))
    assert cap.read(0.1)[0].level == pytest.approx(0.5)
    cap.push(np.zeros(1600, dtype=np.float32))
    assert cap.read(0.1)[0].level == 0.0


def test_rewind_re_feeds_held_audio_and_reports_what_the_ring_lost(settings):
    cap = Capture(PushSource(), settings.audio.model_copy(update={"ring_seconds": 2.0}))
    ramp = np.arange(16000, dtype=np.float32) / 16000  # 1 s, every sample distinct
    cap.push(ramp)
    cap.read(0.1)
    assert cap.rewind(0.25) == 0.0
    info, audio = cap.read(0.1)
    assert (info.start_s, info.end_s) == (0.25, 1.0) and np.array_equal(audio, ramp[4000:])
    cap.push(np.ones(24000, dtype=np.float32))  # 2.5 s pushed in all: the ring holds the last 2 s
    cap.read(0.1)
    assert cap.rewind(0.0) == pytest.approx(0.5)  # the first 0.5 s is gone: the gap is reported
    info, audio = cap.read(0.1)
    assert (info.start_s, info.end_s, audio.size) == (0.5, 2.5, 32000)
    assert cap.rewind(3.0) == 0.0 and cap.read(0.1)[1].size == 0  # never forward past what was read


def test_a_read_after_a_backlog_longer_than_the_ring_reports_the_audio_skipped(settings):
    cap = Capture(PushSource(), settings.audio.model_copy(update={"ring_seconds": 2.0}))
    cap.push(np.zeros(16000, dtype=np.float32))
    assert cap.read(0.1)[0].skipped_s == 0.0
    cap.push(np.arange(56000, dtype=np.float32) / 56000)  # 3.5 s unread: the ring holds the last 2 s
    info, audio = cap.read(0.1)
    assert info.skipped_s == pytest.approx(1.5) and (info.start_s, info.end_s) == (2.5, 4.5)
    assert np.array_equal(audio, np.arange(24000, 56000, dtype=np.float32) / 56000)
    cap.push(np.zeros(1600, dtype=np.float32))
    assert cap.read(0.1)[0].skipped_s == 0.0, "the reader caught up: nothing more skipped"


def test_no_microphone_is_one_clear_line():
    sd = pytest.importorskip("sounddevice")
    if any(d["max_input_channels"] > 0 for d in sd.query_devices()):
        pytest.skip("this machine has a microphone")
    with pytest.raises(UserError, match="no microphone"):
        check_microphone(None)


def test_capture_host_keeps_each_streams_audio_apart_and_forgets_a_stopped_one(settings):
    first, second = "stream-7f3c", "stream-91ab"
    host = CaptureHost(settings.audio)
    host.open(first, PushSource())
    host.open(second, PushSource())
    host.get(first).push(np.full(3200, 0.25, dtype=np.float32))
    host.get(second).push(np.full(1600, -0.5, dtype=np.float32))
    _, a = host.get(first).read(timeout=0.1)
    _, b = host.get(second).read(timeout=0.1)
    assert a.size == 3200 and np.all(a == 0.25) and b.size == 1600 and np.all(b == -0.5)
    with pytest.raises(ValueError, match="already open"):
        host.open(first, PushSource())

    ring = host.get(first).ring._data
    host.stop(first)
    assert not ring.any(), "stopping a stream zeroes its audio at once"
    assert len(host) == 1
    with pytest.raises(UnknownStream) as err:
        host.get(first)
    assert "stopped" in str(err.value) and "7f3c" not in str(err.value)  # says what is wrong, names nothing
    host.stop(first)  # stopping twice is harmless
    host.get(second).push(np.zeros(1600, dtype=np.float32))
    assert host.get(second).read(timeout=0.1)[1].size == 1600, "the other stream goes on"


def test_capture_host_bad_file_keeps_nothing(settings, tmp_path):
    host = CaptureHost(settings.audio)
    bad = tmp_path / "x.wav"
    bad.write_bytes(b"RIFF" + b"\x00" * 100)
    with pytest.raises(UserError):
        host.open("stream-1", FileSource(bad))
    assert len(host) == 0
