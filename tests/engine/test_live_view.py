import io

from raytranscribe.engine.events import StatusEvent, TranscriptEvent
from raytranscribe.engine.view import JsonlView, LiveView


class Tty(io.StringIO):
    def isatty(self):
        return True


def ev(kind, text):
    return TranscriptEvent(kind, text, 1.0, 0.0, 1.0)


def test_terminal_view_keeps_committed_text_and_one_interim_line():
    out, err = Tty(), io.StringIO()
    view = LiveView(out, err)
    for e in (ev("partial", "hello wor"), ev("final", "hello world"), ev("partial", "my name is [NAME]"),
              StatusEvent("redaction unavailable", 2.0)):
        view.show(e)
    view.close()
    screen = out.getvalue().split("\r\x1b[K")[-1]
    assert screen.startswith("hello world") and "[NAME]" not in screen
    assert err.getvalue() == "[redaction unavailable]\n"


def test_piped_view_prints_finals_and_jsonl_prints_every_event():
    out = io.StringIO()
    view = LiveView(out, io.StringIO())
    view.show(ev("partial", "a"))
    view.show(ev("final", "a b"))
    assert out.getvalue() == "a b\n"
    out = io.StringIO()
    JsonlView(out, io.StringIO()).show(ev("final", "a b"))
    assert out.getvalue() == '{"kind": "final", "text": "a b", "t": 1.0, "audio_start": 0.0, "audio_end": 1.0}\n'
