"""`mes-ai models export`: build the ONNX Runtime embedding models once, at setup."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.app import console, fail, models_app, out, print_json, settings_of
from assistant.embeddings_onnx import ExportError, Variant, export_model

VARIANTS: dict[str, tuple[Variant, ...]] = {
    "fp32": ("fp32",),
    "int8": ("int8",),
    "all": ("fp32", "int8"),
}


@models_app.command("export")
def export(
    ctx: typer.Context,
    variant: Annotated[
        str, typer.Option("--variant", help="fp32, int8 or all (default: all).")
    ] = "all",
    force: Annotated[bool, typer.Option("--force", help="Export again even if cached.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Export the embedding model to ONNX (fp32 and int8) into the data dir, once."""
    if variant not in VARIANTS:
        fail(f"unknown variant {variant!r}: use fp32, int8 or all")
    settings = settings_of(ctx)

    def step(message: str) -> None:
        if not as_json:
            console.print(f"[dim]models:[/] {message}")

    results = []
    for name in VARIANTS[variant]:
        try:
            results.append(
                export_model(settings.data_dir, settings.embedding_model, name, force, step)
            )
        except (ExportError, OSError) as exc:
            fail(str(exc))
    if as_json:
        print_json(
            {
                "models": [
                    {
                        "variant": r.variant,
                        "path": str(r.path),
                        "setup_seconds": round(r.seconds, 2),
                        "reused": r.reused,
                    }
                    for r in results
                ]
            }
        )
        return
    for r in results:
        state = "cached" if r.reused else "exported"
        out.print(f"{r.variant} {state} in {r.seconds:.1f} s: {r.path}")
