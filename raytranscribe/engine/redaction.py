"""The redaction step: committed and interim words in, redacted text out, through ``raytranscribe.phi``.

Runs inside a scrubber replica. It holds no state of its own: the caller passes the stream's
``RedactionState`` in and gets the next one back, so any replica can serve any stream. Any exception
propagates, and the caller shows nothing for that update (fail closed).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from raytranscribe.asr.streaming import AsrUpdate
from raytranscribe.asr.words import join
from raytranscribe.engine.events import RedactedText


@dataclass(frozen=True)
class RedactionState:
    redactor: Any  # phi.StreamRedactor for this stream
    released_until: float = 0.0  # audio end of the last final event
    pushed_until: float = 0.0  # audio end of the newest committed word handed to the redactor
    pending_start: float | None = None  # audio start of the oldest committed word not yet released
    partial: str = ""  # the last partial text shown, to emit only changes


def redact_update(scrubber: Any, state: RedactionState, update: AsrUpdate, now: float,
                  final: bool) -> tuple[RedactionState, list[RedactedText]]:
    redactor = state.redactor
    if update.committed:
        pending = update.committed[0].start if state.pending_start is None else state.pending_start
        state = replace(state, pending_start=pending, pushed_until=update.committed[-1].end)
        released = redactor.push(scrubber, join(update.committed), now)
    else:
        released = redactor.poll(scrubber, now)
    if final:
        released = " ".join(t.strip() for t in (released, redactor.flush(scrubber)) if t.strip())
    released = released.strip()
    events = []
    if released:
        # The redactor may hold back a tail, so a final's span is bounded, not exact: it starts at the
        # oldest unreleased committed word and ends at the newest committed word.
        start = state.pending_start if state.pending_start is not None else state.released_until
        events.append(RedactedText("final", released, start, max(start, state.pushed_until)))
        state = replace(state, released_until=state.pushed_until, pending_start=None)
    interim = join(update.interim)
    partial = redactor.interim(scrubber, interim).strip() if interim else ""
    if partial != state.partial:
        start = update.interim[0].start if update.interim else update.audio_end
        events.append(RedactedText("partial", partial, min(start, update.audio_end), update.audio_end))
        state = replace(state, partial=partial)
    return replace(state, redactor=redactor), events
