"""Export: Markdown, DOCX and PDF reopen with the expected text; progress reports fit one page."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from assistant.drafting import LETTER_TYPES, DraftError, DraftOptions, draft, export
from assistant.drafting.export_pdf import FONTS_DIR
from assistant.models import parse_case

CASES = Path(__file__).resolve().parents[1] / "data" / "cases"
CASE_FILES = sorted(CASES.glob("*.json"))
OPTIONS = DraftOptions(date="2026-11-23", discharge_reason="Goals met")


def _case(path: Path):  # type: ignore[no-untyped-def]
    return parse_case(json.loads(path.read_text()))


def _pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [p.text for p in document.sections[0].header.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("kind", ["progress-summary", "discharge-summary"])
@pytest.mark.parametrize("case_file", CASE_FILES, ids=lambda p: p.stem)
def test_summaries_are_one_page_pdfs(case_file: Path, kind: str) -> None:
    result = draft(kind, _case(case_file), OPTIONS)
    pages, text = _pdf_text(export(result, "pdf"))
    assert pages == 1
    client = _case(case_file).client
    assert client is not None and client.name.split()[-1] in text


@pytest.mark.parametrize("letter_type", LETTER_TYPES)
def test_letters_are_one_page_pdfs(letter_type: str) -> None:
    result = draft("referral-letter", _case(CASES / "post-tkr.json"),
                   OPTIONS.model_copy(update={"letter_type": letter_type}))
    pages, text = _pdf_text(export(result, "pdf"))
    assert pages == 1
    assert "Lee Medical Exercise" in text and "Sincerely," in text


def test_pdf_reopens_with_letterhead_table_and_unicode_symbols() -> None:
    result = draft("progress-summary", _case(CASES / "post-stroke.json"), OPTIONS)
    _, text = _pdf_text(export(result, "pdf"))
    for expected in ("Lee Medical Exercise", "555-0100", "Progress summary", "George Adeyemi",
                     "Gait speed, m/s", "+0.17 m/s (+31%), improved", "yes (≥ 0.1)",
                     "Recommendations"):
        assert expected in text, expected


def test_docx_reopens_with_expected_text() -> None:
    result = draft("session-log", _case(CASES / "hypertension.json"),
                   OPTIONS.model_copy(update={"session": 2}))
    text = _docx_text(export(result, "docx"))
    for expected in ("Lee Medical Exercise", "Session log", "Robert Chen (DOB 2 July 1961)",
                     "164/98", "beyond limit", "Treadmill walking", "Plan for next session",
                     "Recheck blood pressure before starting"):
        assert expected in text, expected
    document = docx.Document(io.BytesIO(export(result, "docx")))
    assert document.core_properties.title == result.title


def test_markdown_export_is_the_draft_text() -> None:
    result = draft("referral-letter", _case(CASES / "copd.json"), OPTIONS)
    assert export(result, "md").decode("utf-8") == result.markdown


def test_unknown_format_is_an_error() -> None:
    result = draft("session-log", _case(CASES / "copd.json"), OPTIONS)
    with pytest.raises(DraftError, match="format: unknown export format 'rtf'"):
        export(result, "rtf")


NAMES = "مريم 李小龍 Zoë Łukasz"


@pytest.mark.parametrize("kind", ["session-log", "progress-summary"])
def test_pdf_draws_arabic_chinese_and_polish_names_with_embedded_fonts(kind: str) -> None:
    data = json.loads((CASES / "copd.json").read_text())
    data["client"]["name"] = NAMES
    result = draft(kind, parse_case(data), OPTIONS)
    pdf = export(result, "pdf")
    _, text = _pdf_text(pdf)
    for word in ("مريم", "李小龍", "Zoë", "Łukasz"):
        assert word in text, word
    assert "?" * 3 not in text
    fonts = {
        str(font.get("/BaseFont"))
        for page in PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
    }
    assert any("DejaVu" in f for f in fonts) and any("Droid" in f for f in fonts), fonts


def test_the_cjk_fallback_font_is_embedded_only_when_needed() -> None:
    result = draft("session-log", _case(CASES / "copd.json"), OPTIONS)
    reader = PdfReader(io.BytesIO(export(result, "pdf")))
    fonts = {str(f.get("/BaseFont")) for f in reader.pages[0]["/Resources"]["/Font"].values()}  # type: ignore[index]
    assert not any("Droid" in f for f in fonts), fonts


def test_shipped_fonts_are_each_under_5_mb() -> None:
    sizes = {p.name: p.stat().st_size for p in FONTS_DIR.glob("*.ttf")}
    assert len(sizes) == 5 and max(sizes.values()) < 5_000_000, sizes


def _largest(shape: str):  # type: ignore[no-untyped-def]
    import sys

    sys.path.insert(0, str(CASES.parents[2] / "bench"))
    from worst_case import SHAPES, largest

    return largest(SHAPES[shape])


@pytest.mark.parametrize("shape", ["longest notes", "widest tables"])
def test_the_largest_cases_the_models_allow_export_in_every_format(shape: str) -> None:
    case = _largest(shape)
    for kind, options in [("progress-summary", OPTIONS),
                          ("referral-letter", OPTIONS.model_copy(update={"letter_type": "clearance-request"}))]:
        result = draft(kind, case, options)
        assert export(result, "docx").startswith(b"PK")
        pages, text = _pdf_text(export(result, "pdf"))
        assert pages >= 1 and "Patel" in text


def test_long_tables_are_summarised_in_files_but_complete_in_markdown() -> None:
    case = _largest("widest tables")
    result = draft("progress-summary", case, OPTIONS)
    assert result.markdown.count("\n| ") > 60
    _, text = _pdf_text(export(result, "pdf"))
    assert "more rows in the Markdown draft" in " ".join(text.split())
    assert "more rows in the Markdown draft" in _docx_text(export(result, "docx"))


def test_a_title_longer_than_word_allows_still_exports() -> None:
    data = json.loads((CASES / "copd.json").read_text())
    data["client"]["name"] = "N" * 300
    result = draft("session-log", parse_case(data), OPTIONS)
    assert len(result.title) > 255 and export(result, "docx").startswith(b"PK")


def test_a_table_cell_too_tall_for_a_page_becomes_rows_of_text() -> None:
    from assistant.drafting.options import Draft

    heads = ["Measure", *[f"C{i}" for i in range(15)]]
    row = ["Gait", *["abcdefghij" * 30] * 15]
    body = "| " + " | ".join(heads) + " |\n|" + "---|" * 16 + "\n| " + " | ".join(row) + " |\n"
    result = Draft(kind="session-log", title="t", markdown=body, body=body, letterhead=["L"])
    _, text = _pdf_text(export(result, "pdf"))
    assert "Measure:" in text and "Gait" in text
