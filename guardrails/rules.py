"""Rules as data: the loader and matcher for the rails in guardrails/rails/<rail>/rules.yaml.

Every pattern runs on lower-cased, normalised text (see `guardrails.normalize`). A rail file has
named `patterns` (building blocks) and ordered `rules`; a rule fires when its `when` condition
holds and none of its `unless` conditions does. A condition is a pattern name, an inline regex
(`re:...`), a Python check (`check:name`, see `guardrails.signs`), or a mapping with `all`,
`any` and `none` lists of conditions. `{name}` in a regex is a vocabulary of
guardrails/rails/vocab.yaml and `{S}` one character inside a sentence.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from guardrails import prefilter, typos
from guardrails.decision import Category
from guardrails.normalize import Normalized

RAILS_DIR = Path(__file__).resolve().parent / "rails"
RAIL_ORDER = ("crisis", "emergency", "injection", "clinical", "off_topic")
"""Refusal rails in the order they are tried; the in_scope rail is positive evidence only."""
LANGUAGE_RAILS = ("crisis", "emergency", "language")
"""The rails tried on a message that is not in English (emergency signs only)."""
SIGN_RAILS = ("crisis", "emergency")
"""The rails tried on a message with no letters or digits (an SOS or ambulance symbol)."""
_IN_SENTENCE = r"(?:[^.?!\n]|\.\d)"
_PLACEHOLDER = re.compile(r"\{([a-z_]+|S)\}")

Check = Callable[[str, "Rail"], bool]


def sentence_pattern(pattern: str) -> re.Pattern[str]:
    """Compile; `{S}` stands for one character inside a sentence (a decimal point is allowed)."""
    return re.compile(pattern.replace("{S}", _IN_SENTENCE), re.DOTALL)


def _alternatives(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "|".join(value)
    raise ValueError(f"expected a regex or a list of alternatives, not {value!r}")


@lru_cache(maxsize=4)
def load_vocab(path: Path = RAILS_DIR / "vocab.yaml") -> dict[str, str]:
    """Vocabularies by name, each as one regex of alternatives with nested names expanded."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))["vocab"]
    raw = {str(k): _alternatives(v) for k, v in data.items()}
    expanded: dict[str, str] = {}

    def expand(name: str, seen: tuple[str, ...] = ()) -> str:
        if name in expanded:
            return expanded[name]
        if name in seen:
            raise ValueError(f"vocabulary {name!r} refers to itself")
        text = _PLACEHOLDER.sub(
            lambda m: m.group(0)
            if m.group(1) == "S"
            else f"(?:{expand(m.group(1), (*seen, name))})",
            raw[name],
        )
        expanded[name] = text
        return text

    for key in raw:
        expand(key)
    return expanded


def vocabulary(name: str) -> str:
    """One shared vocabulary as a regex of alternatives (for other modules' patterns)."""
    return load_vocab()[name]


def compile_pattern(value: object, vocab: Mapping[str, str]) -> re.Pattern[str]:
    """A pattern definition: a regex string, a list of words (word-bounded alternatives), or
    a mapping {regex: [alternatives]} (alternatives as written, no added boundaries)."""
    if isinstance(value, list):
        source = r"\b(?:" + _alternatives(value) + r")\b"
    elif isinstance(value, Mapping) and "regex" in value:
        source = "(?:" + _alternatives(value["regex"]) + ")"
    elif isinstance(value, str):
        source = value
    else:
        raise ValueError(f"not a pattern: {value!r}")

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "S":
            return "{S}"
        if name not in vocab:
            raise ValueError(f"unknown vocabulary {{{name}}} in {source[:60]!r}")
        return f"(?:{vocab[name]})"

    return sentence_pattern(_PLACEHOLDER.sub(sub, source))


@dataclass(frozen=True)
class Rule:
    """One named rule of a rail, with the examples its table-driven test runs."""

    name: str
    when: object
    unless: tuple[object, ...] = ()
    topic: str | None = None
    must_match: tuple[str, ...] = ()
    must_not_match: tuple[str, ...] = ()


