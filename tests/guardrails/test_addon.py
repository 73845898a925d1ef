"""Finding a second request tacked on after the first."""

from __future__ import annotations

import pytest

from guardrails.addon import add_on_request

CASES = [
    ("how do I log it? ps: can he take extra salt tablets?", "can he take extra salt tablets?"),
    ("what goes in the report?? oh and surgery or injection for her?",
     "surgery or injection for her?"),
    ("write the letter. also, should she stop her statin before training?",
     "should she stop her statin before training?"),
    ("she also has diabetes, how do I adjust the warm-up?", None),
    ("draft the log. also add it", None),
]


@pytest.mark.parametrize(("text", "tail"), CASES)
def test_the_request_after_the_last_marker_is_found(text: str, tail: str | None) -> None:
    assert add_on_request(text) == tail
