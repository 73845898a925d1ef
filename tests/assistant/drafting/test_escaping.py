"""User text in drafts prints literally: in the Markdown, rendered as CommonMark, and in the DOCX
and PDF exports; the templates' own formatting still works."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from markdown_it import MarkdownIt
from pypdf import PdfReader

from assistant.drafting import Draft, export
from assistant.drafting.mdtext import escape
from tests.assistant.drafting.design_case import design_case, make

NAME = "Ann *Lee* Smith_"
LINK = "[x](javascript:alert(1)) <img src=x onerror=alert(1)>"
NOTE_LINES = ["# Heading", "| a | b |", "- not a list", "1. not a list either", "---"]
EXERCISE = "Leg press | sled -- __slow__ ~~x~~ \\ **y**"


def _hostile_case() -> dict[str, Any]:
    data = design_case()
    data["client"]["name"] = NAME
    session = data["sessions"][0]
    session["client_report"] = LINK
    session["observations"] = "\n".join(NOTE_LINES)
    session["exercises"][0]["name"] = EXERCISE
    return data


@pytest.fixture(scope="module")
def log() -> Draft:
    return make("session-log", _hostile_case())


def _html(markdown: str) -> str:
    """CommonMark with tables and raw HTML allowed: the most a Markdown viewer would do."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("Ann *Lee* Smith_", "Ann \\*Lee\\* Smith\\_"),
        ("a | b", "a \\| b"),
        ("<img src=x>", "&lt;img src=x>"),
        ("BP < 160/100, no kneeling > 90°", "BP < 160/100, no kneeling > 90°"),
        ("> quoted", "\\> quoted"),
        ("[x](y)", "\\[x\\](y)"),
        ("# Heading", "\\# Heading"),
        ("- item\n2. item\n---", "\\- item\n2\\. item\n\\---"),
        ("AT&T &amp; co", "AT&T &amp;amp; co"),
        ("back\\slash", "back\\\\slash"),
        ("Maria Gomez, 3x10 sit-to-stand (RPE 5)", "Maria Gomez, 3x10 sit-to-stand (RPE 5)"),
    ],
)
def test_user_text_is_escaped_so_markdown_prints_it_literally(text: str, markdown: str) -> None:
    assert escape(text) == markdown
    assert _html(escape(text)).count("<p>") == 1  # one paragraph: no heading, list or rule
    assert "<img" not in _html(escape(text)) and "<a " not in _html(escape(text))


def test_the_markdown_draft_escapes_every_user_value(log: Draft) -> None:
    assert "| Client | Ann \\*Lee\\* Smith\\_ (DOB 14 March 1958) |" in log.markdown
    assert "\\[x\\](javascript:alert(1)) &lt;img src=x onerror=alert(1)>" in log.markdown
    assert "<img" not in log.markdown
    assert "| Leg press \\| sled -- \\_\\_slow\\_\\_ \\~\\~x\\~\\~ \\\\ \\*\\*y\\*\\* | 3 |" in log.markdown


def test_rendered_markdown_shows_the_literal_text_and_keeps_the_template_structure(
    log: Draft,
) -> None:
    html = _html(log.markdown)
    assert "<img" not in html and "<a " not in html
    assert "Ann *Lee* Smith_" in html and "<em>Lee</em>" not in html
    assert "<td>Leg press | sled -- __slow__ ~~x~~ \\ **y**</td>" in html
    assert html.count("<h1>") == 1 and "<h2>Objective observations</h2>" in html
    assert "<h1>Heading</h1>" not in html and html.count("<table>") == 3
    assert "<li>" not in html and html.count("<hr />") == 1
    assert "<strong>Lee Medical Exercise</strong>" in html


def _docx(data: bytes) -> tuple[str, list[list[str]], set[str]]:
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    bold = {r.text for p in document.paragraphs for r in p.runs if r.bold}
    bold |= {r.text for p in document.sections[0].header.paragraphs for r in p.runs if r.bold}
    return text, rows, bold


def test_the_docx_shows_the_literal_characters(log: Draft) -> None:
    text, rows, bold = _docx(export(log, "docx"))
    assert ["Client", f"{NAME} (DOB 14 March 1958)"] in rows
    assert [EXERCISE, "3", "10", "bodyweight", "—", "—"] in rows
    assert LINK in text.splitlines()
    for line in NOTE_LINES:
        assert line in text.splitlines(), line
    assert {"Lee Medical Exercise", "Session log", "Objective observations"} <= bold


def test_the_pdf_shows_the_literal_characters(log: Draft) -> None:
    reader = PdfReader(io.BytesIO(export(log, "pdf")))
    lines = "\n".join(page.extract_text() for page in reader.pages).splitlines()
    assert f"Client {NAME} (DOB 14 March 1958)" in lines
    assert LINK in lines
    for line in NOTE_LINES:
        assert line in lines, line
    flat = " ".join(lines)
    assert "Leg press | sled -- __slow__ ~~x~~ \\" in flat and "**y**" in flat


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_summary_with_escaped_values_exports_them_literally(fmt: str) -> None:
    data = _hostile_case()
    data["goals"][0]["text"] = "Walk *far* | <b>fast</b>"
    result = make("progress-summary", data)
    exported = export(result, fmt)
    if fmt == "docx":
        _, rows, _ = _docx(exported)
        cells = {c for row in rows for c in row}
    else:
        reader = PdfReader(io.BytesIO(exported))
        cells = {" ".join("\n".join(p.extract_text() for p in reader.pages).split())}
    assert any("Walk *far* | <b>fast</b>" in c for c in cells), cells
