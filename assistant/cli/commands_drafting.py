"""`mes-ai draft` and `mes-ai tier-gap`: thin commands over the drafting and tier services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from assistant import atomic
from assistant.cli.app import app, console, fail, out, print_json, settings_of
from assistant.models import CaseInputError, load_case, load_profile
from assistant.services import Services

_EXTENSIONS = {".md": "md", ".markdown": "md", ".docx": "docx", ".pdf": "pdf"}


def _output_format(fmt: str | None, output: Path | None) -> str:
    """The format to write: --format, else the extension of -o, else md.

    A known extension that contradicts --format is an error, as is an unknown one without it.
    """
    from assistant.drafting import FORMATS

    if fmt is not None and fmt not in FORMATS:
        fail(f"--format: unknown format '{fmt}' (expected one of: {', '.join(FORMATS)})")
    suffix = output.suffix.lower() if output is not None else ""
    implied = _EXTENSIONS.get(suffix)
    if fmt is not None and implied is not None and implied != fmt:
        fail(f"-o {output}: a {suffix} file cannot hold --format {fmt}; use a .{fmt} name")
    if fmt is None and suffix and implied is None:
        fail(f"-o {output}: unknown file type {suffix}; use .md, .docx or .pdf, or give --format")
    return fmt or implied or "md"


@app.command("draft")
def draft_command(
    ctx: typer.Context,
    kind: str = typer.Argument(
        ..., help="session-log, referral-letter, progress-summary or discharge-summary."
    ),
    case: Path = typer.Option(..., "--case", help="ClientCase JSON file."),
    letter_type: str | None = typer.Option(
        None,
        "--letter-type",
        help="introduction, clearance-request, progress-update, thank-you, practice-introduction.",
    ),
    to_specialty: str | None = typer.Option(
        None, "--to-specialty", help="Recipient specialty (default: the referral's)."
    ),
    to_physician: str | None = typer.Option(
        None, "--to-physician", help="Addressee when not the referring physician."
    ),
    session: str | None = typer.Option(
        None, "--session", help="Session log: session number (1 = first) or date."
    ),
    discharge_reason: str | None = typer.Option(None, "--discharge-reason"),
    reason: str | None = typer.Option(
        None, "--reason", help="Clearance request: why clearance is asked now."
    ),
    fmt: str | None = typer.Option(
        None, "--format", help="md, docx or pdf (default: from the -o extension, else md)."
    ),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write the file here."),
    as_json: bool = typer.Option(False, "--json", help="Print the draft as JSON."),
) -> None:
    """Draft a document from a client case."""
    from assistant.drafting import DraftError

    fmt = _output_format(fmt, output)
    if fmt != "md" and output is None:
        fail(f"--format {fmt} is binary: give an output file with -o")
    if output is not None:
        try:
            atomic.output_target(output)
        except atomic.OutputError as exc:
            fail(f"-o {exc}")
    raw: dict[str, Any] = {
        "letter_type": letter_type,
        "to_specialty": to_specialty,
        "to_physician": to_physician,
        "session": session,
        "discharge_reason": discharge_reason,
        "reason": reason,
    }
    try:
        services = Services(settings_of(ctx))
        client_case = load_case(case)
        options = {k: v for k, v in raw.items() if v is not None}
        result = services.draft(kind, client_case, options)
        data = services.export_draft(result, fmt)
    except (CaseInputError, DraftError) as exc:
        fail("\n  ".join(exc.errors))
    if output is not None:
        try:
            atomic.write_output(output, data)
        except atomic.OutputError as exc:
            fail(str(exc))
    if as_json:
        print_json(result.to_json())
    elif output is None:
        out.print(result.markdown, markup=False, end="")
    else:
        console.print(f"wrote {output}")
    if not as_json:
        for field in result.missing_fields:
            console.print(f"[yellow]missing:[/] {field}")
        for warning in result.warnings:
            console.print(f"[yellow]warning:[/] {warning}", markup=True, highlight=False)


@app.command("tier-gap")
def tier_gap_command(
    ctx: typer.Context,
    profile: Path = typer.Option(..., "--profile", help="PractitionerProfile JSON file."),
    as_json: bool = typer.Option(False, "--json", help="Print the gap as JSON."),
) -> None:
    """What a practitioner still needs for the next tier."""
    try:
        gap = Services(settings_of(ctx)).tier_gap(load_profile(profile))
    except CaseInputError as exc:
        fail("\n  ".join(exc.errors))
    if as_json:
        print_json(gap.model_dump())
        return
    title = f"Current tier: {gap.current_tier}"
    title += f" -> next: {gap.next_tier}" if gap.next_tier else " (top tier)"
    table = Table(title=title)
    for column in ("Requirement", "Have", "Need", "Status"):
        table.add_column(column)
    for item in gap.met:
        table.add_row(item.requirement, str(item.have), str(item.need), "[green]met[/]")
    for item in gap.missing:
        table.add_row(item.requirement, str(item.have), str(item.need), "[red]missing[/]")
    out.print(table)
    if gap.timeframe:
        tier = gap.next_tier or gap.current_tier
        out.print(f"Usual timeframe of the {tier} tier: {gap.timeframe}")
    for tier, refs in gap.skills_missing_by_tier.items():
        out.print(f"\nSkills missing ({tier}):")
        for ref in refs:
            mark = " *" if ref.draft else ""
            out.print(f"  {ref.id}  {ref.name}{mark}", markup=False)
    if any(ref.draft for ref in gap.skills_missing):
        out.print("  * from the draft skill catalog, not the official checklist", markup=False)
    if gap.next_steps:
        heading = f"To move up to {gap.next_tier}:" if gap.next_tier else "Next steps:"
        out.print(f"\n{heading}")
        for step in gap.next_steps:
            cite = f"  [{step.source}]" if step.source else ""
            out.print(f"  - {step.text}{cite}", markup=False)
    if gap.mastery_targets:
        out.print(f"\nMastery targets of the {gap.current_tier} tier:")
        for step in gap.mastery_targets:
            out.print(f"  - {step.text}", markup=False)
    if gap.maintain:
        out.print("\nMaintain:")
        for line in gap.maintain:
            out.print(f"  - {line}", markup=False)
    for note in gap.notes:
        out.print(f"\nNote: {note}", markup=False)
    for warning in gap.warnings:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False)
