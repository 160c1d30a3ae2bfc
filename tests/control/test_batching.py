"""The batching decoder with a fake model: batches, FIFO fairness, errors reach their callers."""

import threading
import time

import numpy as np
import pytest

from raytranscribe.asr.batching import BatchingDecoder, DecoderClosed
from raytranscribe.asr.whisper import DecodedPass, DecodeRequest

BATCH_COST_S = 0.05


class FakeModel:
    """Each batch costs a fixed time; a result names the request's prompt (the stream and pass)."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.batches: list[list[str]] = []
        self.fail_on = fail_on

    def decode_batch(self, requests: list[DecodeRequest]) -> list[DecodedPass]:
        prompts = [r.prompt for r in requests]
        self.batches.append(prompts)
        time.sleep(BATCH_COST_S)
        if self.fail_on in prompts:
            raise RuntimeError("model failed")
        return [DecodedPass([], no_speech_prob=0.0, avg_logprob=0.0, compression_ratio=float(len(p)))
                for p in prompts]


def stream(decoder: BatchingDecoder, name: str, passes: int, out: dict) -> None:
    decoder.serve(name)
    for i in range(passes):
        result = decoder.decode(np.zeros(16000, dtype=np.float32), f"{name}{i}")
        assert result.compression_ratio == len(f"{name}{i}"), "each caller gets its own result"
    out[name] = decoder.take_times()


def run_streams(decoder: BatchingDecoder, plan: dict[str, int], delays: dict[str, float] | None = None) -> dict:
    out: dict = {}

    def start(name: str, passes: int) -> None:
        time.sleep((delays or {}).get(name, 0.0))
        stream(decoder, name, passes, out)

    threads = [threading.Thread(target=start, args=item) for item in plan.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return out


def run_due_streams(n: int, max_batch: int) -> tuple[FakeModel, BatchingDecoder]:
    """``n`` streams, all marked due, one pass each."""
    model = FakeModel()
    decoder = BatchingDecoder(model, max_batch=max_batch, max_wait_s=0.5)
    for i in range(n):
        decoder.set_due(f"s{i}", True)
    run_streams(decoder, {f"s{i}": 1 for i in range(n)})
    decoder.close()
    return model, decoder


def test_concurrent_streams_share_one_model_call():
    model, _ = run_due_streams(4, max_batch=8)
    assert len(model.batches) == 1 and sorted(model.batches[0]) == ["s00", "s10", "s20", "s30"]


def test_batch_size_is_bounded():
    model, decoder = run_due_streams(7, max_batch=3)
    assert max(len(b) for b in model.batches) <= 3 and sum(len(b) for b in model.batches) == 7 == decoder.passes


def test_no_stream_waits_behind_another_backlog():
    # "busy" fires 40 passes back to back (a stream that fell far behind); "late" arrives in the middle.
    # FIFO batches with one pass in flight per stream: "late" waits for at most the batch being decoded.
    model = FakeModel()
    decoder = BatchingDecoder(model, max_batch=8, max_wait_s=0.005)
    times = run_streams(decoder, {"busy": 40, "late": 1}, delays={"late": 0.5})
    decoder.close()
    assert times["late"].passes == 1
    assert times["late"].wait_s < 4 * BATCH_COST_S, "the late stream's pass waited behind the backlog"
    late_batch = next(i for i, b in enumerate(model.batches) if "late0" in b)
    assert sum("busy" in p for b in model.batches[late_batch + 1 :] for p in b) > 10, "busy still had a backlog"


def test_requests_are_served_in_arrival_order():
    model = FakeModel()
    decoder = BatchingDecoder(model, max_batch=2, max_wait_s=0.0)
    run_streams(decoder, {"a": 1, "b": 1, "c": 1, "d": 1}, delays={"a": 0.0, "b": 0.01, "c": 0.02, "d": 0.03})
    decoder.close()
    assert [p for b in model.batches for p in b] == ["a0", "b0", "c0", "d0"]


def test_a_failed_batch_raises_in_each_caller_and_the_pool_goes_on():
    model = FakeModel(fail_on="x0")
    decoder = BatchingDecoder(model, max_batch=8, max_wait_s=0.0)
    with pytest.raises(RuntimeError):
        decoder.decode(np.zeros(10, dtype=np.float32), "x0")
    assert decoder.decode(np.zeros(10, dtype=np.float32), "y0").compression_ratio == 2
    decoder.close()
    with pytest.raises(DecoderClosed):
        decoder.decode(np.zeros(10, dtype=np.float32), "z0")


def test_times_split_waiting_from_model_time():
    decoder = BatchingDecoder(FakeModel(), max_batch=1, max_wait_s=0.0)
    out = run_streams(decoder, {"a": 1, "b": 1}, delays={"b": 0.01})
    decoder.close()
    # Sleeps last at least their time; the upper bounds leave room for a loaded machine.
    assert BATCH_COST_S * 0.95 <= out["a"].decode_s < BATCH_COST_S * 4 and out["a"].wait_s < BATCH_COST_S
    assert out["b"].wait_s >= BATCH_COST_S * 0.5, "b (10 ms later) queued behind a's single-request batch"
    assert out["b"].join_s < BATCH_COST_S * 0.2, "that was queueing, not waiting for others to join"
    assert 2 * BATCH_COST_S * 0.95 <= decoder.busy_s < 8 * BATCH_COST_S and decoder.batches == 2


def test_a_forming_batch_waits_for_a_stream_whose_pass_is_due():
    model = FakeModel()
    decoder = BatchingDecoder(model, max_batch=8, max_wait_s=0.5)
    decoder.set_due("b", True)
    times = run_streams(decoder, {"a": 1, "b": 1}, delays={"b": 0.05})
    decoder.close()
    assert model.batches == [["a0", "b0"]], "b's pass joined a's batch"
    assert 0.03 <= times["a"].wait_s < 0.5, "a waited for b, less than the bound"
    assert times["a"].join_s == pytest.approx(times["a"].wait_s), "all of it while the decoder was free"


def test_a_stream_nobody_waits_for_runs_at_once():
    model = FakeModel()
    decoder = BatchingDecoder(model, max_batch=8, max_wait_s=0.5)
    times = run_streams(decoder, {"a": 1, "b": 1}, delays={"b": 0.05})
    decoder.close()
    assert model.batches == [["a0"], ["b0"]]
    assert times["a"].wait_s < 0.03, "a lone pass pays no batching wait"


def test_waiting_for_a_due_stream_is_bounded_and_ends_when_it_is_no_longer_due():
    model = FakeModel()
    decoder = BatchingDecoder(model, max_batch=8, max_wait_s=0.2)
    decoder.set_due("never", True)  # e.g. a stream whose audio ended
    times = run_streams(decoder, {"a": 1})
    assert 0.15 <= times["a"].wait_s < 0.4
    threading.Timer(0.05, decoder.set_due, args=("never", False)).start()
    times = run_streams(decoder, {"a": 1})
    decoder.close()
    assert times["a"].wait_s < 0.15, "the batch started once the stream was no longer due"


def test_forming_while_a_request_waits():
    decoder = BatchingDecoder(FakeModel(), max_batch=8, max_wait_s=0.5)
    assert not decoder.forming
    decoder.set_due("b", True)
    seen = []
    threading.Timer(0.05, lambda: seen.append(decoder.forming)).start()
    run_streams(decoder, {"a": 1, "b": 1}, delays={"b": 0.1})
    decoder.close()
    assert seen == [True] and not decoder.forming


def test_a_backlog_is_never_held_for_due_streams():
    # b queues while a's batch runs (the decoder is busy): when a's batch ends, b runs at once, without
    # waiting for c, and c may not start early (that would add passes to a busy decoder).
    model = FakeModel()
    decoder = BatchingDecoder(model, max_batch=8, max_wait_s=0.5)
    seen = []
    threading.Timer(0.02, decoder.set_due, args=("c", True)).start()
    threading.Timer(0.03, lambda: seen.append(decoder.forming)).start()
    times = run_streams(decoder, {"a": 1, "b": 1}, delays={"b": 0.01})
    decoder.close()
    assert model.batches == [["a0"], ["b0"]] and seen == [False]
    assert times["b"].wait_s < 2 * BATCH_COST_S and times["b"].join_s < 0.02
