"""The Typer application objects; command modules attach to them."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console

from assistant.cli.checks import folder_problem
from assistant.settings import Settings

app = typer.Typer(
    name="mes-ai",
    help="MES AI: a scope-safe practice assistant for Medical Exercise Professionals.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Measure retrieval and the scope guard.", no_args_is_help=True)
skills_app = typer.Typer(help="Manage the 52-skill checklist.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
models_app = typer.Typer(help="Prepare embedding models (ONNX export).", no_args_is_help=True)
app.add_typer(skills_app, name="skills")
app.add_typer(models_app, name="models")

console = Console(stderr=True, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


@app.callback()
def _root(ctx: typer.Context) -> None:
    """Build the one Settings object for this invocation."""
    try:
        ctx.obj = Settings()
    except ValidationError as exc:
        fail(f"invalid MES_ setting: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}")
    problem = folder_problem(ctx.obj)
    if problem:
        fail(problem)


def settings_of(ctx: typer.Context) -> Settings:
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = Settings()
    return root.obj


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a clear error (no traceback) and exit."""
    console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
