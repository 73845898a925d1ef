"""`mes-ai guard` and `mes-ai eval guard`: thin wrappers over guardrails/."""

from __future__ import annotations

import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.atomic import OutputError, output_target, write_output
from assistant.cli.app import app, console, eval_app, fail, out, print_json, settings_of
from assistant.services import Services
from assistant.settings import Settings
from guardrails import ScopeGuard
from guardrails.dataset import HELDOUT, heldout_examples, read_jsonl
from guardrails.evaluation import evaluate_guard, format_report
from guardrails.model import WAITING, validation_report


def _guard(settings: Settings) -> ScopeGuard:
    try:
        return Services(settings).guard
    except (OSError, ValueError, ImportError) as exc:
        fail(f"cannot load the guard: {exc}")


def ready_guard(warm: Callable[[Callable[[str, int, int], None]], bool]) -> bool:
    """Run `warm` (`ScopeGuard.warm` or `Services.warm`), which loads the guard's model or trains
    it once (cached by a hash of its data, rules and base model), with a progress bar on stderr:
    the first run takes a few minutes. True when trained."""
    stages: set[str] = set()
    with Progress(
        TextColumn("[bold]guard model"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.description}"), TimeElapsedColumn(),
        console=console, transient=True,
    ) as bar:
        # a cached model loads in a few seconds: a pulsing "loading" bar meanwhile (terminals only)
        task = bar.add_task("loading", total=None, visible=console.is_terminal)

        def step(stage: str, done: int, total: int) -> None:
            if stage not in stages:
                if stage != WAITING and not stages - {WAITING}:
                    console.print("training the guard's model (first run on this data dir)")
                stages.add(stage)
                console.print(f"guard model: {stage}")
            bar.update(task, completed=done, total=total, description=stage, visible=True)

        try:
            return warm(step)
        except (OSError, ValueError) as exc:
            fail(f"cannot train the guard's model: {exc}")


def _warm(settings: Settings) -> None:
    """`mes-ai guard --warm`: train or load the model, and say which and how long it took."""
    guard = _guard(settings)
    started = time.perf_counter()
    trained = ready_guard(guard.warm)
    seconds = time.perf_counter() - started
    where = settings.data_dir / "guard"
    verb = "trained" if trained else "loaded"
    out.print(f"guard model {verb} in {seconds:.1f} s ({where})")


def _batch_line(guard: ScopeGuard, number: int, line: str) -> dict[str, object]:
    """One decision for one JSONL line, or an error object for a bad line."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"line": number, "error": {"code": "bad_json", "message": str(exc)}}
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        message = 'expected a JSON object {"text": "..."}'
        return {"line": number, "error": {"code": "bad_line", "message": message}}
    try:
        return {"line": number, **guard.check_input(row["text"]).to_dict()}
    except ValueError as exc:
        return {"line": number, "error": {"code": "bad_text", "message": str(exc)}}


def _run_batch(guard: ScopeGuard, source: Path, sink: TextIO) -> int:
    try:
        handle = source.open(encoding="utf-8", errors="replace")
    except OSError as exc:
        fail(f"cannot read {source}: {exc.strerror or exc}")
    count = 0
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            sink.write(json.dumps(_batch_line(guard, number, line), ensure_ascii=False) + "\n")
            count += 1
    return count


@app.command("guard")
def guard_command(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Argument(help="The message to check.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the decision as JSON.")] = False,
    batch: Annotated[
        Path | None, typer.Option("--batch", help='JSONL file, one {"text": ...} per line.')
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write batch decisions here.")
    ] = None,
    warm: Annotated[
        bool, typer.Option("--warm", help="Train (or load) the guard's model into the data dir.")
    ] = False,
) -> None:
    """Check a message (or a JSONL batch) against the scope guard."""
    if warm:
        _warm(settings_of(ctx))
        if text is None and batch is None:
            return
    if (text is None) == (batch is None):
        fail('give either a TEXT or --batch FILE (e.g. mes-ai guard "how do I log a session?")')
    guard = _guard(settings_of(ctx))
    ready_guard(guard.warm)
    if batch is not None:
        if output is None:
            _run_batch(guard, batch, sys.stdout)
            return
        try:
            output_target(output)
            output.parent.mkdir(parents=True, exist_ok=True)
            sink = io.StringIO()
            count = _run_batch(guard, batch, sink)
            write_output(output, sink.getvalue().encode("utf-8"))
        except OutputError as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}")
        out.print(f"{count} decisions written to {output}")
        return
    assert text is not None
    try:
        decision = guard.check_input(text)
    except ValueError as exc:
        fail(str(exc))
    if as_json:
        print_json(decision.to_dict())
        return
    verdict = "allowed" if decision.allowed else "not allowed"
    out.print(f"{decision.category.value} ({verdict}) — {decision.reason}")
    if decision.message:
        out.print(decision.message)


@eval_app.command("guard")
def eval_guard(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="Labelled JSONL (text, label); default: the held-out split."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    show_errors: Annotated[
        bool, typer.Option("--errors", help="List the guard's misclassified messages.")
    ] = False,
) -> None:
    """Confusion matrix, recall, false refusals and latency, beside a keyword baseline."""
    try:
        examples = read_jsonl(data) if data else heldout_examples()
    except (OSError, ValueError) as exc:
        fail(f"cannot read labelled data: {exc}")
    if not examples:
        fail("no labelled examples to evaluate")
    guard = _guard(settings_of(ctx))
    ready_guard(guard.warm)
    results = evaluate_guard(guard, examples)
    label = str(data) if data else f"the held-out split ({HELDOUT.name})"
    validation = validation_report(guard.settings.data_dir / "guard")
    if as_json:
        print_json(
            {"data": label, "model_validation": validation,
             "results": [r.summary() for r in results]}
        )
        return
    out.print(format_report(results, label))
    out.print(
        f"\nguard model: answers at calibrated p(in_scope) >= {guard.allow_bar():.3f}, "
        f"chosen on its validation split: {validation}"
    )
    if show_errors:
        out.print("\nMisclassified by the guard:")
        for message, truth, predicted in results[0].errors:
            out.print(f"  {truth.value} -> {predicted.value}: {message}")
