"""Issue 10's CLI rows: each bad input is one `error:` line and exit code 2, never a traceback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from assistant.cli import app
from tests.conftest import TEST_DATA

CASE = TEST_DATA / "cases" / "post-tkr.json"
runner = CliRunner()


def _case_with(tmp: Path, edit: Callable[[dict], None]) -> Path:  # type: ignore[type-arg]
    data = json.loads(CASE.read_text())
    edit(data)
    path = tmp / "case.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    return path


def _raw(tmp: Path, text: str | bytes) -> Path:
    path = tmp / "case.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def _fifo(tmp: Path) -> Path:
    path = tmp / "pipe.md"
    os.mkfifo(path)
    return path


# (row, case file maker, extra args, expected message)
ROWS: list[tuple[str, Callable[[Path], Path], Callable[[Path], list[str]], str]] = [
    ("4 -o a folder", lambda t: CASE, lambda t: ["-o", str(t)], "is a folder"),
    ("4 -o a device", lambda t: CASE, lambda t: ["-o", "/dev/null"], "not a regular file"),
    ("4 -o a FIFO", lambda t: CASE, lambda t: ["-o", str(_fifo(t))], "not a regular file"),
    ("4 -o under a file", lambda t: CASE, lambda t: ["-o", str(CASE / "x.md")], "cannot inspect"),
    ("5 1e309", lambda t: _raw(t, CASE.read_text().replace('"value": 7', '"value": 1e309', 1)),
     lambda t: [], "assessments[0].value: must be a finite number"),
    ("5 Infinity", lambda t: _raw(t, CASE.read_text().replace('"value": 7', '"value": Infinity', 1)),
     lambda t: ["--format", "pdf", "-o", str(t / "x.pdf")], "assessments[0].value: must be a finite number"),
    ("6 NUL", lambda t: _case_with(t, lambda d: d.update(diagnosis="knee\x00")),
     lambda t: ["--format", "docx", "-o", str(t / "x.docx")], "diagnosis: contains the control character U+0000"),
    ("6 ESC", lambda t: _case_with(t, lambda d: d["client"].update(name="\x1b[2JMaria")),
     lambda t: [], "client.name: contains the control character U+001B"),
    ("10 non-UTF-8 case", lambda t: _raw(t, CASE.read_text().replace("Maria", "Mar\u00eda").encode("latin-1")),
     lambda t: [], "not UTF-8 text"),
    ("10 case is a folder", lambda t: t, lambda t: [], "is a folder, not a JSON file"),
    ("10 case too deep", lambda t: _raw(t, "[" * 50_000 + "]" * 50_000), lambda t: [], "nested too deeply"),
    ("14 DOB 1800", lambda t: _case_with(t, lambda d: d["client"].update(date_of_birth="1800-01-01")),
     lambda t: [], "client.date_of_birth: 1800-01-01 is outside the plausible range 1900-01-01 to today"),
    ("14 BP 300/200", lambda t: _case_with(t, lambda d: d["limits"].update(bp_max="300/200")),
     lambda t: [], "limits.bp_max: blood pressure 300/200 is outside the plausible range 60-260 / 30-160 mmHg"),
]


@pytest.mark.parametrize(("row", "case", "extra", "message"), ROWS, ids=[r[0] for r in ROWS])
def test_draft_refuses_with_one_error_line_and_exit_2(
    tmp_path: Path, row: str, case: Callable[[Path], Path], extra: Callable[[Path], list[str]], message: str
) -> None:
    result = runner.invoke(app, ["draft", "progress-summary", "--case", str(case(tmp_path)), *extra(tmp_path)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.output.startswith("error:") and message in " ".join(result.output.split())


def test_row_4_output_through_a_symlink_keeps_the_link_and_writes_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    result = runner.invoke(app, ["draft", "session-log", "--case", str(CASE), "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and real.read_text().startswith("**Lee Medical Exercise**")


def test_row_7_pdf_from_the_cli_draws_every_script(tmp_path: Path) -> None:
    case = _case_with(tmp_path, lambda d: d["client"].update(name="مريم 李小龍 Zoë Łukasz"))
    out = tmp_path / "s.pdf"
    result = runner.invoke(app, ["draft", "progress-summary", "--case", str(case), "--format", "pdf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert all(word in text for word in ("مريم", "李小龍", "Zoë", "Łukasz")), text[:300]


def _mes_ai(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A real `mes-ai` process: exit code and stderr exactly as a user sees them."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("MES_")} | env
    return subprocess.run([str(Path(sys.executable).parent / "mes-ai"), *args], capture_output=True,
                          text=True, env=full, timeout=120, check=False)


@pytest.mark.parametrize(
    ("env", "message"),
    [({"MES_DATA_DIR": "FILE"}, "is a file, not a folder"),
     ({"MES_KNOWLEDGE_DIR": "MISSING"}, "does not exist; unset it to use the packaged knowledge")],
)
def test_row_10_a_data_dir_that_is_a_file_or_a_missing_knowledge_dir(tmp_path: Path, env: dict[str, str], message: str) -> None:
    (tmp_path / "file").write_text("not a folder")
    paths = {"FILE": str(tmp_path / "file"), "MISSING": str(tmp_path / "missing")}
    for command in (["draft", "session-log", "--case", str(CASE)], ["search", "red flags"],
                    ["tier-gap", "--profile", str(TEST_DATA / "profiles" / "essential-new.json")]):
        done = _mes_ai(command, {k: paths[v] for k, v in env.items()})
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("error:") and message in " ".join(done.stderr.split())
        assert "Traceback" not in done.stderr + done.stdout


def test_row_11_serve_on_a_busy_port_says_so_before_loading_anything(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = _mes_ai(["serve", "--port", str(port)], {"MES_DATA_DIR": str(tmp_path / "data")})
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error:") and f"port {port} on 127.0.0.1 is not available" in done.stderr
    assert "loading" not in done.stderr and not (tmp_path / "data").exists()


@pytest.mark.parametrize("query", ["red\x01flags", "\x1b[31mred flags", "gait\x7f"])
def test_search_refuses_a_query_with_control_characters(tmp_path: Path, query: str) -> None:
    done = _mes_ai(["search", query], {"MES_DATA_DIR": str(tmp_path / "data")})
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: QUERY: contains the control character U+")
    assert not (tmp_path / "data").exists()