@dataclass
class Rail:
    """The rules of one folder under guardrails/rails/."""

    name: str
    category: Category
    patterns: dict[str, re.Pattern[str]]
    rules: list[Rule]
    checks: Mapping[str, Check]
    settings: dict[str, Any] = field(default_factory=dict)

    def holds(self, condition: object, text: str) -> bool:
        """Whether `condition` holds for `text`. A pattern is searched only when the text holds
        one of its required literals (`guardrails.prefilter`); the answer is the same."""
        if isinstance(condition, str):
            if condition.startswith("check:"):
                return self.checks[condition[6:]](text, self)
            if condition.startswith("re:"):
                return prefilter.search(_inline(condition[3:]), text)
            return prefilter.search(self.patterns[condition], text)
        if isinstance(condition, Mapping):
            if "pattern" in condition and not self.holds(condition["pattern"], text):
                return False
            if "all" in condition and not all(self.holds(c, text) for c in condition["all"]):
                return False
            if "any" in condition and not any(self.holds(c, text) for c in condition["any"]):
                return False
            return not ("none" in condition and any(self.holds(c, text) for c in condition["none"]))
        raise ValueError(f"rail {self.name}: not a condition: {condition!r}")

    def fires(self, rule: Rule, text: str) -> bool:
        return self.holds(rule.when, text) and not any(self.holds(c, text) for c in rule.unless)

    def first(self, text: str) -> Rule | None:
        """The first rule of this rail that fires on `text`."""
        for rule in self.rules:
            if self.fires(rule, text):
                return rule
        return None


@lru_cache(maxsize=256)
def _inline(source: str) -> re.Pattern[str]:
    return compile_pattern(source, load_vocab())


def _check_refs(rail: Rail, condition: object) -> None:
    """Fail at load time on a name that is neither a pattern nor a known check."""
    if isinstance(condition, str):
        if condition.startswith("check:"):
            if condition[6:] not in rail.checks:
                raise ValueError(f"rail {rail.name}: unknown check {condition!r}")
        elif condition.startswith("re:"):
            _inline(condition[3:])
        elif condition not in rail.patterns:
            raise ValueError(f"rail {rail.name}: unknown pattern {condition!r}")
        return
    if isinstance(condition, Mapping):
        unknown = set(condition) - {"pattern", "all", "any", "none"}
        if unknown:
            raise ValueError(f"rail {rail.name}: unknown keys {sorted(unknown)}")
        for key in ("all", "any", "none"):
            for item in condition.get(key, ()):
                _check_refs(rail, item)
        if "pattern" in condition:
            _check_refs(rail, condition["pattern"])
        return
    raise ValueError(f"rail {rail.name}: not a condition: {condition!r}")


def load_rail(folder: Path, checks: Mapping[str, Check], settings: dict[str, Any]) -> Rail:
    """One rail from `folder`/rules.yaml."""
    path = folder / "rules.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read rail {path}: {exc}") from exc
    vocab = load_vocab()
    patterns = {
        str(name): compile_pattern(value, vocab)
        for name, value in (data.get("patterns") or {}).items()
    }
    rules = [
        Rule(
            name=str(item["name"]),
            when=item["when"],
            unless=tuple(item.get("unless") or ()),
            topic=item.get("topic"),
            must_match=tuple(item.get("must_match") or ()),
            must_not_match=tuple(item.get("must_not_match") or ()),
        )
        for item in data.get("rules") or ()
    ]
    rail = Rail(
        name=str(data.get("rail", folder.name)),
        category=Category(data["category"]),
        patterns=patterns,
        rules=rules,
        checks=checks,
        settings={**(data.get("settings") or {}), **settings},
    )
    for rule in rules:
        _check_refs(rail, rule.when)
        for condition in rule.unless:
            _check_refs(rail, condition)
    _check_setting_names(rail)
    return rail


def _check_setting_names(rail: Rail) -> None:
    """Fail at load time on a setting naming a pattern or rule the rail does not have (a
    misspelt name would silently switch a safeguard off)."""
    names = {
        "typo_patterns": set(rail.patterns),
        "defer_when_clinical": {rule.name for rule in rail.rules},
    }
    for key, known in names.items():
        unknown = sorted(set(rail.settings.get(key, ())) - known)
        if unknown:
            raise ValueError(f"rail {rail.name}: {key} names unknown {unknown}")


def _sources(rail: Rail) -> list[str]:
    """The regex sources of a rail: its patterns and the inline conditions of its rules."""
    conditions = [c for rule in rail.rules for c in (rule.when, *rule.unless)]
    inline = [s for c in conditions for s in _condition_strings(c) if s.startswith("re:")]
    return [p.pattern for p in rail.patterns.values()] + [_inline(s[3:]).pattern for s in inline]


def _condition_strings(condition: object) -> list[str]:
    if isinstance(condition, str):
        return [condition]
    if isinstance(condition, Mapping):
        found = _condition_strings(condition.get("pattern"))
        return found + [s for key in ("all", "any", "none")
                        for c in condition.get(key, ()) for s in _condition_strings(c)]
    return []


