"""Who words an answer: the extractive default, or an optional OpenAI-compatible LLM.

The LLM only rewords what the retrieved passages say. Its text must pass the guard's output
check (no dosing, diagnosis or therapy wording; no figure that is not in the passages) and cite
only the numbered passages it was given; otherwise the extractive answer is used.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import yaml

from assistant.chat.answer import Answer
from assistant.paths import PROMPTS_DIR
from assistant.settings import Settings
from guardrails.output import check_output

LLM_PROMPTS = PROMPTS_DIR / "chat" / "llm.yaml"
_MARKER = re.compile(r"\[(\d{1,2})\]")


class Generator(Protocol):
    """Turns a grounded extractive answer into the reply text."""

    name: str

    def generate(self, question: str, answer: Answer) -> str: ...


class ExtractiveGenerator:
    """The default: the extractive answer as composed (no model)."""

    name = "extractive"

    def generate(self, question: str, answer: Answer) -> str:
        return answer.body


@cache
def _prompts(path: Path = LLM_PROMPTS) -> dict[str, str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items()}


def acceptable(text: str, answer: Answer) -> bool:
    """LLM text is used only if it is safe, faithful to the passages and properly cited."""
    if not text.strip():
        return False
    numbers = {int(n) for n in _MARKER.findall(text)}
    allowed = {c.n for c in answer.citations}
    if not numbers or not numbers <= allowed:
        return False
    if any(not _MARKER.search(p) for p in text.split("\n\n") if p.strip()):
        return False
    return not check_output(text, sources=[*answer.sources_text, answer.body])


class OpenAIGenerator:
    """Rewords the answer with any OpenAI-compatible endpoint (langchain-openai ChatOpenAI)."""

    name = "openai"

    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        self.settings = settings
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            from langchain_openai import ChatOpenAI

            s = self.settings
            self._client = ChatOpenAI(
                model=s.llm_model,
                base_url=s.llm_base_url,
                api_key=s.llm_api_key or "not-needed",
                timeout=s.llm_timeout_s,
                max_retries=0,
                temperature=0,
            )
        return self._client

    def messages(self, question: str, answer: Answer) -> list[tuple[str, str]]:
        prompts = _prompts()
        passages = "\n\n".join(
            f"[{c.n}] {c.title} — {c.section}\n{p.text}"
            for c, p in zip(answer.citations, answer.passages, strict=True)
        )
        user = prompts["user"].format(question=question, passages=passages)
        return [("system", prompts["system"]), ("human", user)]

    def generate(self, question: str, answer: Answer) -> str:
        """The LLM's wording when acceptable, else the extractive answer."""
        try:
            result = self.client.invoke(self.messages(question, answer))
        except Exception:  # any endpoint failure falls back to the grounded answer
            return answer.body
        text = str(getattr(result, "content", result) or "").strip()
        return text if acceptable(text, answer) else answer.body
