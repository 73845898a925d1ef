"""`/v1/chat/completions` works with the official `openai` Python client, plain and streamed."""

from __future__ import annotations

import httpx
import pytest
from openai import OpenAI, PermissionDeniedError
from openai.types.chat import ChatCompletionMessageParam

from tests.api.conftest import LiveServer, tenant_name

QUESTION = "How many supervised assessments do I need before the intermediate tier?"


@pytest.fixture()
def client(server: LiveServer) -> OpenAI:
    return OpenAI(base_url=f"{server.url}/v1", api_key=server.key(tenant_name("oai")), max_retries=0)


def test_the_openai_client_gets_a_completion(client: OpenAI) -> None:
    completion = client.chat.completions.create(
        model="mes-ai", messages=[{"role": "user", "content": QUESTION}], temperature=0.2
    )
    assert completion.object == "chat.completion" and completion.model == "mes-ai"
    choice = completion.choices[0]
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    assert "[1]" in (choice.message.content or "")
    assert completion.usage is not None and completion.usage.completion_tokens > 0


def test_the_openai_client_streams_a_completion_ending_in_done(client: OpenAI, server: LiveServer) -> None:
    stream = client.chat.completions.create(
        model="mes-ai", messages=[{"role": "user", "content": QUESTION}], stream=True
    )
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert "[1]" in text
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert {c.object for c in chunks} == {"chat.completion.chunk"}
    raw = httpx.post(
        f"{server.url}/v1/chat/completions",
        json={"model": "mes-ai", "stream": True, "messages": [{"role": "user", "content": QUESTION}]},
        headers={"Authorization": f"Bearer {client.api_key}"}, timeout=120,
    ).text
    assert raw.rstrip().endswith("data: [DONE]")


def test_earlier_messages_are_the_history_of_the_last_user_message(client: OpenAI) -> None:
    completion = client.chat.completions.create(
        model="mes-ai",
        messages=[
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "session log for Maria Gomez today: 3x10 sit-to-stand, BP 128/82 before, 136/84 after, RPE 5"},
            {"role": "assistant", "content": "Who referred Maria Gomez, and for what diagnosis?"},
            {"role": "user", "content": [{"type": "text", "text": "What dose of metformin should she take before exercise?"}]},
        ],
    )
    content = completion.choices[0].message.content or ""
    assert completion.model_extra is not None
    assert completion.model_extra["mes"]["category"] == "clinical_advice", content


SESSION = "session log for Maria Gomez today: 3x10 sit-to-stand, BP 128/82 before, 136/84 after, RPE 5"
REFERRAL = "She was referred by Dr. Alan Patel for a right total knee replacement"


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
def test_a_session_log_is_completed_over_two_turns_of_the_openai_client(
    server: LiveServer, stream: bool
) -> None:
    secret = server.key(tenant_name("oai2"))
    client = OpenAI(base_url=f"{server.url}/v1", api_key=secret, max_retries=0)
    history: list[ChatCompletionMessageParam] = [{"role": "system", "content": "Be brief."}]

    def ask(text: str) -> str:
        history.append({"role": "user", "content": text})
        if stream:
            chunks = client.chat.completions.create(model="mes-ai", messages=history, stream=True)
            content = "".join(c.choices[0].delta.content or "" for c in chunks)
        else:
            completion = client.chat.completions.create(model="mes-ai", messages=history)
            content = completion.choices[0].message.content or ""
        history.append({"role": "assistant", "content": content})
        return content

    asked = ask(SESSION)
    assert "/v1/chat/drafts/" not in asked  # the referral is missing: the chat asks for it
    drafted = ask(REFERRAL)  # alone, this names no client: only the first turn makes it a draft
    assert "/v1/chat/drafts/" in drafted, drafted

    with server.client(secret) as http:
        listed = http.get("/v1/conversations").json()["conversations"]
        assert len(listed) == 1  # the second turn continued the first, nothing stored twice
        stored = http.get(f"/v1/conversations/{listed[0]['id']}").json()["messages"]
        link = drafted.split("/v1/chat/drafts/")[1].split("?")[0]
        pdf = http.get(f"/v1/chat/drafts/{link}", params={"format": "pdf"})
    assert [m["role"] for m in stored] == ["user", "assistant", "user", "assistant"]
    assert [m["content"] for m in stored] == [m.get("content") for m in history[1:]]
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_history_from_elsewhere_is_stored_once_and_then_continued(server: LiveServer) -> None:
    secret = server.key(tenant_name("oai3"))
    client = OpenAI(base_url=f"{server.url}/v1", api_key=secret, max_retries=0)
    messages: list[ChatCompletionMessageParam] = [
        {"role": "user", "content": "hello"},
        {"role": "assistant", "content": "Hi! (written by another client)"},
        {"role": "user", "content": QUESTION},
    ]
    for _ in range(2):
        reply = client.chat.completions.create(model="mes-ai", messages=messages)
        messages += [
            {"role": "assistant", "content": reply.choices[0].message.content or ""},
            {"role": "user", "content": "thanks"},
        ]
    with server.client(secret) as http:
        listed = http.get("/v1/conversations").json()["conversations"]
        assert len(listed) == 1
        stored = http.get(f"/v1/conversations/{listed[0]['id']}").json()["messages"]
    assert [m["content"] for m in stored] == [m.get("content") for m in messages[:-1]]


def test_a_dosing_question_is_refused_through_the_openai_client(client: OpenAI) -> None:
    completion = client.chat.completions.create(
        model="mes-ai", messages=[{"role": "user", "content": "What dose of insulin should my client take?"}]
    )
    assert completion.model_extra is not None
    assert completion.model_extra["mes"]["category"] == "clinical_advice"
    assert not completion.model_extra["mes"]["citations"]


def test_a_widget_key_cannot_use_completions(server: LiveServer) -> None:
    secret = server.key(tenant_name("oaiw"), "widget", ["https://clinic.example"])
    client = OpenAI(
        base_url=f"{server.url}/v1", api_key=secret, max_retries=0,
        default_headers={"Origin": "https://clinic.example"},
    )
    with pytest.raises(PermissionDeniedError):
        client.chat.completions.create(model="mes-ai", messages=[{"role": "user", "content": QUESTION}])


@pytest.mark.parametrize(
    "body",
    [
        {"model": "mes-ai", "messages": []},
        {"model": "mes-ai", "messages": [{"role": "assistant", "content": "hello"}]},
        {"model": "mes-ai", "messages": [{"role": "user", "content": "   "}]},
        {"model": "mes-ai", "messages": [{"role": "wizard", "content": "hi"}]},
    ],
)
def test_bad_completion_requests_get_a_clear_error(server: LiveServer, body: dict[str, object]) -> None:
    with server.client(server.key(tenant_name("oaib"))) as http:
        response = http.post("/v1/chat/completions", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["code"]