@dataclass(frozen=True)
class RuleHit:
    """A rule that decided the category."""

    category: Category
    rule: str
    topic: str | None = None
    via: str | None = None

    @property
    def reason(self) -> str:
        via = f" (via {self.via})" if self.via else ""
        return f"rule:{self.rule}{via}"


class Rails:
    """Every rail, loaded once; `match` returns the first refusal rule that fires."""

    def __init__(self, folder: Path = RAILS_DIR, settings: Mapping[str, Any] | None = None):
        from guardrails.signs import CHECKS

        extra = dict(settings or {})
        digest = hashlib.sha256(repr(sorted(extra.items())).encode())
        for path in sorted(folder.rglob("*.yaml")):
            digest.update(path.read_bytes())
        self.digest = digest.hexdigest()[:12]
        """Hash of the rail files and settings: the model's answer bar depends on them."""
        self.rails = {
            name: load_rail(folder / name, CHECKS, extra)
            for name in (*RAIL_ORDER, "in_scope", "language")
        }
        self.rails["in_scope"].settings[typos.PROTECTED] = typos.words(
            source for rail in self.rails.values() for source in _sources(rail)
        )

    def prepare(self) -> None:
        """Plan every pattern's prefilter now (start-up), not on the first long message."""
        for rail in self.rails.values():
            for pattern in rail.patterns.values():
                prefilter.plan(pattern)

    def rule(self, rail: str, text: str) -> tuple[str, str | None] | None:
        """(rule name, topic) of the first rule of `rail` that fires on `text`."""
        found = self.rails[rail].first(text)
        return (found.name, found.topic) if found else None

    def emergency(self, text: str) -> str | None:
        found = self.rule("crisis", text) or self.rule("emergency", text)
        return found[0] if found else None

    def injection(self, text: str) -> str | None:
        found = self.rule("injection", text)
        return found[0] if found else None

    def clinical(self, text: str) -> tuple[str, str] | None:
        found = self.rule("clinical", text)
        return (found[0], found[1] or "general") if found else None

    def in_scope(self, text: str) -> str | None:
        """Name of the in-scope rule (positive evidence) that fires on `text`, if any. A rule
        the rail lists under `defer_when_clinical` is no evidence when the condition of a
        clinical rule holds too, whatever that rule's exceptions say: the model decides such
        a message."""
        rail = self.rails["in_scope"]
        found = rail.first(text)
        if found is None:
            return None
        if found.name in rail.settings.get("defer_when_clinical", ()):
            clinical = self.rails["clinical"]
            if any(clinical.holds(rule.when, text) for rule in clinical.rules):
                return None
        return found.name

    def match(
        self, normalized: Normalized, rails: tuple[str, ...] = RAIL_ORDER
    ) -> RuleHit | None:
        """The first refusal rule of `rails` that fires, over the text, its folds and decoded
        payloads."""
        tricks = [
            t
            for t in normalized.tricks
            if t not in ("base64", "hex", "rot13", "url-encoding", "unicode-tags")
        ]
        payload_tricks = [t for t in normalized.tricks if t not in tricks]
        via_variant = ", ".join(tricks) or None
        texts: list[tuple[str, str | None]] = [
            (v, None if i == 0 else via_variant) for i, v in enumerate(normalized.variants)
        ]
        texts += [
            (p, payload_tricks[i] if i < len(payload_tricks) else "payload")
            for i, p in enumerate(normalized.payloads)
        ]
        for rail_name in rails:
            rail = self.rails[rail_name]
            hit = _first(texts, rail)
            if hit:
                return hit
        return None


def _first(texts: Iterable[tuple[str, str | None]], rail: Rail) -> RuleHit | None:
    for text, via in texts:
        found = rail.first(text)
        if found:
            return RuleHit(rail.category, found.name, found.topic, via)
    return None


@lru_cache(maxsize=1)
def default_rails() -> Rails:
    """The shipped rails with the shipped thresholds (for callers without settings)."""
    from assistant.paths import KNOWLEDGE_DIR
    from guardrails.signs import vital_limits

    return Rails(settings=vital_limits(KNOWLEDGE_DIR))


@lru_cache(maxsize=1)
def _injection_rail() -> Rail:
    """The injection rail alone: flagging ingested passages needs no other rail (loading them
    all took 0.35 s of a command-line ingest)."""
    from guardrails.signs import CHECKS

    return load_rail(RAILS_DIR / "injection", CHECKS, {})


def injection_rule(text: str) -> str | None:
    """Name of the injection rule that fires on lower-cased `text`, if any."""
    found = _injection_rail().first(text)
    return found.name if found else None
