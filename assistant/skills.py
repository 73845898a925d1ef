"""The skills checklist: load it, and replace it with an organisation's official list."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import AfterValidator, BaseModel, Field, ValidationError, field_validator

from assistant import atomic
from assistant.limits import multi_line, single_line

TIERS = ("essential", "intermediate", "advanced")
EXPECTED_TOTAL = 52
MAX_SKILLS_FILE_BYTES = 2_000_000


def imported_skills_path(data_dir: Path) -> Path:
    """Where `skills import` writes the checklist: the data dir, never the installed package."""
    return data_dir / "knowledge" / "skills.yaml"


def skills_file(data_dir: Path, knowledge_dir: Path) -> Path:
    """The checklist in use: an imported one in the data dir, else knowledge_dir/skills.yaml."""
    imported = imported_skills_path(data_dir)
    return imported if imported.is_file() else knowledge_dir / "skills.yaml"


class SkillsError(ValueError):
    """The checklist file is unreadable or invalid; the message says where."""


class Skill(BaseModel):
    """One skill of the checklist."""

    id: Annotated[str, AfterValidator(single_line)] = Field(min_length=1, max_length=20)
    tier: str
    name: Annotated[str, AfterValidator(single_line)] = Field(min_length=1, max_length=200)
    description: Annotated[str, AfterValidator(multi_line)] = Field("", max_length=2000)
    public: bool = False

    @field_validator("tier")
    @classmethod
    def _known_tier(cls, value: str) -> str:
        tier = value.strip().lower()
        if tier not in TIERS:
            raise ValueError(f"tier must be one of {', '.join(TIERS)}")
        return tier


@dataclass
class ImportResult:
    total: int
    by_tier: dict[str, int]
    target: Path
    warnings: list[str] = field(default_factory=list)


def _rows(path: Path) -> list[dict[str, object]]:
    if not path.is_file():
        reason = "no such file" if not path.exists() else "not a regular file"
        raise SkillsError(f"cannot read {path}: {reason}")
    if path.stat().st_size > MAX_SKILLS_FILE_BYTES:
        raise SkillsError(f"{path} is larger than {MAX_SKILLS_FILE_BYTES:,} bytes")
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SkillsError(f"cannot read {path}: {exc}") from exc
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        missing = {"id", "tier", "name"} - set(reader.fieldnames or [])
        if missing:
            raise SkillsError(f"CSV header lacks column(s): {', '.join(sorted(missing))}")
        return [dict(row) for row in reader]
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SkillsError(f"{path} is not valid YAML: {exc}") from exc
    rows = data.get("skills") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise SkillsError("YAML must be a list of skills or a mapping with a 'skills' list")
    return rows


def parse_skills(path: Path) -> list[Skill]:
    skills: list[Skill] = []
    for number, row in enumerate(_rows(path), start=1):
        if not isinstance(row, dict):
            raise SkillsError(f"skill {number}: expected a mapping")
        try:
            skills.append(
                Skill.model_validate({k: v for k, v in row.items() if v not in (None, "")})
            )
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "row"
            msg = str(first["msg"]).removeprefix("Value error, ")
            raise SkillsError(f"skill {number} ({row.get('id', '?')}): {where}: {msg}") from exc
    duplicates = [i for i, n in Counter(s.id for s in skills).items() if n > 1]
    if duplicates:
        raise SkillsError(f"duplicate skill id(s): {', '.join(sorted(duplicates))}")
    if not skills:
        raise SkillsError("the file holds no skills")
    return skills


def load_skills(path: Path) -> list[Skill]:
    return parse_skills(path)


def import_skills(source: Path, target: Path) -> ImportResult:
    """Validate `source` and atomically write `target` (a previous file is kept as .bak).

    `target` is normally `imported_skills_path(data_dir)`: the packaged checklist stays as shipped.
    """
    skills = parse_skills(source)
    by_tier = {tier: sum(s.tier == tier for s in skills) for tier in TIERS}
    warnings = []
    if len(skills) != EXPECTED_TOTAL:
        warnings.append(f"{len(skills)} skills imported; the framework names {EXPECTED_TOTAL}")
    warnings += [f"no {tier} skills in the file" for tier, n in by_tier.items() if n == 0]
    header = f"# Skills checklist imported from {source.name} on {date.today().isoformat()}.\n"
    body = yaml.safe_dump(
        {
            "version": f"imported-{date.today().isoformat()}",
            "skills": [s.model_dump() for s in skills],
        },
        sort_keys=False,
        allow_unicode=True,
    )
    try:
        if target.is_file():
            atomic.write_output(target.with_suffix(".yaml.bak"), target.read_bytes())
        atomic.write_output(target, (header + body).encode("utf-8"))
    except (atomic.OutputError, OSError) as exc:
        raise SkillsError(str(exc)) from exc
    return ImportResult(len(skills), by_tier, target, warnings)
