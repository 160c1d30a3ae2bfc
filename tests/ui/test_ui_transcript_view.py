from ui.transcript_view import TranscriptView


def test_lines_expire_after_ttl_and_interim_is_replaced():
    v = TranscriptView(ttl_s=30)
    v.set_interim("the pat", 0)
    a = v.add_final("The patient [NAME] is here.", 1)
    assert v.interim == ""  # committed text supersedes the interim guess
    b = v.add_final("Second.", 20)
    assert v.add_final("   ", 21) is None
    assert v.expire(30.9) == []
    assert v.expire(31) == [a]
    assert v.lines == [b]
    v.set_interim("stale", 40)
    assert v.expire(70) == [b] and v.interim == ""
    assert not v.lines and not v.interim


def test_clear_wipes_everything_at_once():
    v = TranscriptView(ttl_s=30)
    v.add_final("one", 0)
    v.set_interim("two", 0)
    assert [ln.text for ln in v.clear()] == ["one"]
    assert not v.lines and not v.interim


def test_fragments_join_until_a_sentence_ends():
    v = TranscriptView(ttl_s=30)
    a = v.add_final("Hi,", 0)
    b = v.add_final("my name is", 1)
    assert b.id == a.id and b.text == "Hi, my name is" and b.shown_at == 0
    v.add_final("[NAME].", 2)
    c = v.add_final("Next one", 3)
    assert [ln.text for ln in v.lines] == ["Hi, my name is [NAME].", "Next one"] and c.id != a.id
    assert [ln.id for ln in v.expire(30)] == [a.id]  # a grown line keeps the time it appeared


def test_an_old_unfinished_line_is_not_grown():
    v = TranscriptView(ttl_s=30)
    a = v.add_final("and then", 0)
    b = v.add_final("much later", 11)  # a third of the TTL has passed: joined words would vanish too soon
    assert b.id != a.id and [ln.text for ln in v.lines] == ["and then", "much later"]
