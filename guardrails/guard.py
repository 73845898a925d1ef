"""The scope guard: normalisation, rules, then the classifier; policy wording for refusals."""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence

from assistant.embeddings import Embedder, packaged_model_dir
from assistant.settings import Settings
from guardrails.addon import add_on_request
from guardrails.classifier import classifier_text
from guardrails.dataset import Example, guard_training_examples
from guardrails.decision import (
    MAX_HISTORY_MESSAGES,
    MAX_INPUT_CHARS,
    UNSAFE,
    Category,
    Decision,
    Thresholds,
)
from guardrails.language import detect_non_english
from guardrails.model import GuardModel, Scores, load_or_train_model
from guardrails.normalize import Normalized, normalize
from guardrails.policy import Policy
from guardrails.rules import LANGUAGE_RAILS, SIGN_RAILS, Rails, RuleHit
from guardrails.signs import vital_limits
from guardrails.tuned import Progress, no_progress

_PRESSURE = re.compile(
    r"\b(just (tell|give|answer|say)|come on|just this once|i won'?t tell|off the record|"
    r"between us|i know,? but|i understand,? but|humou?r me|anyway|roughly|ballpark|"
    r"best guess|what would you do|still want|please just)\b"
)


def _encodable(text: str) -> str:
    """`text` with anything UTF-8 cannot carry (lone surrogates from JSON escapes) replaced."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _history_texts(history: Sequence[object] | None) -> list[str]:
    """User messages from `history` (strings, or mappings with role/content)."""
    texts: list[str] = []
    for item in history or ():
        if isinstance(item, str):
            texts.append(item)
        elif isinstance(item, Mapping):
            role = str(item.get("role", "user"))
            content = item.get("content") or item.get("text")
            if role == "user" and isinstance(content, str):
                texts.append(content)
    return [_encodable(t[:MAX_INPUT_CHARS]) for t in texts[-MAX_HISTORY_MESSAGES:]]


def _late_emergency(rails: Rails, text: str) -> str | None:
    """Emergency rules over the part of a long text that the full check does not read."""
    step = MAX_INPUT_CHARS
    for start in range(step - 200, len(text), step - 200):
        window = normalize(text[start : start + step]).variants[0]
        found = rails.emergency(window)
        if found:
            return f"rule:{found} (found after character {start} of {len(text)})"
    return None


class ScopeGuard:
    """Decides whether a message is in scope; built once from (settings, embedder). Its model
    runs its own pass through MiniLM (`guardrails.model`); the embedder serves the
    logistic-regression baseline of `mes-ai eval guard`."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        *,
        use_classifier: bool = True,
        thresholds: Thresholds | None = None,
        policy: Policy | None = None,
        examples: Sequence[Example] | None = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.use_classifier = use_classifier
        self.thresholds = thresholds or Thresholds()
        self.policy = policy or Policy()
        self._examples = examples
        self.rails = Rails(settings=vital_limits(settings.knowledge_dir))
        self._classifier: GuardModel | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------ classifier
    def _embedder_id(self) -> str:
        model = self.settings.embedding_model or "packaged-minilm"
        return f"{type(self.embedder).__name__}:{getattr(self.embedder, 'dimension', '?')}:{model}"

    def warm(self, progress: Progress | None = None) -> bool:
        """Load the cached classifier, or train and cache it (a few minutes, reported through
        `progress`); True when it was trained now. Also plans the rules' prefilters in the
        background (about a second), which the first long message would otherwise pay."""
        with self._lock:
            if self._classifier is not None:
                return False
            threading.Thread(target=self.rails.prepare, name="rails-prepare", daemon=True).start()
            examples = self._examples if self._examples is not None else guard_training_examples()
            self._classifier, trained = load_or_train_model(
                self.settings.data_dir / "guard",
                examples,
                self.settings.embedding_model or packaged_model_dir(),
                self.rule_verdict,
                rules_digest=self.rails.digest,
                progress=progress or no_progress,
            )
            return trained

    def rule_verdict(self, text: str) -> bool | None:
        """What the guard decides before its model: True answered, False refused, None unsure."""
        clipped = text[:MAX_INPUT_CHARS]
        decision = self._before_model(normalize(clipped), clipped, ())
        return None if decision is None else decision.allowed

    @property
    def classifier(self) -> GuardModel:
        if self._classifier is None:
            self.warm()
        assert self._classifier is not None
        return self._classifier

    def probabilities(self, text: str) -> Scores:
        """The model's fail-closed scores for one normalised text."""
        return self.classifier.probabilities(classifier_text(text))

    # ------------------------------------------------------------ decisions
    def _decide(
        self,
        category: Category,
        reason: str,
        text: str,
        history: Sequence[str],
        topic: str | None = None,
        scores: dict[str, float] | None = None,
    ) -> Decision:
        return Decision(
            category=category,
            allowed=category.allowed,
            reason=reason,
            message=self.policy.message(category, text, topic, history),
            topic=topic,
            scores=scores or {},
        )

    def allow_bar(self) -> float:
        """The calibrated p(in_scope) a message needs to be answered."""
        if self.thresholds.allow is not None:
            return self.thresholds.allow
        return self.classifier.allow_threshold

    def _from_classifier(self, probs: Mapping[Category, float]) -> tuple[Category, str]:
        """Fail closed: answer on positive evidence with no refusal score clearing its bar,
        refuse on strong evidence, else clarify."""
        th = self.thresholds
        p_in = probs.get(Category.IN_SCOPE, 0.0)
        emergency = probs.get(Category.EMERGENCY, 0.0)
        if emergency >= th.emergency:
            return Category.EMERGENCY, f"classifier:emergency p={emergency:.2f}"
        bar = self.allow_bar()
        bars = {c: b for c, b in th.refusal_bars().items() if c is not Category.EMERGENCY}
        cleared = {c: probs.get(c, 0.0) for c, b in bars.items() if probs.get(c, 0.0) >= b}
        if p_in >= bar and not cleared:
            return Category.IN_SCOPE, f"classifier:in_scope p={p_in:.2f} >= {bar:.2f}"
        most_in_scope = getattr(probs, "most_in_scope", p_in)
        if cleared:
            top = max(cleared, key=lambda c: cleared[c])
            if most_in_scope < bar or cleared[top] >= th.refuse_despite_doubt:
                return top, f"classifier:{top.value} p={cleared[top]:.2f}"
        tuned_in = getattr(probs, "tuned_in_scope", 0.0)
        if th.tuned_sure is not None and tuned_in >= th.tuned_sure:
            return (
                Category.IN_SCOPE,
                f"classifier:in_scope, the tuned view is sure: p={tuned_in:.2f} >= "
                f"{th.tuned_sure:.2f}, no refusal strong",
            )
        if most_in_scope >= bar:
            return (
                Category.CLARIFY,
                f"classifier:unsure, the model's views disagree: p(in_scope)={p_in:.2f} and "
                f"{most_in_scope:.2f}, bar {bar:.2f}",
            )
        top = max(bars, key=lambda c: probs.get(c, 0.0))
        return (
            Category.CLARIFY,
            f"classifier:unsure p(in_scope)={p_in:.2f} < {bar:.2f}, "
            f"most likely {top.value} p={probs.get(top, 0.0):.2f}",
        )

    def _refusal_in(self, probs: Mapping[Category, float]) -> tuple[Category, str] | None:
        """The refusal whose probability clears its bar (emergency first), if any."""
        th = self.thresholds
        bars = {
            Category.EMERGENCY: th.emergency,
            Category.CLINICAL_ADVICE: th.clinical_advice,
            Category.PROMPT_INJECTION: th.prompt_injection,
        }
        for category, bar in bars.items():
            if probs.get(category, 0.0) >= bar:
                return category, f"classifier:{category.value} p={probs[category]:.2f}"
        return None

    def _history_follow_up(self, normalized: Normalized, history: Sequence[str]) -> RuleHit | None:
        if not history or len(normalized.text) > 200:
            return None
        if not _PRESSURE.search(normalized.variants[0]):
            return None
        for previous in reversed(history[-3:]):
            lowered = normalize(previous).variants[0]
            found = self.rails.injection(lowered)
            if found:
                return RuleHit(Category.PROMPT_INJECTION, "follow_up." + found, None, "history")
            clinical = self.rails.clinical(lowered)
            if clinical:
                return RuleHit(
                    Category.CLINICAL_ADVICE, "follow_up." + clinical[0], clinical[1], "history"
                )
        return None

    def _before_model(
        self, normalized: Normalized, text: str, prior: Sequence[str], note: str = ""
    ) -> Decision | None:
        """The decisions made before the model: unreadable input, other languages, the refusal
        rails, follow-ups in history, then positive in-scope evidence."""
        if not any(ch.isalnum() for ch in normalized.text) and not normalized.payloads:
            sign = self.rails.match(normalized, SIGN_RAILS)  # an SOS or ambulance symbol
            if sign:
                return self._decide(sign.category, sign.reason + note, text, prior, sign.topic)
            return self._decide(Category.OFF_TOPIC, "input:no readable text" + note, text, prior)
        language = detect_non_english(normalized.text)
        if language:
            found = self.rails.match(normalized, LANGUAGE_RAILS)
            if found:
                return self._decide(found.category, found.reason + note, text, prior, found.topic)
            reason = f"language:{language} (the assistant works in English)" + note
            return self._decide(Category.LANGUAGE, reason, text, prior)
        hit = self.rails.match(normalized) or self._history_follow_up(normalized, prior)
        if hit:
            return self._decide(hit.category, hit.reason + note, text, prior, hit.topic)
        if _one_or_two_letters(normalized.text):  # "aaaaaaaa", "hahaha": no words to read
            return self._decide(Category.OFF_TOPIC, "input:no readable text" + note, text, prior)
        evidence = self.rails.in_scope(normalized.variants[0])
        if evidence and not add_on_request(normalized.variants[0]):
            return self._decide(Category.IN_SCOPE, f"rule:{evidence}" + note, text, prior)
        return None

    def check_input(self, text: str | bytes, history: Sequence[object] | None = None) -> Decision:
        """Category, allowed, reason and reply for one message (and optional prior messages)."""
        if isinstance(text, bytes | bytearray):
            text = bytes(text).decode("utf-8", errors="replace")
        if not isinstance(text, str):
            raise ValueError(f"text must be a string, not {type(text).__name__}")
        text = _encodable(text)
        if not text.strip():
            raise ValueError("text is empty")
        note = ""
        prior = _history_texts(history)
        if len(text) > MAX_INPUT_CHARS:
            late = _late_emergency(self.rails, text)
            if late is not None:
                return self._decide(Category.EMERGENCY, late, text[:MAX_INPUT_CHARS], prior)
            note = f"; decided on the first {MAX_INPUT_CHARS} of {len(text)} characters"
            text = text[:MAX_INPUT_CHARS]
        normalized = normalize(text)
        decided = self._before_model(normalized, text, prior, note)
        if decided is not None:
            return decided
        if not self.use_classifier:
            return self._decide(
                Category.CLARIFY, "rules:no rule fired (fails closed)" + note, text, prior
            )

        probs = self.probabilities(normalized.text)
        category, reason = self._from_classifier(probs)
        for payload in normalized.payloads[:2]:
            payload_category, payload_reason = self._from_classifier(self.probabilities(payload))
            if payload_category in UNSAFE and category not in UNSAFE:
                category, reason = payload_category, payload_reason + " (decoded payload)"
        tail = add_on_request(normalized.text) if category is Category.IN_SCOPE else None
        if tail:
            found = self._refusal_in(self.probabilities(tail))
            if found:
                category, reason = found[0], found[1] + " (the request after the first)"
        scores = {c.value: round(p, 4) for c, p in probs.items()}
        topic = "general" if category is Category.CLINICAL_ADVICE else None
        return self._decide(category, reason + note, text, prior, topic, scores)


def _one_or_two_letters(text: str) -> bool:
    """Whether the text is one word of six or more letters drawn from at most two letters
    ("aaaaaaa", "hahaha"; not "no no no")."""
    characters = [ch.lower() for ch in text if ch.isalnum()]
    return (
        len(text.split()) == 1
        and len(characters) >= 6
        and len(set(characters)) <= 2
        and not any(ch.isdigit() for ch in characters)
    )


def build_guard(settings: Settings, embedder: Embedder) -> ScopeGuard:
    """The guard the application uses (the classifier loads or trains on first use)."""
    return ScopeGuard(settings, embedder)
