"""The clinician's session screen: start/stop capture, live redacted text that vanishes, status."""

from __future__ import annotations

import base64
import binascii
import statistics
import time
from collections import deque

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui

from raytranscribe.errors import UserError
from ui.auth.roles import Permission
from ui.context import AppContext
from ui.engine_link import REDACTION_UNAVAILABLE, LiveStream
from ui.pages.common import header, require
from ui.transcript_view import TranscriptView

TICK_S = 0.2
# A stream status (audio skipped, recognizer restarted) stays up at least this long: text that follows at once
# would otherwise clear it before anyone could read it.
STATUS_MIN_S = 8.0
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def register(ctx: AppContext) -> None:
    @ui.page("/session", title="raytranscribe - session")
    def session_page(request: Request) -> RedirectResponse | None:
        got = require(ctx, Permission.run_session)
        if isinstance(got, RedirectResponse):
            return got
        bid, s = got
        SessionScreen(ctx, bid, s.username, remote=(request.client is None or request.client.host not in LOOPBACK))
        return None


class SessionScreen:
    """One per open page. Holds the stream and the transient view; both die with the page."""

    def __init__(self, ctx: AppContext, bid: str, username: str, remote: bool) -> None:
        self.ctx, self.bid, self.username = ctx, bid, username
        self.view = TranscriptView(ctx.settings.ui.line_ttl_s)
        self.stream: LiveStream | None = None
        self.labels: dict[int, ui.label] = {}
        self.redaction_down = False
        self.status_until = 0.0  # the stream status banner is kept until then
        self.opening = False
        self.closed = False
        # Seconds from speech to screen (event time minus the end of the audio it covers), recent events.
        self.latencies: deque[float] = deque(maxlen=20)

        header(ctx, bid, ctx.sessions.get(bid), on_leave=self.wipe_and_stop)
        with ui.row().classes("w-full items-center gap-4 text-sm").mark("status"):
            self.model_label = ui.label().mark("status-model")
            self.device_label = ui.label().mark("status-device")
            self.latency_label = ui.label().mark("status-latency")
            self.scrubber_label = ui.label().mark("status-scrubbers")
            self.chunk_label = ui.label().mark("status-chunk")
            self.degradation_label = ui.label().mark("status-degradation")
            ui.label("level")
            self.meter = ui.linear_progress(value=0, show_value=False).classes("w-32").mark("level")
        self.engine_banner = ui.label().classes("text-red-700 font-semibold").mark("engine-error")
        self.stream_banner = ui.label().classes("text-amber-800").mark("stream-status")
        self.redaction_banner = ui.label(REDACTION_UNAVAILABLE).classes("text-red-700 font-semibold").mark(
            "redaction-unavailable")
        self.redaction_banner.set_visibility(False)
        with ui.row().classes("items-center gap-2"):
            self.source = ui.toggle({"browser": "This browser's microphone", "workstation": "Workstation microphone"},
                                    value="browser" if remote else "workstation").mark("source")
            self.start_btn = ui.button("Start", on_click=self.start).mark("start")
            self.stop_btn = ui.button("Stop", on_click=self.stop).mark("stop")
            self.stop_btn.disable()
            ui.button("Clear", on_click=self.clear, color="warning").mark("clear")
        ui.label(f"Lines disappear {ctx.settings.ui.line_ttl_s:g} s after they appear.").classes("text-xs")
        with ui.column().classes("w-full gap-1 text-lg").mark("transcript") as self.lines_box:
            pass
        self.interim = ui.label().classes("rt-interim text-lg text-gray-400 italic").mark("interim")
        ui.on("rt_audio", self.on_browser_audio)
        ui.on("rt_mic_error", self.on_browser_mic_error)
        ui.context.client.on_delete(self.close)
        self.refresh_status()
        ui.timer(TICK_S, self.tick)
        ui.timer(1.0, self.refresh_status)

    # --- capture -------------------------------------------------------------------------------------

    async def start(self) -> None:
        if self.stream is not None or self.opening:
            return
        from_browser = self.source.value == "browser"
        self.opening = True
        self.start_btn.disable()
        try:
            stream = await run.io_bound(self.ctx.engine.open, from_browser)
        except Exception as exc:  # noqa: BLE001 - UserError: no microphone, model missing; else only its class
            ui.notify(str(exc) if isinstance(exc, UserError) else f"could not start capture ({exc.__class__.__name__})",
                      type="negative")
            self.start_btn.enable()
            return
        finally:
            self.opening = False
        if self.closed:  # the page went away while the engine was opening the stream
            stream.stop()
            return
        self.stream = stream
        self.latencies.clear()
        self.ctx.audit.record(self.username, "session_start", "browser mic" if from_browser else "workstation mic")
        if from_browser:
            ui.run_javascript("rtMic.start()")
        self.start_btn.disable()
        self.stop_btn.enable()
        self.source.disable()

    def stop(self) -> None:
        if self.stream is None:
            return
        if self.stream.from_browser:
            ui.run_javascript("rtMic.stop()")
        self.stop_stream()
        self.start_btn.enable()
        self.stop_btn.disable()
        self.source.enable()
        self.meter.value = 0

    def on_browser_audio(self, e) -> None:
        if self.stream is None or not self.stream.from_browser:
            return
        try:
            self.stream.push_pcm16(base64.b64decode(e.args, validate=True))
        except (binascii.Error, TypeError, ValueError):
            return  # malformed frame from the page: drop it, keep the stream

    def on_browser_mic_error(self, e) -> None:
        self.stop()
        ui.notify(f"No usable microphone in this browser ({str(e.args)[:40]}).", type="negative")

    # --- display -------------------------------------------------------------------------------------

    def tick(self) -> None:
        now = time.time()
        if self.stream is not None:
            ended = self.stream.ended  # read before draining, so no late event is dropped
            for event in self.stream.drain():
                self.apply(event, now)
            if ended:
                self.stop()
                ui.notify("Capture stopped: the audio source ended.", type="warning")
            else:
                self.meter.value = min(1.0, self.stream.level * 4)
        for line in self.view.expire(now):
            self.labels.pop(line.id).delete()
        if self.interim.text != self.view.interim:
            self.interim.text = self.view.interim

    def apply(self, event, now: float) -> None:
        kind = getattr(event, "kind", "")
        if kind == "status":  # status messages carry no transcript text (engine contract)
            message = str(getattr(event, "message", ""))
            if REDACTION_UNAVAILABLE in message:
                self.set_redaction_down(True)
            else:
                self.stream_banner.text = message
                self.status_until = now + STATUS_MIN_S
            return
        self.set_redaction_down(False)
        if now >= self.status_until:
            self.stream_banner.text = ""
        if (lag := getattr(event, "t", 0.0) - getattr(event, "audio_end", 0.0)) > 0:
            self.latencies.append(lag)
        self.ctx.sessions.touch(self.bid)  # speech counts as activity: no lock mid-conversation
        if kind == "final":
            if (line := self.view.add_final(event.text, now)) is None:
                return
            if line.id in self.labels:
                self.labels[line.id].text = line.text
            else:
                with self.lines_box:
                    self.labels[line.id] = ui.label(line.text).classes("rt-line").mark("line")
        elif kind == "partial":
            self.view.set_interim(event.text, now)

    def set_redaction_down(self, down: bool) -> None:
        if down and not self.redaction_down:
            self.wipe()  # fail closed: nothing on screen while redaction cannot be trusted
        self.redaction_down = down
        self.redaction_banner.set_visibility(down)

    def clear(self) -> None:
        self.wipe()
        self.ctx.audit.record(self.username, "clear")

    def wipe(self) -> None:
        self.view.clear()
        self.lines_box.clear()
        self.labels.clear()
        self.interim.text = ""

    def wipe_and_stop(self) -> None:
        self.wipe()
        self.stop_stream()

    def close(self) -> None:
        self.closed = True
        self.stop_stream()

    def stop_stream(self) -> None:
        """Without touching the page (it may be gone already)."""
        if self.stream is not None:
            stream, self.stream = self.stream, None
            stream.stop()
            self.ctx.audit.record(self.username, "session_stop")

    def refresh_status(self) -> None:
        st = self.ctx.engine.status()
        self.model_label.text = f"model: {st.model or '-'}"
        self.device_label.text = f"device: {st.device or st.state}"
        lag = statistics.median(self.latencies) if self.latencies else None
        self.latency_label.text = "latency: " + (f"{lag:.1f} s" if lag is not None else "-")
        self.scrubber_label.text = "scrubbers: " + (str(st.scrubbers) if st.scrubbers is not None else "-")
        chunk = st.chunks.get(getattr(self.stream.stream, "id", None)) if self.stream is not None else None
        self.chunk_label.text = "chunk: " + (f"{chunk:.2f} s" if chunk is not None else "-")
        # The controller's degradation level under load (see raytranscribe/control/policy.py).
        self.degradation_label.text = "mode: " + (st.degradation.lower().replace("_", " ")
                                                  if st.degradation not in ("", "NONE") else "normal")
        self.engine_banner.text = st.error
        self.engine_banner.set_visibility(bool(st.error))
        if st.state != "ready":
            self.start_btn.disable()
        elif self.stream is None and not self.opening:
            self.start_btn.enable()
