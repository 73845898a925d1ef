"""The optional LLM only rewords: unsafe, unfaithful or uncited text falls back to extraction.

The LLM is a real OpenAI-compatible HTTP endpoint on 127.0.0.1 (a small stand-in server that
answers /v1/chat/completions with the text each test sets), reached through langchain-openai.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from assistant.backends import build_generator
from assistant.chat.answer import Answer, Answerer
from assistant.chat.generate import ExtractiveGenerator, OpenAIGenerator, acceptable
from assistant.services import Services
from assistant.settings import Settings

QUESTION = "How many MET assessments should be done under supervision before Intermediate?"


class _Endpoint(BaseHTTPRequestHandler):
    reply: ClassVar[str] = ""
    requests: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "body": body})
        payload = {
            "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "stand-in",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": type(self).reply}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }  # fmt: skip
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


@pytest.fixture(scope="module")
def answer(knowledge_services: Services) -> Answer:
    composed = Answerer(knowledge_services.embedder).compose(
        QUESTION, knowledge_services.search(QUESTION, 6)
    )
    assert composed is not None
    return composed


def generator(endpoint: str, tmp_path: Path) -> OpenAIGenerator:
    settings = Settings(data_dir=tmp_path, llm_base_url=endpoint, llm_api_key="test-key")
    built = build_generator(settings)
    assert isinstance(built, OpenAIGenerator)
    return built


def test_the_extractive_generator_is_the_default(tmp_path: Path) -> None:
    assert isinstance(build_generator(Settings(data_dir=tmp_path)), ExtractiveGenerator)


def test_a_faithful_cited_rewording_is_used(endpoint: str, answer: Answer, tmp_path: Path) -> None:
    _Endpoint.reply = "Complete at least 50–75 MET assessments with a supervisor first [1]."
    assert generator(endpoint, tmp_path).generate(QUESTION, answer) == _Endpoint.reply
    sent = _Endpoint.requests[-1]
    assert sent["path"].endswith("/chat/completions")
    assert QUESTION in json.dumps(sent["body"]) and "[1]" in json.dumps(sent["body"])


@pytest.mark.parametrize(
    "reply",
    [
        "Complete at least 90 MET assessments with a supervisor first [1].",  # invented figure
        "Complete 50–75 assessments; have her take 500 mg metformin daily before sessions [1].",
        "Complete 50–75 MET assessments with a supervisor first.",  # no citation
        "Complete 50–75 MET assessments with a supervisor first [7].",  # not a given source
        "",
    ],
)
def test_unsafe_or_unfaithful_text_falls_back_to_the_extractive_answer(
    endpoint: str, answer: Answer, tmp_path: Path, reply: str
) -> None:
    _Endpoint.reply = reply
    assert not acceptable(reply, answer)
    assert generator(endpoint, tmp_path).generate(QUESTION, answer) == answer.body


def test_an_unreachable_endpoint_falls_back(answer: Answer, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, llm_base_url="http://127.0.0.1:9/v1", llm_timeout_s=2)
    assert OpenAIGenerator(settings).generate(QUESTION, answer) == answer.body
