"""Which of the chat's capabilities a message asks for: rules first, then nearest examples.

Intents: greeting (also help, thanks and goodbye), question (a framework question), draft, tier,
profile_update, case_update. Not an LLM: the rules read what the deterministic parsers found,
and a message no rule decides is compared with the examples in intents.yaml using the same
MiniLM embeddings as the guard.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from assistant.chat.casenotes import CaseFacts
from assistant.embeddings import Embedder, Vectors

EXAMPLES_PATH = Path(__file__).with_name("intents.yaml")


class Intent(StrEnum):
    GREETING = "greeting"
    QUESTION = "question"
    DRAFT = "draft"
    TIER = "tier"
    PROFILE_UPDATE = "profile_update"
    CASE_UPDATE = "case_update"


_APOSTROPHE = "['\u2019]?"
_OPENING = (
    rf"(hi|hello|hey|hiya|heya|howdy|g{_APOSTROPHE}day|good (morning|afternoon|evening|day)|"
    r"greetings|what can you do|what do you do|how do (i use you|you work)|who are you)"
)
_THANKS_WORDS = (
    r"(thanks|thank (you|u|ya)|thankyou|thanx|thnx|thnks|thks|thx|tnx|ty|tysm|ta|cheers|"
    r"many thanks|much appreciated|appreciate it)"
)
_GOODBYE_WORDS = (
    rf"(that{_APOSTROPHE}s (me done|all|it)|i{_APOSTROPHE}m done|all done|bye|goodbye|"
    r"see (you|ya))"
)
_AGREEING = (
    r"((ok|okay|k|great|perfect|cool|awesome|brilliant|lovely|nice|super|alright)[\s,!.]*){0,3}"
)
_TAIL = r"[\s\w'\u2019,:;()!?.~\u2600-\u27bf\U0001f300-\U0001faff-]{0,24}"
"""What may follow a greeting: a few words, punctuation or emoji (digits are screened out)."""
_GREETING = re.compile(
    rf"^\s*{_AGREEING}({_OPENING}|{_THANKS_WORDS}|{_GOODBYE_WORDS})\b{_TAIL}$", re.I
)
_ALONE = re.compile(r"^\s*(morning|afternoon|evening|/?help)\W*$", re.I)
"""Greetings only as the whole message: "afternoon :)" greets, "afternoon session: 3x10
squats" does not, nor "help!! he's not breathing"."""
_THANKS = re.compile(rf"^\s*{_AGREEING}{_THANKS_WORDS}\b", re.I)
_GOODBYE = re.compile(rf"^\s*{_AGREEING}({_THANKS_WORDS}[\s,!.]*)?{_GOODBYE_WORDS}\b", re.I)
_ASKS_MORE = re.compile(
    r"\b(one more|another|too|also|please|pls)\b|"
    r"[,.;:!-]\s*(now |then |and |can you |could you |would you )?"
    r"(draft|write|make|create|prepare|generate|log|add|send|note|"
    r"record|update|change|fix|redo|rewrite|shorten|trim|finish|finalise|finalize|save|sign|"
    r"email|print|summarise|summarize|do)\b|\d",
    re.I,
)
"""A short message that opens with thanks or a goodbye but asks for something more (or
carries a number: a reading is never small talk)."""
_QUESTION = re.compile(
    r"^\s*(what|how|when|why|which|who|where|should|can|could|do|does|is|are|may|must|will|"
    r"would)\b|\?\s*$",
    re.I,
)
_IMPERATIVE = re.compile(
    r"^\s*(please\s+)?(draft|write|make|create|prepare|generate|produce|do|log|give me|"
    r"i need|i'd like|can you (draft|write|make|create|prepare)|could you (draft|write|make|"
    r"create|prepare))\b",
    re.I,
)
_PERSONAL = re.compile(r"\b(i|i'm|i've|me|my|am i)\b", re.I)
_THIRD_PERSON = re.compile(
    r"\b(her|his|she|he|their|they|them|him|the client'?s?|client'?s)\b", re.I
)
"""A message about "her" or "his" case is about the client the conversation is on..."""
_SOMEONE_ELSE = re.compile(
    r"\b(?:(?:husband|wife|son|daughter|mother|mum|mom|father|dad|brother|sister|partner|friend|"
    r"parents?)(?:['’]s?\s|\s+(?:has|had|have|is|was|needs|takes|took)\b)|new client|"
    r"another client|other client|"
    r"\ball (?:of )?(?:my|our|the)\s+(?:[\w-]+\s+)?(?:clients|patients)\b)",
    re.I,
)
"""...unless the facts are someone else's ("her husband's limits", "her husband had a stroke",
"another client"); "she came in with her mom" is still about her."""
_ABOUT_A_DOCUMENT = re.compile(
    r"\b(report|paperwork|form|letter|summary|log|note|discharge|client|session)s?\b", re.I
)
""""What's needed in an intermediate-level progress report" asks about a document."""
_TIER_WORDS = re.compile(
    r"\b(tier|tiers|next level|move up|moving up|promotion|promoted|tier gap|intermediate|"
    r"advanced|essential|skills? (do i|i) (still )?(need|have|miss))\b",
    re.I,
)
_OWN = re.compile(
    r"\b(my|am i|i still|do i still|have i|for me|i'?m|i'?ve|i am|i have|where do i stand)\b", re.I
)
_GAP = re.compile(
    r"\b(what'?s|what is|what remains|anything)\s+(still\s+)?(missing|left|needed|outstanding|"
    r"to do)\b",
    re.I,
)
""""What's missing for Intermediate?": the practitioner's own tier gap."""
_NEXT = re.compile(r"\b(next (tier|level)|move up|moving up|my tier|tier gap)\b", re.I)
_QUANTITY = re.compile(r"^\s*(how (many|much|long|often)|what (is|are|does))\b", re.I)


