"""`mes-ai draft` and `mes-ai tier-gap` from the command line: output, files and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app

DATA = Path(__file__).resolve().parents[1] / "data"
CASE = DATA / "cases" / "post-tkr.json"
runner = CliRunner()


def test_draft_json_prints_the_http_shape() -> None:
    result = runner.invoke(app, ["draft", "referral-letter", "--case", str(CASE),
                                 "--letter-type", "progress-update", "--to-specialty",
                                 "cardiology", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"kind", "title", "markdown", "missing_fields", "warnings"}
    assert "Heart-rate and blood-pressure response" in payload["markdown"]


def test_draft_markdown_goes_to_stdout() -> None:
    result = runner.invoke(app, ["draft", "session-log", "--case", str(CASE), "--session", "2"])
    assert result.exit_code == 0, result.output
    assert "| Session | 2 of 4: 2 September 2026, 55 min |" in result.stdout


@pytest.mark.parametrize(("fmt", "magic"), [("docx", b"PK"), ("pdf", b"%PDF"), ("md", b"**Lee")])
def test_draft_writes_files_atomically(tmp_path: Path, fmt: str, magic: bytes) -> None:
    target = tmp_path / "out" / f"summary.{fmt}"
    result = runner.invoke(app, ["draft", "progress-summary", "--case", str(CASE),
                                 "--format", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(magic)
    assert [p.name for p in target.parent.iterdir()] == [target.name]


@pytest.mark.parametrize(
    ("fmt", "name", "message"),
    [
        ("pdf", "out.docx", "a .docx file cannot hold --format pdf; use a .pdf name"),
        ("docx", "out.PDF", "a .pdf file cannot hold --format docx; use a .docx name"),
        ("md", "out.pdf", "a .pdf file cannot hold --format md; use a .md name"),
        (None, "out.txt", "unknown file type .txt; use .md, .docx or .pdf, or give --format"),
    ],
)
def test_an_output_name_that_contradicts_the_format_is_refused_and_nothing_is_written(
    tmp_path: Path, fmt: str | None, name: str, message: str
) -> None:
    target = tmp_path / name
    chosen = ["--format", fmt] if fmt else []
    result = runner.invoke(app, ["draft", "progress-summary", "--case", str(CASE), *chosen, "-o", str(target)])
    assert result.exit_code == 2
    assert "error:" in result.output and message in " ".join(result.output.split()), result.output
    assert not target.exists()


@pytest.mark.parametrize(
    ("fmt", "name", "magic"),
    [
        (None, "out.docx", b"PK"),
        (None, "out.pdf", b"%PDF"),
        (None, "out.markdown", b"**Lee"),
        (None, "out", b"**Lee"),
        ("pdf", "out", b"%PDF"),
        ("docx", "out.bin", b"PK"),
    ],
)
def test_without_a_contradiction_the_format_follows_the_option_then_the_extension(
    tmp_path: Path, fmt: str | None, name: str, magic: bytes
) -> None:
    target = tmp_path / name
    chosen = ["--format", fmt] if fmt else []
    result = runner.invoke(app, ["draft", "progress-summary", "--case", str(CASE), *chosen, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(magic)


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["draft", "session-log"], '{"client": {"name": "A"', "malformed JSON at line 1"),
        (["draft", "session-log"], '{"client": {"name": 5}}', "client.name: Input should be a valid string"),
        (["draft", "session-log"], '{"sessions": [{"date": "2099-01-02"}]}', "sessions[0].date: 2099-01-02 is in the future"),
        (["draft", "session-log"], '{"assessments": [{"date": "2026-01-02", "measure": "TUG", "value": -4}]}', "assessments[0].value: Input should be greater than or equal to 0"),
        (["draft", "memo"], "{}", "kind: unknown document 'memo'"),
        (["draft", "referral-letter", "--letter-type", "apology"], "{}", "options.letter_type: Input should be"),
        (["draft", "session-log", "--format", "pdf"], "{}", "--format pdf is binary"),
        (["draft", "session-log", "--session", "0"], "{}", "options.session: session number must be 1 to 10000"),
        (["draft", "session-log", "--session", "last"], "{}", "options.session: give a session number"),
        (["draft", "session-log", "--format", "rtf"], "{}", "--format: unknown format 'rtf'"),
        (["draft", "session-log", "--session", "3"], '{"sessions": [{"date": "2026-01-02"}]}', "options.session: no session 3 in the case (sessions on file: 1 (2026-01-02))"),
        (["tier-gap", "--profile"], '{"referral_partners": -2}', "referral_partners: Input should be greater than or equal to 0"),
    ],
)
def test_bad_input_exits_2_with_a_field_named_message(
    tmp_path: Path, args: list[str], content: str, message: str
) -> None:
    path = tmp_path / "input.json"
    path.write_text(content)
    full = [*args, str(path)] if args[-1] == "--profile" else [*args, "--case", str(path)]
    result = runner.invoke(app, full)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split()), result.output
    assert "Traceback" not in result.output


def test_tier_gap_json_and_table() -> None:
    profile = DATA / "profiles" / "essential-ready.json"
    as_json = runner.invoke(app, ["tier-gap", "--profile", str(profile), "--json"])
    assert as_json.exit_code == 0, as_json.output
    payload = json.loads(as_json.stdout)
    assert {"current_tier", "next_tier", "met", "missing", "skills_missing"} <= set(payload)
    assert payload["next_tier"] == "intermediate" and payload["missing"] == []
    table = runner.invoke(app, ["tier-gap", "--profile", str(profile)])
    assert table.exit_code == 0
    assert "Current tier: essential -> next: intermediate" in table.stdout
    assert "knowledge/tier-intermediate.md" in table.stdout
