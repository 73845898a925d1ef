"""A stored client typed in lowercase is read as that client; other words are left alone."""

from __future__ import annotations

import pytest

from assistant.chat.casenotes import read_client
from assistant.chat.known_clients import with_known_client

STORED = ["Linda Moreno", "Tom Reyes", "Will Park", "Ann Lee", "Ann Wu"]


@pytest.mark.parametrize(
    ("message", "client"),
    [
        ("session for linda today: 3x10 sit to stand", "Linda Moreno"),
        ("progress summary for tom reyes", "Tom Reyes"),
        ("tom's 30s chair stand was 8 reps at intake", "Tom Reyes"),
        ("linda: BP 130/80 before", "Linda Moreno"),
        ("session log for ann wu", "Ann Wu"),
        # no cue, a doctor, a first name two clients share: nothing is read
        ("i will draft it later", None),
        ("what are the red flags?", None),
        ("dr. linda said so", None),
        ("session for ann today", None),
    ],
)
def test_a_stored_client_typed_in_lowercase_is_read(message: str, client: str | None) -> None:
    assert read_client(with_known_client(message, STORED)) == client


def test_a_client_the_notes_already_read_is_kept() -> None:
    message = "session for Maria today, then one for linda"
    assert with_known_client(message, STORED) == message
