"""tiers.yaml and skills.yaml, loaded once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from assistant.paths import KNOWLEDGE_DIR, PROMPTS_DIR
from assistant.skills import Skill, load_skills

TIERS_PATH = KNOWLEDGE_DIR / "tiers.yaml"
SKILLS_PATH = KNOWLEDGE_DIR / "skills.yaml"
WORDING_PATH = PROMPTS_DIR / "documents" / "tier-gap.yaml"


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Requirement(_Loose):
    """An entry requirement: a profile count (`field` >= `need`) or all skills of a tier."""

    id: str
    label: str
    source: str | None = None
    field: str | None = None
    need: int | None = None
    recommended: int | None = None
    skills_tier: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Requirement:
        if (self.field is None) == (self.skills_tier is None):
            raise ValueError(f"requirement {self.id}: give either field+need or skills_tier")
        if self.field is not None and self.need is None:
            raise ValueError(f"requirement {self.id}: field without need")
        return self


class Tier(_Loose):
    id: str
    name: str
    order: int
    timeframe: str | None = None
    mastery: str | None = None
    focus: str | None = None
    key_deliverable: str | None = None
    professional_outcome: str | None = None
    summary: str | None = None
    sources: list[str] = Field(default_factory=list)
    maintain: list[str] = Field(default_factory=list)
    requirements: list[Requirement] = Field(default_factory=list)


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _stamp(path: Path) -> tuple[int, int, int]:
    """Part of each cache key, so a replaced file (e.g. `skills import`) is read again."""
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_ino, stat.st_size


def tiers(path: Path = TIERS_PATH) -> tuple[Tier, ...]:
    """Tiers in order."""
    return _tiers(path, _stamp(path))


@cache
def _tiers(path: Path, stamp: tuple[int, int, int]) -> tuple[Tier, ...]:
    items = [Tier.model_validate(t) for t in _read(path).get("tiers", [])]
    return tuple(sorted(items, key=lambda t: t.order))


def skills(path: Path = SKILLS_PATH) -> tuple[Skill, ...]:
    """The skill catalog, in file order (validated as `skills import` validates it)."""
    return _skills(path, _stamp(path))


@cache
def _skills(path: Path, stamp: tuple[int, int, int]) -> tuple[Skill, ...]:
    return tuple(load_skills(path))


def skills_version(path: Path = SKILLS_PATH) -> str:
    """The checklist's `version` ("draft-1" for the shipped draft catalog)."""
    return _skills_version(path, _stamp(path))


@cache
def _skills_version(path: Path, stamp: tuple[int, int, int]) -> str:
    data = _read(path)
    return str(data.get("version", "")) if isinstance(data, dict) else ""


def is_draft_catalog(path: Path = SKILLS_PATH) -> bool:
    """True for the draft catalog shipped with MES AI (not an imported official checklist)."""
    return skills_version(path).startswith("draft")


@cache
def wording(path: Path = WORDING_PATH) -> dict[str, Any]:
    """Sentences of the tier-gap report."""
    data = _read(path)
    return data if isinstance(data, dict) else {}
