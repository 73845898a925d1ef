"""The chat over real HTTP: answers with citations, refusals, escalation, drafting over turns,
the tier gap from the stored profile, server-sent events, and a restart that forgets nothing."""

from __future__ import annotations

import io
import json
from typing import Any

import docx
import httpx
import pytest
from pypdf import PdfReader

from tests.api.conftest import LiveServer, ServerFactory, say, tenant_name

SESSION = "session log for Maria Gomez today: 3x10 sit-to-stand, BP 128/82 before, 136/84 after, RPE 5"
REFERRAL = "She was referred by Dr. Alan Patel for a right total knee replacement"


@pytest.fixture()
def http(server: LiveServer) -> httpx.Client:
    return server.client(server.key(tenant_name("chat")))


def test_an_in_scope_question_is_answered_with_citations(http: httpx.Client) -> None:
    reply = say(http, "How many supervised assessments do I need before the intermediate tier?")
    assert reply["category"] == "in_scope"
    assert reply["citations"], reply["reply"]
    assert "[1]" in reply["reply"]
    first = reply["citations"][0]
    assert first["n"] == 1 and first["source"].startswith("knowledge/") and first["section"]
    assert "<script" not in reply["html"]


def test_a_dosing_question_is_refused_and_names_the_clients_physician(http: httpx.Client) -> None:
    setup = say(http, "Maria Gomez was referred by Dr. Alan Patel for a right total knee replacement")
    assert setup["category"] == "in_scope"
    refused = say(
        http, "What dose of metformin should Maria Gomez take before her session?",
        setup["conversation_id"],
    )
    assert refused["category"] == "clinical_advice"
    assert "Patel" in refused["reply"]
    assert not refused["citations"]


def test_an_emergency_is_escalated(http: httpx.Client) -> None:
    reply = say(http, "My client just collapsed on the treadmill and is not responding")
    assert reply["category"] == "emergency"
    assert "emergency" in reply["reply"].lower()


def test_a_session_log_is_completed_over_two_turns_and_downloaded(http: httpx.Client) -> None:
    first = say(http, SESSION)
    assert first["pending"], first["reply"]
    second = say(http, REFERRAL, first["conversation_id"])
    draft = second["draft"]
    assert draft is not None, second["reply"]
    assert draft["kind"] == "session-log" and "128/82" in draft["markdown"]
    assert draft["downloads"]["docx"] == f"/v1/chat/drafts/{draft['id']}?format=docx"

    word = http.get(draft["downloads"]["docx"])
    assert word.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    tables = " ".join(c.text for t in docx.Document(io.BytesIO(word.content)).tables for r in t.rows for c in r.cells)
    assert "Maria Gomez" in text + tables and "128/82" in text + tables

    pdf = http.get(draft["downloads"]["pdf"])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Maria Gomez" in pdf_text and "128/82" in pdf_text

    markdown = http.get(draft["downloads"]["md"])
    assert markdown.status_code == 200 and markdown.text == draft["markdown"]



def test_a_tier_question_is_answered_from_the_stored_profile_after_an_update(
    http: httpx.Client,
) -> None:
    asked = say(http, "I've now done 62 supervised assessments")
    assert asked["pending"], asked["reply"]
    saved = say(http, "yes", asked["conversation_id"])
    assert "62" in saved["reply"]
    gap = say(http, "what do I still need for the next tier?")  # a new conversation
    assert gap["tier_gap"] is not None, gap["reply"]
    assert "62" in json.dumps(gap["tier_gap"])


def test_the_reply_streams_as_server_sent_events(http: httpx.Client) -> None:
    with http.stream(
        "POST", "/v1/chat", json={"message": "What should a session log contain?"},
        headers={"Accept": "text/event-stream"},
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        raw = "".join(response.iter_text())
    events = [
        (block.split("\n")[0].removeprefix("event: "), json.loads(block.split("\n")[1].removeprefix("data: ")))
        for block in raw.strip().split("\n\n")
    ]
    names = [name for name, _ in events]
    assert names[0] == "meta" and names[-1] == "done" and set(names[1:-1]) == {"delta"}
    done = events[-1][1]
    assert "".join(data["text"] for name, data in events if name == "delta") == done["reply"]
    assert events[0][1]["conversation_id"] == done["conversation_id"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"message": ""}, 422),
        ({"message": "   "}, 422),
        ({"message": "x" * 4001}, 422),
        ({"message": "hi", "conversation_id": "0" * 32}, 404),
        ({"text": "hi"}, 422),
    ],
)
def test_bad_chat_requests_get_a_clear_error(http: httpx.Client, body: dict[str, Any], status: int) -> None:
    for headers in ({}, {"Accept": "text/event-stream"}):
        response = http.post("/v1/chat", json=body, headers=headers)
        assert response.status_code == status
        assert response.json()["error"]["code"]


def test_a_restart_keeps_conversations_cases_and_profiles(servers: ServerFactory) -> None:
    live = servers()
    secret = live.key(tenant_name("restart"))
    with live.client(secret) as http:
        first = say(http, SESSION)
        drafted = say(http, REFERRAL, first["conversation_id"])
        assert drafted["draft"] is not None
        asked = say(http, "I have 14 months in practice and 62 supervised assessments")
        say(http, "yes", asked["conversation_id"])
    live.stop()
    live.start()
    with live.client(secret) as http:
        kept = http.get(f"/v1/conversations/{first['conversation_id']}").json()
        assert [m["role"] for m in kept["messages"]] == ["user", "assistant"] * 2
        assert kept["messages"][0]["content"] == SESSION
        assert http.get(drafted["draft"]["downloads"]["pdf"]).status_code == 200
        refused = say(
            http, "What dose of insulin should Maria Gomez take before exercise?",
            first["conversation_id"],
        )
        assert refused["category"] == "clinical_advice" and "Patel" in refused["reply"]
        gap = say(http, "what do I still need for the next tier?")
        assert gap["tier_gap"] is not None and "62" in json.dumps(gap["tier_gap"])
        cases = live.db.list_cases(live.db.authenticate(secret).tenant)  # type: ignore[union-attr]
        assert cases == ["Maria Gomez"]
