"""The retrieval commands give results, JSON lines in order, and clear errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from assistant.cli import app

runner = CliRunner()


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    corpus = tmp_path / "kb"
    corpus.mkdir()
    (corpus / "codes.md").write_text("# Codes\n\n## Exercise\n\nCPT 97110 covers therapeutic exercise.")
    (corpus / "tiers.md").write_text("# Tiers\n\n## Essential\n\nPerform 50–75 supervised assessments.")
    monkeypatch.setenv("MES_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MES_KNOWLEDGE_DIR", str(corpus))
    return tmp_path


def test_ingest_then_search_prints_json_results(env: Path) -> None:
    ingest = runner.invoke(app, ["ingest", "--json"])
    assert ingest.exit_code == 0, ingest.output
    assert json.loads(ingest.stdout)["added"] == 2
    found = runner.invoke(app, ["search", "97110", "-k", "1", "--json"])
    assert found.exit_code == 0
    assert json.loads(found.stdout)["results"][0]["source"] == "kb/codes.md"


def test_batch_search_writes_one_line_per_input_line_in_order(env: Path) -> None:
    runner.invoke(app, ["ingest"])
    batch = env / "in.jsonl"
    batch.write_text('{"q": "supervised assessments"}\nnot json\n{"q": "97110", "k": 1}\n{"x": 1}\n')
    result = runner.invoke(app, ["search", "--batch", str(batch)])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("q") for line in lines] == ["supervised assessments", None, "97110", None]
    assert lines[0]["results"][0]["source"] == "kb/tiers.md"
    assert lines[1]["line"] == 2 and lines[1]["error"]["code"] == "bad_json"
    assert '"q"' in lines[3]["error"]["message"]


BAD_K = [
    ('1e309', "Infinity"),  # read as float infinity
    ('NaN', "NaN"),
    ('-Infinity', "-Infinity"),
    ('2.7', "2.7"),
    ('true', "true"),
    ('null', "null"),
    ('"3"', '"3"'),
    ('"abc"', '"abc"'),
    ('[1]', "[1]"),
    ('0', "0"),
    ('-1', "-1"),
    ('51', "51"),
    ('1' + '0' * 400, "1000"),
]


def test_batch_search_refuses_each_bad_k_with_an_error_line_and_goes_on(env: Path) -> None:
    runner.invoke(app, ["ingest"])
    batch = env / "in.jsonl"
    rows = [f'{{"q": "cpt", "k": {k}}}' for k, _ in BAD_K] + ['{"q": "97110", "k": 1.0}']
    batch.write_text("\n".join(rows) + "\n")
    result = runner.invoke(app, ["search", "--batch", str(batch)])
    assert result.exit_code == 0 and result.exception is None, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(BAD_K) + 1
    for number, ((_, shown), line) in enumerate(zip(BAD_K, lines, strict=False), 1):
        assert line["line"] == number
        assert line["error"]["code"] == "bad_k"
        message = line["error"]["message"]
        assert message.startswith("'k' must be a whole number from 1 to 50, not ")
        assert shown in message
    assert len(lines[-1]["results"]) == 1  # the line after the bad ones is still searched


def test_batch_search_refuses_control_characters_in_q(env: Path) -> None:
    runner.invoke(app, ["ingest"])
    batch = env / "in.jsonl"
    batch.write_text('{"q": "cpt\\u0000"}\n{"q": 5}\n')
    lines = [json.loads(x) for x in runner.invoke(app, ["search", "--batch", str(batch)]).stdout.splitlines()]
    assert lines[0]["error"]["code"] == "bad_query" and "U+0000" in lines[0]["error"]["message"]
    assert lines[1]["error"]["code"] == "bad_line"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", ""], "the query is empty"),
        (["search", "gait", "-k", "0"], "k must be between 1 and 50"),
        (["search"], "give a QUERY or --batch FILE"),
        (["ingest", "/no/such/folder"], "path not found"),
        (["search", "--batch", "/no/such.jsonl"], "batch file not found"),
    ],
)
def test_bad_input_gives_a_clear_error_and_no_traceback(env: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an escaped exception


def test_ingest_exit_code_says_a_file_failed(env: Path) -> None:
    (env / "kb" / "broken.pdf").write_bytes(b"%PDF-1.4 nope")
    result = runner.invoke(app, ["ingest", "--json"])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["failed"] == 1 and payload["added"] == 2
    assert payload["failures"][0]["source"] == "kb/broken.pdf"


def test_skills_import_validates_then_writes_the_checklist_to_the_data_dir(env: Path) -> None:
    packaged = (env / "kb" / "skills.yaml")
    packaged.write_text("skills: []\n")
    target = env / "data" / "knowledge" / "skills.yaml"
    bad = env / "bad.csv"
    bad.write_text("id,tier,name\nE01,essential,Vitals\nE01,essential,Glucose\n")
    result = runner.invoke(app, ["skills", "import", str(bad)])
    assert result.exit_code == 2 and "duplicate skill id(s): E01" in result.output
    assert not target.exists()

    wrong_tier = env / "tier.csv"
    wrong_tier.write_text("id,tier,name\nX1,expert,Vitals\n")
    result = runner.invoke(app, ["skills", "import", str(wrong_tier)])
    assert "tier must be one of essential, intermediate, advanced" in result.output

    good = env / "good.csv"
    good.write_text("id,tier,name,description\nE01,essential,Vitals,BP and HR\nI01,intermediate,Reports,\n")
    for _ in range(2):
        result = runner.invoke(app, ["skills", "import", str(good)])
        assert result.exit_code == 0
    assert "2 skills imported; the framework names 52" in result.output
    skills = yaml.safe_load(target.read_text())["skills"]
    assert [s["id"] for s in skills] == ["E01", "I01"]
    assert yaml.safe_load((target.parent / "skills.yaml.bak").read_text())["skills"] == skills
    assert packaged.read_text() == "skills: []\n"  # the shipped checklist is never touched
