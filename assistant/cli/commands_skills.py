"""`mes-ai skills import`: replace the skills checklist with an organisation's official list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.app import console, fail, out, settings_of, skills_app
from assistant.services import Services
from assistant.skills import SkillsError


@skills_app.command("import")
def skills_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV (id,tier,name,description) or YAML.")],
) -> None:
    """Validate a skills checklist and use it instead of the packaged draft catalog.

    The file is written to the data dir (MES_DATA_DIR/knowledge/skills.yaml), never into the
    installed package; the tier gap reads it from there.
    """
    try:
        result = Services(settings_of(ctx)).import_skills(file)
    except SkillsError as exc:
        fail(str(exc))
    out.print(f"imported {result.total} skills ({result.by_tier}) into {result.target}")
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