def about_the_client(message: str) -> bool:
    """Whether the message speaks of "her", "his", "the client": the conversation's client,
    unless it is about someone else ("her husband's limits")."""
    return bool(_THIRD_PERSON.search(message) and not _SOMEONE_ELSE.search(message))


def _greets(message: str) -> bool:
    """Small talk: a greeting, thanks or a goodbye that asks for nothing more (control
    characters, which a pasted message may carry, are ignored)."""
    message = "".join(ch for ch in message if ch.isprintable() or ch.isspace())
    return bool(
        (_GREETING.match(message) or _ALONE.match(message))
        and not _ASKS_MORE.search(message)
    )


def _greeting_reason(message: str) -> str:
    if _GOODBYE.match(message):
        return "rule:goodbye"
    return "rule:thanks" if _THANKS.match(message) else "rule:greeting"


@dataclass(frozen=True)
class Routed:
    intent: Intent
    reason: str


class IntentRouter:
    """Routes a message; example vectors are embedded once, on first use."""

    def __init__(self, embedder: Embedder, path: Path = EXAMPLES_PATH, min_similarity: float = 0.7):
        self.embedder = embedder
        self.path = path
        self.min_similarity = min_similarity
        self._examples: tuple[list[Intent], Vectors] | None = None
        self._lock = threading.Lock()

    def _vectors(self) -> tuple[list[Intent], Vectors]:
        with self._lock:
            if self._examples is None:
                data: dict[str, Any] = yaml.safe_load(self.path.read_text(encoding="utf-8"))
                labels = [Intent(k) for k, items in data.items() for _ in items]
                texts = [str(t) for items in data.values() for t in items]
                self._examples = (labels, self.embedder.embed(texts))
            return self._examples

    def nearest(self, message: str) -> tuple[Intent, float]:
        labels, vectors = self._vectors()
        sims = vectors @ self.embedder.embed_query(message)
        best = int(np.argmax(sims))
        return labels[best], float(sims[best])

    def route(
        self,
        message: str,
        facts: CaseFacts,
        profile_changes: dict[str, Any],
        current_client: str | None = None,
    ) -> Routed:
        """The intent of one in-scope message (see the module docstring); `current_client` is
        the client the conversation is about, whom "her" and "his" refer to."""
        if _greets(message) and not (
            facts.client or facts.has_case_facts or profile_changes
        ):
            return Routed(Intent.GREETING, _greeting_reason(message))
        question = bool(_QUESTION.search(message))
        if profile_changes and not question:
            return Routed(Intent.PROFILE_UPDATE, "rule:profile_fields")
        personal = not _QUANTITY.search(message) and (
            _OWN.search(message) or (_PERSONAL.search(message) and _NEXT.search(message))
        )
        own_gap = _GAP.search(message) and not _ABOUT_A_DOCUMENT.search(message)
        if _TIER_WORDS.search(message) and (personal or own_gap):
            return Routed(Intent.TIER, "rule:personal_tier")
        if facts.kind and (facts.client or facts.has_session or _IMPERATIVE.search(message)):
            return Routed(Intent.DRAFT, "rule:document_kind")
        if facts.client and (facts.has_case_facts or facts.addressee) and not question:
            return Routed(Intent.CASE_UPDATE, "rule:case_facts")
        about_current = current_client and about_the_client(message)
        if about_current and facts.has_case_facts and not question:
            return Routed(Intent.CASE_UPDATE, "rule:case_facts of the current client")
        intent, similarity = self.nearest(message)
        if intent is not Intent.QUESTION and similarity >= self.min_similarity:
            if intent in (Intent.DRAFT, Intent.CASE_UPDATE) and not (facts.client or facts.kind):
                return Routed(Intent.QUESTION, f"examples:{intent.value} but no client")
            return Routed(intent, f"examples:{intent.value} {similarity:.2f}")
        return Routed(Intent.QUESTION, f"default (nearest {intent.value} {similarity:.2f})")
