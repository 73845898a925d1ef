"""Reference data the drafts use, loaded once per process from knowledge/ and prompts/."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from assistant.paths import KNOWLEDGE_DIR, PROMPTS_DIR

DOCUMENTS_DIR = PROMPTS_DIR / "documents"


class CatalogError(RuntimeError):
    """A reference file is missing or does not follow its schema."""


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Cutoff(_Loose):
    label: str
    op: Literal["<", "<=", ">", ">="]
    value: float
    sex: Literal["F", "M"] | None = None
    age_min: float | None = None
    age_max: float | None = None


class Measure(_Loose):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    unit: str | None = None
    higher_is_better: bool = True
    min: float | None = None
    max: float | None = None
    meaningful_change: float | None = None
    cutoffs: list[Cutoff] = Field(default_factory=list)
    source: str | None = None


class BloodPressureLimit(_Loose):
    systolic: int
    diastolic: int


class BloodPressure(_Loose):
    cardio_max: BloodPressureLimit
    resistance_max: BloodPressureLimit


class Glucose(_Loose):
    acceptable_min: float
    acceptable_max: float
    caution_above: float
    physician_guidance_at_or_above: float


class RedFlag(_Loose):
    id: str
    label: str
    keywords: list[str]


class Thresholds(_Loose):
    blood_pressure: BloodPressure
    blood_glucose_mg_dl: Glucose
    red_flags: list[RedFlag]
    source: str | list[str] | None = None


ReportBlock = Literal[
    "measures", "program", "vitals_response", "hr_ceiling", "glucose", "glucose_limits",
    "vitals_summary", "oxygen",
]
"""The content blocks of `_blocks.md.j2`'s specialty_report a profile may pick."""


class Specialty(_Loose):
    """What letters to one kind of physician report and ask for (specialties.yaml)."""

    id: str
    label: str
    aliases: list[str] = Field(default_factory=list)
    report: list[ReportBlock] = Field(default_factory=list)
    measure_ids: list[str] = Field(default_factory=list)
    measure_keywords: list[str] = Field(default_factory=list)
    asks: list[str] = Field(default_factory=list)
    focus: str = ""


def normalize(text: str) -> str:
    """Lower case, punctuation to spaces, single spaces: for name matching."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CatalogError(f"reference file missing: {path}") from exc
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: invalid YAML: {exc}") from exc


@cache
def read_text(path: Path) -> str:
    """A file's text, read once per process."""
    return path.read_text(encoding="utf-8")


@cache
def measures(path: Path = KNOWLEDGE_DIR / "measures.yaml") -> tuple[Measure, ...]:
    """The outcome-measure catalog."""
    data = _read_yaml(path) or {}
    return tuple(Measure.model_validate(item) for item in data.get("measures", []))


@cache
def thresholds(path: Path = KNOWLEDGE_DIR / "thresholds.yaml") -> Thresholds:
    """Default vital-sign thresholds and red flags (used when the physician set none)."""
    return Thresholds.model_validate(_read_yaml(path) or {})


@cache
def specialties(path: Path = DOCUMENTS_DIR / "specialties.yaml") -> tuple[Specialty, ...]:
    """Specialty profiles for letters."""
    data = _read_yaml(path) or {}
    return tuple(Specialty.model_validate(item) for item in data.get("specialties", []))


@cache
def messages(path: Path = DOCUMENTS_DIR / "messages.yaml") -> dict[str, Any]:
    """Placeholders, warnings and short phrases used around the templates."""
    data = _read_yaml(path) or {}
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: expected a mapping")
    return data


def find_specialty(name: str | None) -> Specialty | None:
    """The specialty profile whose id, label or alias matches `name`."""
    if not name:
        return None
    wanted = normalize(name)
    for spec in specialties():
        names = [spec.id, spec.label, *spec.aliases]
        if wanted in {normalize(n) for n in names}:
            return spec
    return None


def find_measure(name: str, among: Sequence[Measure] | None = None) -> Measure | None:
    """The catalog measure whose id, name or alias matches `name` (case-insensitive)."""
    wanted = normalize(name)
    for measure in measures() if among is None else among:
        names = [measure.id, measure.name, *measure.aliases]
        if wanted in {normalize(n) for n in names}:
            return measure
    return None


def template_sources() -> str:
    """The raw text of every document template and wording file (faithfulness sources)."""
    return _template_sources(DOCUMENTS_DIR)


@cache
def _template_sources(folder: Path) -> str:
    files = sorted(p for p in folder.rglob("*") if p.suffix in {".j2", ".yaml", ".yml"})
    parts = [p.read_text(encoding="utf-8") for p in files]
    return "\n".join(parts)
