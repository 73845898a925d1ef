"""OpenAI-compatible `POST /v1/chat/completions` bodies (the fields the chat uses)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from assistant.limits import NUMBER, WHOLE, multi_line, single_line

Temperature = Annotated[float, Field(ge=0, le=2), NUMBER]
Probability = Annotated[float, Field(ge=0, le=1), NUMBER]
Penalty = Annotated[float, Field(ge=-2, le=2), NUMBER]
Tokens = Annotated[int, Field(ge=1, le=1_000_000), WHOLE]


class ContentPart(BaseModel):
    """A part of a message's content; only text parts are read."""

    model_config = ConfigDict(extra="allow")
    type: str = Field(max_length=64)
    text: str | None = Field(None, max_length=20_000)


class CompletionMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = Field(None, max_length=20_000)
    name: Annotated[str, AfterValidator(single_line)] | None = Field(None, max_length=64)

    @model_validator(mode="after")
    def _no_controls(self) -> CompletionMessage:
        """Tab, newline and CR only, as in every other text field; the error names the part."""
        if isinstance(self.content, list):
            texts = [(f"content[{i}].text", p.text) for i, p in enumerate(self.content)]
        else:
            texts = [("content", self.content)]
        problems = []
        for where, text in texts:
            try:
                multi_line(text or "")
            except ValueError as exc:
                problems.append(f"{where}: {exc}")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def text(self) -> str:
        if isinstance(self.content, list):
            return "\n".join(p.text for p in self.content if p.type == "text" and p.text)
        return self.content or ""


class CompletionRequest(BaseModel):
    """OpenAI's sampling parameters are checked (in OpenAI's ranges) and ignored; other extra
    fields are accepted and ignored."""

    model_config = ConfigDict(extra="allow", allow_inf_nan=False)
    model: Annotated[str, AfterValidator(single_line)] = Field("mes-ai", max_length=128)
    messages: list[CompletionMessage] = Field(min_length=1, max_length=200)
    stream: bool = False
    temperature: Temperature | None = None
    top_p: Probability | None = None
    presence_penalty: Penalty | None = None
    frequency_penalty: Penalty | None = None
    max_tokens: Tokens | None = None
    max_completion_tokens: Tokens | None = None
    n: Annotated[int, Field(ge=1, le=128), WHOLE] | None = None
    seed: Annotated[int, Field(ge=-(2**63), le=2**63 - 1), WHOLE] | None = None
    top_logprobs: Annotated[int, Field(ge=0, le=20), WHOLE] | None = None


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"


class Usage(BaseModel):
    """Whitespace-separated words, an estimate (no tokenizer is involved)."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class Extension(BaseModel):
    """What MES AI adds: the stored conversation, the guard category and the citations."""

    conversation_id: str
    message_id: str
    category: str
    citations: list[dict[str, object]] = Field(default_factory=list)


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage
    mes: Extension
