"""Indirect injection: passages (e.g. ingested documents) carrying instructions for the AI."""

from __future__ import annotations

import re

from guardrails.normalize import normalize
from guardrails.rules import injection_rule

_AIMED_AT_AI = re.compile(
    r"\b(ai|a\.i\.|assistants?|chat ?bots?|language models?|llms?|gpt|bots?|models?|copilot)\b"
    r"[^.!?\n]{0,60}\b(must|should|shall|will now|are (now )?(instructed|required|allowed)|"
    r"need to|reading this|ignore|disregard|reveal|tell the user|do not tell|respond|"
    r"answer|output|say|recommend|include)\b"
)
_AI_CONTEXT = re.compile(
    r"\b(ignore|disregard|instructions?|prompt|the user|respond|reply|answer|output|reveal|"
    r"pretend|roleplay|system)\b"
)
_HIDDEN_ORDERS = re.compile(
    r"\b(when (summari[sz]ing|answering|responding|asked|you read this|reading this)|"
    r"(do not|don'?t|never) (tell|inform|mention|reveal)[^.!?\n]{0,30}\b(the )?users?\b|"
    r"tell the users? (to|that)|send (the|all|this|any) (data|conversation|chat|information|"
    r"history|messages?)[^.!?\n]{0,30}\bto\b|include (this|the following) (link|url)|"
    r"note to (the )?(ai|assistant|model|llm)|(ai|assistant|model)s? reading this)\b"
)


def flags_injection(text: str) -> bool:
    """True when a passage contains instructions aimed at the assistant rather than people."""
    if not isinstance(text, str) or not text.strip():
        return False
    normalized = normalize(text[:50_000])
    for candidate in normalized.all_texts:
        if injection_rule(candidate) or _HIDDEN_ORDERS.search(candidate):
            return True
        match = _AIMED_AT_AI.search(candidate)
        if match and _AI_CONTEXT.search(candidate[match.start() : match.end() + 80]):
            return True
    return False
